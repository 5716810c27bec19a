package extract

import "strings"

// timeAt parses a clock time at number token j: "08:51", "15:09:00",
// "3.54 AM", "13h30", "0h40", "10 pm", "6 a.m.", "6:00 Uhr", "depuis 7
// heures", "3시 32분", "11時48分", "5点".
func (ps *dtParser) timeAt(j int, p *point) int {
	t := ps.tok(j)
	if t.digits > 2 || t.num > 24 {
		return j
	}
	h, mi, sec, hasMin := int(t.num), 0, 0, false
	k, clock := j+1, false
	next := ps.tok(k + 1)
	twoDigits := next.kind == tokNum && next.digits == 2 && next.num < 60
	switch {
	case ps.isPunct(k, ':') && ps.glued(k) && ps.glued(k+1) && twoDigits:
		mi, hasMin, clock, k = int(next.num), true, true, k+2
		if s := ps.tok(k + 1); ps.isPunct(k, ':') && ps.glued(k) && ps.glued(k+1) && s.kind == tokNum && s.digits == 2 && s.num < 60 {
			sec, k = int(s.num), k+2
		}
		if ps.isPunct(k, '.') && ps.glued(k) && ps.glued(k+1) && ps.tok(k+1).kind == tokNum {
			k += 2
		}
	case ps.isPunct(k, '.') && ps.glued(k) && ps.glued(k+1) && twoDigits && !(ps.isPunct(k+2, '.') && ps.glued(k+2)):
		if m, _ := ps.meridiem(k + 2); m == merNone && ps.lex(k+2).flags&lxUhr == 0 &&
			!ps.wordIs(j-1, "ore", "alle", "dalle", "um", "gegen", "à", "vers", "las") {
			return j
		}
		mi, hasMin, clock, k = int(next.num), true, true, k+2
	case ps.wordIs(k, "h") && ps.glued(k):
		if ps.glued(k+1) && twoDigits {
			mi, hasMin, k = int(next.num), true, k+2
		} else {
			k++
			if ps.lex(j-1).flags&lxDurCue != 0 || ps.isPunct(k, '/') {
				return j
			}
		}
		clock = true
	case ps.hangulPrefix(k, "시") && ps.glued(k) && !ps.hangulPrefix(k, "시간"):
		p.approx = p.approx || strings.Contains(ps.text[ps.tok(k).pos:ps.tok(k).end], "경")
		k, clock = k+1, true
		if m := ps.tok(k); m.kind == tokNum && m.num < 60 && ps.hangulPrefix(k+1, "분") {
			mi, hasMin, k = int(m.num), true, k+2
		}
	case (ps.han(k, '時') || ps.han(k, '点') || ps.han(k, '點')) && !ps.han(k+1, '間'):
		k, clock = k+1, true
		if m := ps.tok(k); m.kind == tokNum && m.num < 60 && ps.han(k+1, '分') {
			mi, hasMin, k = int(m.num), true, k+2
		} else if ps.han(k, '半') {
			mi, hasMin, k = 30, true, k+1
		}
		if ps.han(k, '頃') || ps.han(k, '左') {
			p.approx = true
		}
	case ps.lex(k).flags&lxUhr != 0:
		k, clock = k+1, true
	case ps.lex(k).flags&lxHourWord != 0 && !ps.glued(k) &&
		ps.wordIs(j-1, "à", "vers", "depuis", "dès", "jusqu", "las", "hacia", "desde", "hasta", "alle", "dalle", "verso"):
		k, clock = k+1, true
	}
	if m, kk := ps.meridiem(k); m != merNone {
		if h < 1 || h > 12 {
			return j
		}
		p.mer, k, clock = m, kk, true
	}
	if !clock || h > 24 {
		return j
	}
	if ps.lex(k).flags&lxUhr != 0 {
		k++
	}
	if ps.wordIs(k, "z") && ps.glued(k) {
		p.zone, k = zUTC, k+1
	} else if sec > 0 || ps.isPunct(k, '+') {
		if off, kk, ok := ps.offsetAt(k); ok && ps.glued(k) {
			p.off, p.hasOff, k = off, true, kk
		}
	}
	p.hour, p.min, p.sec, p.hasMin = h, mi, sec, hasMin
	return k
}

// meridiem reads "AM", "pm", "a.m.", "P.M." at token k.
func (ps *dtParser) meridiem(k int) (int8, int) {
	t := ps.tok(k)
	if t.kind != tokWord || !ps.isASCII(k) {
		return merNone, k
	}
	if e := lexAt(t.lex); e.mer == merAM || e.mer == merPM {
		return e.mer, k + 1
	}
	if (ps.wordIs(k, "a") || ps.wordIs(k, "p")) && ps.isPunct(k+1, '.') && ps.glued(k+1) && ps.wordIs(k+2, "m") && ps.glued(k+2) {
		m := merAM
		if ps.wordIs(k, "p") {
			m = merPM
		}
		k += 3
		if ps.isPunct(k, '.') && ps.glued(k) {
			k++
		}
		return m, k
	}
	return merNone, k
}

// offsetAt reads "+8", "-07:00", "+0530" at token k.
func (ps *dtParser) offsetAt(k int) (int32, int, bool) {
	t := ps.tok(k)
	if t.kind != tokPunct || (t.r != '+' && t.r != '-') {
		return 0, k, false
	}
	n := ps.tok(k + 1)
	if n.kind != tokNum || !ps.glued(k+1) {
		return 0, k, false
	}
	sign := int32(1)
	if t.r == '-' {
		sign = -1
	}
	h, m, end := int32(n.num), int32(0), k+2
	if n.digits == 4 {
		h, m = n.num/100, n.num%100
	} else if ps.isPunct(k+2, ':') && ps.glued(k+2) && ps.tok(k+3).kind == tokNum && ps.tok(k+3).digits == 2 {
		m, end = ps.tok(k+3).num, k+4
	} else if n.digits > 2 {
		return 0, k, false
	}
	if h > 14 || m > 59 {
		return 0, k, false
	}
	return sign * (h*3600 + m*60), end, true
}
