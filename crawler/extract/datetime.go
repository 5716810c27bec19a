package extract

import (
	"strings"
	"unicode/utf8"
)

// point is one date-time expression as written: any part may be missing
// and is filled later from the other end of a range, the surrounding text
// or the publication date.
type point struct {
	ts, te   int // token span [ts, te)
	year     int // 0 if not stated
	month    int
	day      int
	weekday  int // 1 = Monday ... 7 = Sunday, 0 if not stated
	hour     int // -1 if not stated
	min      int
	sec      int
	hasMin   bool
	mer      int8
	zone     int   // zone id, 0 if none
	off      int32 // explicit offset when hasOff
	hasOff   bool
	approx   bool
	local    bool // "local time" with no resolvable zone
	rel      int8 // relative day word
	night    int  // "nuit du 9 au 10": the first day
	shift    int  // days to add to the stated date (range ends across midnight)
	alias    bool // a parenthesized restatement of the previous point
	yearHint bool // a year or year-month only: context, not an event
	ownDate  bool // the text states a date (or a relative day) for this point
}

func (p *point) hasTime() bool { return p.hour >= 0 }
func (p *point) hasDate() bool { return p.day > 0 && p.month > 0 }
func (p *point) hasZone() bool { return p.zone != 0 || p.hasOff }

// valid reports whether the point names an instant or a day.
func (p *point) valid() bool {
	return p.hasTime() || p.hasDate() || p.rel != relNone && p.hasTime()
}

// dtParser finds date-time points in a token stream.
type dtParser struct {
	text     string
	toks     []token
	dayFirst bool // numeric dates are day/month (every language but English)
}

func (ps *dtParser) tok(i int) *token {
	if i < 0 || i >= len(ps.toks) {
		return &token{}
	}
	return &ps.toks[i]
}

func (ps *dtParser) lex(i int) *lexEntry {
	t := ps.tok(i)
	if t.kind != tokWord {
		return lexAt(0)
	}
	return lexAt(t.lex)
}

func (ps *dtParser) isPunct(i int, r rune) bool {
	t := ps.tok(i)
	return t.kind == tokPunct && t.r == r
}

// glued reports that token i follows the previous one without a space.
func (ps *dtParser) glued(i int) bool { return i < len(ps.toks) && !ps.toks[i].is(fSpace) }

func (ps *dtParser) han(i int, r rune) bool {
	t := ps.tok(i)
	return t.kind == tokHan && t.r == r
}

// word returns the lower-cased text of token i when it is a short word.
func (ps *dtParser) wordIs(i int, words ...string) bool {
	t := ps.tok(i)
	if t.kind != tokWord {
		return false
	}
	w := ps.text[t.pos:t.end]
	for _, x := range words {
		if strings.EqualFold(w, x) {
			return true
		}
	}
	return false
}

// hangulPrefix reports whether word token i starts with the given Hangul
// syllable (Korean attaches particles to units: "32분에서").
func (ps *dtParser) hangulPrefix(i int, s string) bool {
	t := ps.tok(i)
	return t.kind == tokWord && strings.HasPrefix(ps.text[t.pos:t.end], s)
}

// points returns every date-time point of the text in order.
func (ps *dtParser) points(dst []point) []point {
	for i := 0; i < len(ps.toks); {
		p, j := ps.pointAt(i)
		if j > i && (p.valid() || p.yearHint || p.hasZone()) {
			dst = append(dst, p)
			i = j
			continue
		}
		i++
	}
	return dst
}

// pointAt assembles the longest point starting at token i from date,
// time, zone, weekday and meridiem components joined by glue words. It
// returns the point and the index after it (i when there is none).
func (ps *dtParser) pointAt(i int) (point, int) {
	p := point{ts: i, te: i, hour: -1}
	var pendingMer int8
	j, glue := i, 0
	for j < len(ps.toks) {
		if j > i && ps.toks[j].is(fSent) {
			break
		}
		if k := ps.component(j, &p, &pendingMer); k > j {
			j, p.te, glue = k, k, 0
			continue
		}
		if j == i || glue >= 3 || !ps.isGlue(j, &p) {
			break
		}
		j++
		glue++
	}
	if p.te == i {
		return p, i
	}
	if p.weekday > 0 && p.month == 0 && p.day == 0 && p.rel == relNone && p.hasTime() {
		p.rel = relWeekday
	}
	p.ownDate = p.day > 0 || p.rel != relNone
	return p, p.te
}

