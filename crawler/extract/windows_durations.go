package extract

import (
	"strings"
	"time"
)

// duration is a stated length of time ("lasting 7 hours 3 minutes",
// "pendant plus d'une heure", "약 16분만에").
type duration struct {
	used           bool
	cueTok, ts, te int
	d              time.Duration
	approx         bool
	after          bool // "after three hours": measured from the start
}

// findDurations finds every duration introduced by a cue word.
func (x *extractor) findDurations() []duration {
	var out []duration
	for k := 0; k < len(x.toks); k++ {
		d, end, ok := x.amountAt(k)
		if !ok {
			continue
		}
		cue, approx, after, found := x.durationCue(k)
		if !found || x.laterWord(end) {
			k = end - 1
			continue
		}
		out = append(out, duration{cueTok: cue, ts: k, te: end, d: d, approx: approx, after: after})
		k = end - 1
	}
	return out
}

// amountAt parses "7 hours 3 minutes", "1 hour and 26 minutes", "7.5
// hours", "an hour", "half an hour", "seven hours", "16분", "3時間".
func (x *extractor) amountAt(k int) (time.Duration, int, bool) {
	var total time.Duration
	j, parts := k, 0
	for j < len(x.toks) && parts < 3 {
		n, u, next, ok := x.quantityAt(j)
		if !ok {
			break
		}
		total += time.Duration(n * float64(u) * float64(time.Second))
		j, parts = next, parts+1
		if j < len(x.toks) && (x.wordAt(j, "and", "et", "und", "y", "e") || x.toks[j].kind == tokPunct && x.toks[j].r == ',') {
			if _, _, _, ok := x.quantityAt(j + 1); ok {
				j++
			}
		}
	}
	return total, j, parts > 0 && total > 0
}

// quantityAt parses one number (or number word) and unit.
func (x *extractor) quantityAt(j int) (n float64, unit int32, next int, ok bool) {
	if j >= len(x.toks) {
		return 0, 0, j, false
	}
	t := &x.toks[j]
	k := j + 1
	switch t.kind {
	case tokNum:
		n = float64(t.num)
		if k+1 < len(x.toks) && x.toks[k].kind == tokPunct && (x.toks[k].r == '.' || x.toks[k].r == ',') &&
			!x.toks[k].is(fSpace) && x.toks[k+1].kind == tokNum && !x.toks[k+1].is(fSpace) {
			frac := float64(x.toks[k+1].num)
			for i := 0; i < int(x.toks[k+1].digits); i++ {
				frac /= 10
			}
			n += frac
			k += 2
		}
	case tokWord:
		v := lexAt(t.lex).num
		switch {
		case v > 0:
			n = float64(v)
		case v == -1 && x.wordAt(k, "an", "a", "une"):
			n, k = 0.5, k+1
		default:
			return 0, 0, j, false
		}
	default:
		return 0, 0, j, false
	}
	if k >= len(x.toks) {
		return 0, 0, j, false
	}
	u := &x.toks[k]
	switch {
	case u.kind == tokWord && lexAt(u.lex).unit > 0:
		return n, lexAt(u.lex).unit, k + 1, true
	case u.kind == tokWord && !u.is(fSpace) && t.kind == tokNum:
		w := x.text[u.pos:u.end]
		switch {
		case strings.HasPrefix(w, "시간"):
			return n, 3600, k + 1, true
		case strings.HasPrefix(w, "분"):
			return n, 60, k + 1, true
		}
	case u.kind == tokHan && t.kind == tokNum:
		r2 := rune(0)
		if k+1 < len(x.toks) {
			r2 = x.toks[k+1].r
		}
		switch {
		case u.r == '時' && r2 == '間', u.r == '小' && r2 == '时':
			return n, 3600, k + 2, true
		case u.r == '分' && (r2 == '間' || r2 == '钟'):
			return n, 60, k + 2, true
		}
	}
	return 0, 0, j, false
}

// durationCue looks before a duration for the word that makes it one
// ("lasting", "for", "pendant", "für", "after", "약"), skipping hedges
// ("about", "up to", "more than", "plus de").
func (x *extractor) durationCue(k int) (cue int, approx, after, ok bool) {
	if k < len(x.toks) && x.toks[k].kind == tokNum {
		if u := k + 1; u < len(x.toks) && x.toks[u].kind == tokWord && strings.Contains(x.text[x.toks[u].pos:x.toks[u].end], "만에") {
			return k, true, false, true
		}
	}
	for j := k - 1; j >= 0 && j >= k-5; j-- {
		if x.toks[j].is(fSent) && j < k-1 {
			return 0, false, false, false
		}
		f := x.cueFlags(j)
		switch {
		case f&lxDurCue != 0:
			return j, approx, false, true
		case f&lxAfter != 0:
			return j, approx, true, true
		case f&(lxApprox|lxUpTo) != 0:
			approx = true
			if x.wordAt(j, "약") {
				return j, true, false, true
			}
		case x.wordAt(j, "more", "than", "over", "plus", "de", "d", "of", "total", "less", "moins", "zu", "mehr", "als", "más", "oltre", "a"):
		case x.toks[j].kind == tokPunct && (x.toks[j].r == '\'' || x.toks[j].r == '’' || x.toks[j].r == '('):
		default:
			return 0, false, false, false
		}
	}
	return 0, false, false, false
}

// laterWord reports "15 minutes later", "plus tard", "ago": an offset, not
// a duration.
func (x *extractor) laterWord(k int) bool {
	return x.wordAt(k, "later", "ago", "earlier", "before", "prior", "plus", "später", "después", "dopo", "fa", "avant", "antes", "prima")
}
