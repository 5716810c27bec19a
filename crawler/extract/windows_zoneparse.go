package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// zoneAt parses a zone name at token j ("PDT", "US/Pacific", "Pacific
// Daylight Time", "hora peninsular española", "UTC+8", "local time").
func (ps *dtParser) zoneAt(j int, p *point) int {
	t := ps.tok(j)
	if t.kind == tokWord && !ps.isASCII(j) {
		if k := ps.cjkZone(j, p); k > j {
			return k
		}
	}
	if k := ps.localAt(j, p); k > j {
		return k
	}
	if t.kind != tokWord || lexAt(t.lex).flags&lxZoneStart == 0 {
		return j
	}
	var buf [64]byte
	b := buf[:0]
	best, bestK := 0, j
	for k := j; k < j+6 && k < len(ps.toks); k++ {
		tk := ps.tok(k)
		switch {
		case tk.kind == tokWord:
			if k > j && tk.is(fSpace) {
				b = append(b, ' ')
			}
			b = appendLower(b, ps.text[tk.pos:tk.end])
		case tk.kind == tokPunct && (tk.r == '/' || tk.r == '_') && ps.glued(k) && ps.glued(k+1):
			b = append(b, byte(tk.r))
		default:
			k = len(ps.toks)
			continue
		}
		if id, ok := zoneNames[string(b)]; ok {
			best, bestK = id, k+1
		}
	}
	if best == 0 || bestK == j+1 && !ps.zoneWordOK(j) {
		return j
	}
	if best == zUTC || best == zGMT {
		if off, k, ok := ps.offsetAt(bestK); ok {
			p.off, p.hasOff = off, true
			return k
		}
	}
	p.zone = best
	return bestK
}

// zoneWordOK rejects single words that are zone abbreviations only when
// written in capitals ("EST" but not French "est", "ET" but not "et").
func (ps *dtParser) zoneWordOK(j int) bool {
	t := ps.tok(j)
	w := ps.text[t.pos:t.end]
	if len(w) > 4 {
		return t.is(fUpper)
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return false
		}
	}
	return true
}

// localAt marks "local time", "heure locale", "hora local", "Ortszeit":
// a zone the text does not name.
func (ps *dtParser) localAt(j int, p *point) int {
	e := ps.lex(j)
	switch {
	case ps.wordIs(j, "ortszeit"):
		p.local = true
		return j + 1
	case e.flags&lxLocal != 0 && ps.lex(j+1).flags&lxTimeWord != 0:
		p.local = true
		return j + 2
	case e.flags&lxTimeWord != 0 && ps.lex(j+1).flags&lxLocal != 0 && !ps.wordIs(j+2, "de"):
		p.local = true
		return j + 2
	}
	return j
}

// cjkZone matches zone names written in CJK scripts at token j.
func (ps *dtParser) cjkZone(j int, p *point) int {
	pos := int(ps.tok(j).pos)
	if r, _ := utf8.DecodeRuneInString(ps.text[pos:]); !zoneCJKFirst[r] {
		return j
	}
	for _, z := range zoneCJK {
		if strings.HasPrefix(ps.text[pos:], z.text) {
			end := int32(pos + len(z.text))
			k := j
			for k < len(ps.toks) && ps.toks[k].pos < end {
				k++
			}
			p.zone = z.id
			return k
		}
	}
	return j
}

// hanComponent parses CJK zone names, 午前/午後 style meridiems and
// relative days written in Han script at token j.
func (ps *dtParser) hanComponent(j int, p *point, pendingMer *int8) int {
	if !p.hasZone() {
		if k := ps.cjkZone(j, p); k > j {
			return k
		}
	}
	a, b := ps.tok(j).r, ps.tok(j+1).r
	if p.hasTime() {
		return j
	}
	m := merNone
	switch {
	case a == '午' && b == '前', a == '上' && b == '午', a == '凌' && b == '晨', a == '早' && b == '上':
		m = merAM
	case a == '午' && (b == '後' || b == '后'), a == '下' && b == '午', a == '中' && b == '午':
		m = merPM
	case a == '晚' && b == '上', a == '夜' && b == '間':
		m = merEvening
	}
	if m != merNone && ps.tok(j+2).kind == tokNum {
		*pendingMer = m
		return j + 2
	}
	if p.rel == relNone && !p.hasDate() && ps.tok(j+2).kind == tokNum {
		switch {
		case a == '今' && (b == '日' || b == '天'), a == '本' && b == '日':
			p.rel = relToday
			return j + 2
		case a == '昨' && (b == '日' || b == '天'):
			p.rel = relYesterday
			return j + 2
		}
	}
	return j
}

// appendLower appends the lower-case form of s.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b = utf8.AppendRune(b, unicode.ToLower(r))
		i += size
	}
	return b
}