// isGlue reports tokens that may sit between the parts of one point.
func (ps *dtParser) isGlue(j int, p *point) bool {
	t := ps.tok(j)
	switch t.kind {
	case tokPunct:
		switch t.r {
		case ',', '@':
			return true
		case '.':
			return ps.tok(j+1).kind == tokNum || ps.tok(j+1).kind == tokWord && !ps.toks[j+1].is(fSent)
		case '-', '|':
			// "Feb 06, 2024 - 22:21 UTC": a date then its time.
			return p.hasDate() && !p.hasTime() && ps.tok(j+1).kind == tokNum
		case '(':
			return false
		}
		return false
	case tokWord:
		e := lexAt(t.lex)
		if e.flags&lxApprox != 0 {
			p.approx = true
			return true
		}
		if e.weekday > 0 || e.flags&lxGlue != 0 {
			return true
		}
		if ps.wordIs(j, "of", "dem", "the") {
			return true
		}
	case tokHan:
		return t.r == 'の' || t.r == '的'
	}
	return false
}

// component parses one part of a point at token j into p and returns the
// index after it, or j when nothing there fits p.
func (ps *dtParser) component(j int, p *point, pendingMer *int8) int {
	t := ps.tok(j)
	switch t.kind {
	case tokNum:
		if k := ps.dateAt(j, p); k > j {
			return k
		}
		if p.hasTime() {
			return j
		}
		if k := ps.timeAt(j, p); k > j {
			if p.mer == merNone {
				p.mer = *pendingMer
			}
			return k
		}
	case tokWord:
		e := lexAt(t.lex)
		if e.month > 0 && !p.hasDate() {
			if k := ps.monthFirst(j, p); k > j {
				return k
			}
		}
		if e.weekday > 0 && p.weekday == 0 && (p.hasTime() && !p.hasDate() || j+1 < len(ps.toks) && ps.startsDateOrTime(j+1)) {
			p.weekday = int(e.weekday)
			return j + 1
		}
		if e.mer != merNone && e.mer != merAM && e.mer != merPM && !p.hasTime() && ps.tok(j+1).kind == tokNum {
			*pendingMer = e.mer
			return j + 1
		}
		if (e.mer == merAM || e.mer == merPM) && !p.hasTime() && ps.tok(j+1).kind == tokNum && !ps.isASCII(j) {
			*pendingMer = e.mer // Korean 오전/오후 precede the hour
			return j + 1
		}
		if e.rel != relNone && p.rel == relNone && !p.hasDate() {
			p.rel = e.rel
			return j + 1
		}
		if e.flags&lxNight != 0 && !p.hasDate() {
			if k := ps.nightAt(j, p); k > j {
				return k
			}
		}
		if !p.hasZone() {
			if k := ps.zoneAt(j, p); k > j {
				return k
			}
		}
	case tokHan:
		if k := ps.hanComponent(j, p, pendingMer); k > j {
			return k
		}
	case tokPunct:
		if t.r == '(' && (p.hasTime() || p.hasDate() || p.hasZone()) {
			// "(PST)", "(UTC+8)": a zone in parentheses belongs to the
			// point; after a zone it restates it ("태평양 표준시 (PST)").
			var q point
			if k := ps.zoneAt(j+1, &q); k > j+1 && ps.isPunct(k, ')') {
				if !p.hasZone() {
					p.zone, p.off, p.hasOff, p.local = q.zone, q.off, q.hasOff, q.local
				} else if p.hasTime() || p.hasDate() {
					return j
				}
				return k + 1
			}
		}
	}
	return j
}

func (ps *dtParser) isASCII(j int) bool {
	t := ps.tok(j)
	return t.pos < t.end && ps.text[t.pos] < utf8.RuneSelf
}

// startsDateOrTime reports whether a date or time follows token j,
// skipping glue, so that weekdays are only taken inside dates.
func (ps *dtParser) startsDateOrTime(j int) bool {
	for k := j; k < j+4 && k < len(ps.toks); k++ {
		t := ps.tok(k)
		if t.kind == tokNum || t.kind == tokWord && lexAt(t.lex).month > 0 {
			return true
		}
		if t.kind == tokPunct && (t.r == ',' || t.r == '(' || t.r == '.') {
			continue
		}
		if t.kind == tokWord && lexAt(t.lex).flags&(lxGlue|lxApprox) != 0 {
			continue
		}
		return false
	}
	return false
}

// year4 reports a plausible four-digit year.
func year4(t *token) bool { return t.kind == tokNum && t.digits == 4 && t.num >= 1970 && t.num <= 2100 }

// setDate stores a date in p unless p already has a conflicting one.
func setDate(p *point, y, m, d int) bool {
	if m < 1 || m > 12 || d < 0 || d > 31 || p.hasDate() || p.month > 0 && p.month != m {
		return false
	}
	if p.year != 0 && y != 0 && p.year != y {
		return false
	}
	if y != 0 {
		p.year = y
	}
	p.month, p.day = m, d
	return true
}
