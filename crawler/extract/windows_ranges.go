package extract

import (
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// rangePair links the two ends of a stated range by point index, with the
// token where its wording starts ("Between", "du", "entre").
type rangePair struct {
	a, b  int
	start int
}

// findRanges pairs consecutive points joined by a range connector:
// "between X and Y", "from X to Y", "X – Y", "entre X et Y", "du X au Y",
// "von X bis Y", "desde X hasta Y", "dalle X alle Y", "X から Y", "X 至 Y",
// "X에서 Y 사이". A bare day before a full date ("du 2 au 19 septembre")
// becomes a point of its own. Both ends are completed from each other.
func (x *extractor) findRanges() []rangePair {
	var out []rangePair
	for i := 0; i < len(x.pts); i++ {
		a := &x.pts[i]
		if a.yearHint || a.alias || x.info[i].inRange {
			continue
		}
		j := i + 1
		for j < len(x.pts) && x.pts[j].alias {
			j++
		}
		if j >= len(x.pts) || x.pts[j].yearHint {
			continue
		}
		gapStart := x.pts[j-1].te
		start, ok := x.connected(i, gapStart, j)
		if !ok {
			continue
		}
		complete(a, &x.pts[j])
		x.info[i].inRange, x.info[j].inRange = true, true
		out = append(out, rangePair{a: i, b: j, start: start})
		i = j
	}
	return x.bareDayRanges(out)
}

// connected reports whether points i and j (the text between them starts
// at token gap) form a range, and where the range wording starts.
func (x *extractor) connected(i, gap, j int) (int, bool) {
	a, b := &x.pts[i], &x.pts[j]
	if b.ts-gap > 4 || x.sent[b.ts] != x.sent[a.ts] || x.toks[b.ts].is(fSent) {
		return 0, false
	}
	if a.hasTime() != b.hasTime() && !(a.hasDate() && b.hasDate()) {
		// "Feb 06, 2024 - 22:21 UTC" is one point; a date and a bare
		// time are not the ends of one range.
		if !(b.hasTime() && b.hasDate()) && !(a.hasTime() && a.hasDate()) {
			return 0, false
		}
	}
	open, openTok := x.opener(a.ts)
	start := a.ts
	if openTok >= 0 {
		start = openTok
	}
	if x.koreanRange(a) {
		return start, true
	}
	for k := gap; k < b.ts; k++ {
		t := &x.toks[k]
		switch t.kind {
		case tokPunct:
			if t.r == '-' || t.r == '~' {
				if a.hasTime() == b.hasTime() {
					return start, true
				}
			}
		case tokHan:
			if t.r == '至' || t.r == '到' || t.r == 'か' && k+1 < len(x.toks) && x.toks[k+1].r == 'ら' {
				return start, true
			}
		case tokWord:
			f := lexAt(t.lex).flags
			switch {
			case f&lxTo != 0 && !x.upTo(k):
				return start, true
			case f&lxAnd != 0 && open&lxOpen != 0:
				return start, true
			case f&lxToWeak != 0 && open&(lxOpen|lxOpenWeak) != 0:
				return start, true
			}
		}
	}
	return 0, false
}

// upTo reports "up to"/"bis zu", which bound durations, not ranges.
func (x *extractor) upTo(k int) bool {
	w := x.text[x.toks[k].pos:x.toks[k].end]
	if strings.EqualFold(w, "bis") && k+1 < len(x.toks) && strings.EqualFold(x.text[x.toks[k+1].pos:x.toks[k+1].end], "zu") {
		return true
	}
	if strings.EqualFold(w, "to") && k > 0 && strings.EqualFold(x.text[x.toks[k-1].pos:x.toks[k-1].end], "up") {
		return true
	}
	return false
}

// koreanRange reports "X에서"/"X부터" endings, which open a range.
func (x *extractor) koreanRange(a *point) bool {
	last := x.toks[a.te-1]
	if last.kind != tokWord {
		return false
	}
	w := x.text[last.pos:last.end]
	return strings.HasSuffix(w, "에서") || strings.HasSuffix(w, "부터")
}

// opener finds a range-opening word within three tokens before token ts
// ("between", "from", "entre", "de") and returns its flags and index.
func (x *extractor) opener(ts int) (uint64, int) {
	for k := ts - 1; k >= 0 && k >= ts-3; k-- {
		t := &x.toks[k]
		if t.kind != tokWord {
			if t.kind == tokPunct && t.r == '(' {
				continue
			}
			return 0, -1
		}
		f := lexAt(t.lex).flags
		if f&(lxOpen|lxOpenWeak) != 0 {
			return f, k
		}
		if f&(lxGlue|lxApprox) == 0 {
			return 0, -1
		}
		if t.is(fSent) {
			break
		}
	}
	return 0, -1
}

// bareDayRanges finds "du 2 au 19 septembre", "between 2 and 19 March",
// "2–19 March": a bare day number before a point that has a full date.
func (x *extractor) bareDayRanges(out []rangePair) []rangePair {
	for j := range x.pts {
		b := &x.pts[j]
		if x.info[j].inRange || !b.hasDate() || b.hasTime() || b.ts < 2 {
			continue
		}
		k := b.ts - 1
		if x.wordAt(k, "le", "the", "las") {
			k--
		}
		conn := &x.toks[k]
		f := uint64(0)
		if conn.kind == tokWord {
			f = lexAt(conn.lex).flags
		}
		isDash := conn.kind == tokPunct && conn.r == '-'
		if f&(lxTo|lxAnd|lxToWeak) == 0 && !isDash {
			continue
		}
		d := k - 1
		if d >= 0 && x.wordAt(d, "le") {
			d--
		}
		if d < 1 || x.toks[d].kind != tokNum || x.toks[d].digits > 2 || x.toks[d].num < 1 || x.toks[d].num > 31 ||
			x.toks[d-1].kind == tokPunct && (x.toks[d-1].r == ':' || x.toks[d-1].r == '.') {
			continue
		}
		open, ot := x.opener(d)
		if !isDash && f&lxTo == 0 && open == 0 {
			continue
		}
		start := d
		if ot >= 0 {
			start = ot
		}
		a := point{ts: d, te: d + 1, hour: -1, day: int(x.toks[d].num), month: b.month, year: b.year}
		if a.day > b.day {
			a.month--
			if a.month == 0 {
				a.month = 12
				if a.year != 0 {
					a.year--
				}
			}
		}
		x.pts = append(x.pts, a)
		x.info = append(x.info, pinfo{inRange: true})
		x.info[j].inRange = true
		out = append(out, rangePair{a: len(x.pts) - 1, b: j, start: start})
	}
	return out
}

func (x *extractor) wordAt(k int, words ...string) bool {
	if k < 0 || k >= len(x.toks) || x.toks[k].kind != tokWord {
		return false
	}
	w := x.text[x.toks[k].pos:x.toks[k].end]
	for _, s := range words {
		if strings.EqualFold(w, s) {
			return true
		}
	}
	return false
}

// complete fills the parts each end of a range leaves out from the other:
// zone, meridiem, date and year ("between 8:59 AM and 9:32 AM PST",
// "between 02:50 and 10:37 UTC on 27 Oct 2018").
func complete(a, b *point) {
	if !a.hasZone() && !a.local {
		a.zone, a.off, a.hasOff, a.local = b.zone, b.off, b.hasOff, b.local
	}
	if !b.hasZone() && !b.local {
		b.zone, b.off, b.hasOff, b.local = a.zone, a.off, a.hasOff, a.local
	}
	completeMeridiem(a, b)
	if a.month == 0 && a.day == 0 && b.hasDate() {
		a.year, a.month, a.day, a.weekday = b.year, b.month, b.day, b.weekday
		if a.hasTime() && b.hasTime() && clock(a) > clock(b) {
			a.shift = -1 // the day before b's date
		}
	} else if a.month == 0 && a.day > 0 && b.month > 0 {
		a.month, a.year = b.month, b.year
	}
	if b.month == 0 && b.day == 0 && a.hasDate() {
		b.year, b.month, b.day = a.year, a.month, a.day
		if a.hasTime() && b.hasTime() && clock(b) < clock(a) {
			b.shift = 1 // the day after a's date
		}
	} else if b.month == 0 && b.day > 0 && a.month > 0 {
		b.month, b.year = a.month, a.year
		if b.day < a.day {
			b.month++
		}
	}
	if a.year == 0 && b.year != 0 && a.month > 0 {
		a.year = b.year
		if a.month > b.month {
			a.year--
		}
	}
	if b.year == 0 && a.year != 0 && b.month > 0 {
		b.year = a.year
		if b.month < a.month {
			b.year++
		}
	}
}

// completeMeridiem lets one end of a range lend AM/PM to the other when
// that keeps the range in order ("from 10 to 11 am", "1:49pm to 4:49").
func completeMeridiem(a, b *point) {
	if !a.hasTime() || !b.hasTime() {
		return
	}
	if a.mer == merNone && b.mer != merNone && a.hour <= 12 {
		c := *a
		c.mer = b.mer
		if clock(&c) <= clock(b) {
			a.mer = b.mer
		}
	}
	if b.mer == merNone && a.mer != merNone && b.hour <= 12 {
		c := *b
		c.mer = a.mer
		if clock(&c) >= clock(a) {
			b.mer = a.mer
		} else if a.mer == merAM {
			b.mer = merPM
		}
	}
}

// clock returns minutes since midnight with the meridiem applied.
func clock(p *point) int {
	return hour24(p.hour, p.mer)*60 + p.min
}

// hour24 applies a meridiem to an hour.
func hour24(h int, m int8) int {
	switch m {
	case merAM:
		if h == 12 {
			return 0
		}
	case merPM:
		if h < 12 {
			return h + 12
		}
	case merEvening:
		if h < 12 && h >= 3 {
			return h + 12
		}
	case merNight:
		if h >= 6 && h < 12 {
			return h + 12
		}
	}
	return h
}

// emitRanges turns resolved ranges into windows.
func (x *extractor) emitRanges(ranges []rangePair) {
	for _, r := range ranges {
		ia, ib := &x.info[r.a], &x.info[r.b]
		if !ia.ok || !ib.ok {
			continue
		}
		a, b := &x.pts[r.a], &x.pts[r.b]
		end := ib.t
		if end.Before(ia.t) && !b.ownDate && b.hasTime() {
			end = end.Add(24 * time.Hour) // "from 22:37 UTC to 04:47 UTC"
		}
		if end.Before(ia.t) {
			continue
		}
		prec := coarser(ia.prec, ib.prec)
		x.add(cand{
			w:        notice.Window{Start: ia.t, End: notice.TimePtr(end), Precision: prec, Evidence: x.evidence(r.start, max(a.te, b.te)), Origin: notice.OriginText},
			pos:      int(x.toks[r.start].pos),
			explicit: true,
		})
		ia.used, ib.used = true, true
	}
}

// coarser returns the less precise of two precisions.
func coarser(a, b notice.Precision) notice.Precision {
	rank := func(p notice.Precision) int {
		switch p {
		case notice.PrecisionDay:
			return 2
		case notice.PrecisionHour:
			return 1
		}
		return 0
	}
	if rank(a) >= rank(b) {
		return a
	}
	return b
}
