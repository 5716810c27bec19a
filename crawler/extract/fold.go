package extract

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// folded is a searchable copy of a text: lower case, accents removed,
// full-width forms narrowed, and every run of characters that are neither
// letters nor digits replaced by one space. The copy starts and ends with a
// space so that word boundaries never need a special case at the edges.
// Catalog patterns are folded the same way, so "Azure-AD", "azure AD" and
// "Azure AD" all meet in "azure ad".
type folded struct {
	text string
	s    []byte
	// start[i] is the byte offset, in text, of the rune that produced s[i].
	start []int32
	// segs are the text's sentences (and list items, lines), in folded
	// offsets, in order.
	segs []segment
	// clauses are the folded offsets of clause punctuation (commas,
	// parentheses, colons, quotes), which end the reach of a negation.
	clauses []int
}

// segment is one sentence, line or list item of a folded text.
type segment struct {
	from, to int // folded byte offsets [from, to)
	// colon marks a segment ending in ':' (it introduces the list below).
	colon bool
	// bullet marks a segment that starts with a list marker.
	bullet bool
}

// foldString folds a single string (a pattern or a lookup key), trimming
// the edge spaces.
func foldString(s string) string {
	f := fold(s)
	b := f.s
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// fold builds the folded copy of text, with its sentence segments.
func fold(text string) *folded {
	f := &folded{
		text:  text,
		s:     make([]byte, 0, len(text)+2),
		start: make([]int32, 0, len(text)+2),
	}
	f.push(' ', 0)
	seg := segment{from: 1}
	lastPunct := rune(0) // last non-space, non-alnum rune since the last word
	atSegStart := true
	var buf [utf8.UTFMax * 4]byte
	for i := 0; i < len(text); {
		// Fast path for the common ASCII letters, digits and spaces.
		if c := text[i]; isASCIIAlnum(c) || (c >= 'A' && c <= 'Z') {
			if c <= 'Z' && c >= 'A' {
				c += 'a' - 'A'
			}
			f.push(c, int32(i))
			i++
			atSegStart, lastPunct = false, 0
			continue
		} else if c == ' ' {
			f.space(int32(i))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		o := int32(i)
		i += size
		if atSegStart && isBullet(r) {
			seg.bullet = true
		}
		if !unicode.IsSpace(r) {
			atSegStart = false
		}
		if breaksSentence(r, text, i) || r == '\n' {
			seg.colon = r == '\n' && lastPunct == ':'
			f.space(o)
			f.closeSeg(&seg)
			atSegStart, lastPunct = true, 0
			continue
		}
		out := foldRune(r, buf[:0])
		if len(out) == 0 {
			if !unicode.IsSpace(r) {
				lastPunct = r
			}
			f.space(o)
			if isClausePunct(r) {
				f.clauses = append(f.clauses, len(f.s))
			}
			continue
		}
		lastPunct = 0
		for _, b := range out {
			f.push(b, o)
		}
	}
	seg.colon = lastPunct == ':'
	f.space(int32(len(text)))
	f.closeSeg(&seg)
	return f
}

// push appends one folded byte produced by the original rune at o.
func (f *folded) push(b byte, o int32) {
	f.s = append(f.s, b)
	f.start = append(f.start, o)
}

// space appends a separator unless the folded text already ends with one.
func (f *folded) space(o int32) {
	if f.s[len(f.s)-1] != ' ' {
		f.push(' ', o)
	}
}

// closeSeg ends the current segment at the end of the folded text and
// starts the next one; empty segments are dropped.
func (f *folded) closeSeg(seg *segment) {
	seg.to = len(f.s)
	if seg.to-seg.from > 1 {
		f.segs = append(f.segs, *seg)
	}
	*seg = segment{from: len(f.s)}
}

// segAt returns the index of the segment holding folded offset pos, or -1.
func (f *folded) segAt(pos int) int {
	lo, hi := 0, len(f.segs)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case pos < f.segs[m].from:
			hi = m
		case pos >= f.segs[m].to:
			lo = m + 1
		default:
			return m
		}
	}
	return -1
}

// orig maps the folded span [from, to) back to original byte offsets.
func (f *folded) orig(from, to int) (int, int) {
	last := int(f.start[to-1])
	_, size := utf8.DecodeRuneInString(f.text[last:])
	return int(f.start[from]), last + size
}

// breaksSentence reports whether r at the byte before next ends a sentence:
// '.', '!' or '?' followed by a space, the end of the text or (for run
// together Azure texts such as "region.Preliminary") an upper-case letter,
// and the CJK full stops.
func breaksSentence(r rune, text string, next int) bool {
	switch r {
	case '。', '！', '？':
		return true
	case '.', '!', '?':
		if next >= len(text) {
			return true
		}
		n, _ := utf8.DecodeRuneInString(text[next:])
		if unicode.IsSpace(n) || n == '"' || n == '\'' || n == '”' || n == '’' || n == ')' {
			return true
		}
		return r == '.' && unicode.IsUpper(n) && next >= 2 && unicode.IsLower(rune(text[next-2]))
	}
	return false
}

// isClausePunct reports whether r ends a clause (and so a negation's reach).
func isClausePunct(r rune) bool {
	switch r {
	case ',', ';', ':', '(', ')', '[', ']', '"', '“', '”', '«', '»', '–', '—', '、', '，', '；', '：', '（', '）':
		return true
	}
	return false
}

// isBullet reports whether r marks a list item when it starts a line.
func isBullet(r rune) bool {
	switch r {
	case '-', '*', '•', '●', '▪', '◦', '‣', '·', '–', '—':
		return true
	}
	return false
}

// foldRune appends the folded form of r to dst: nothing for separators,
// lower-case ASCII for ASCII letters and digits, the NFKD decomposition
// without combining marks for other Latin, Greek and Cyrillic letters and
// full-width forms, and the rune itself for CJK and Hangul (whose NFKD form
// would split syllables into jamo).
func foldRune(r rune, dst []byte) []byte {
	if r < utf8.RuneSelf {
		switch {
		case r >= 'A' && r <= 'Z':
			return append(dst, byte(r+'a'-'A'))
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return append(dst, byte(r))
		}
		return dst
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return dst
	}
	if r >= 0x2E80 && !(r >= 0xFF00 && r <= 0xFFEF) {
		return utf8.AppendRune(dst, r)
	}
	if r < rune(len(latinFold)) {
		return append(dst, latinFold[r]...)
	}
	return appendDecomposed(dst, r)
}

// latinFold caches the folding of the Latin-1 and Latin Extended letters,
// the accented letters of French, German, Spanish and Italian text, so that
// they skip the decomposition. It is computed once and never changed.
var latinFold = func() (t [0x250]string) {
	for r := rune(0x80); r < 0x250; r++ {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			t[r] = string(appendDecomposed(nil, r))
		}
	}
	t['ß'] = "ss"
	return t
}()

// appendDecomposed appends r's NFKD decomposition without combining marks
// or punctuation, in lower case.
func appendDecomposed(dst []byte, r rune) []byte {
	for _, d := range norm.NFKD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		if d < utf8.RuneSelf && !isASCIIAlnum(byte(d)) && !(d >= 'A' && d <= 'Z') {
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(d))
	}
	return dst
}

// isASCIIAlnum reports whether b is a folded ASCII letter or digit.
func isASCIIAlnum(b byte) bool {
	return (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
}

// isWordRune reports whether r belongs to a script that separates words
// with spaces (so a pattern cannot start or end next to it). CJK and
// Hangul characters are not word runes: "EC2インスタンス" holds "EC2".
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r))
	}
	if r >= 0x2E80 {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// boundaryBefore reports whether a match may start at folded offset pos.
func (f *folded) boundaryBefore(pos int) bool {
	if pos == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRune(f.s[:pos])
	return !isWordRune(r)
}

// boundaryAfter reports whether a match may end at folded offset pos.
func (f *folded) boundaryAfter(pos int) bool {
	if pos >= len(f.s) {
		return true
	}
	r, _ := utf8.DecodeRune(f.s[pos:])
	return !isWordRune(r)
}

// startOK reports whether a match may start at folded offset pos: after a
// boundary, or anywhere when the match starts with a CJK character.
func (f *folded) startOK(pos int) bool {
	if f.boundaryBefore(pos) {
		return true
	}
	r, _ := utf8.DecodeRune(f.s[pos:])
	return !isWordRune(r)
}

// endOK reports whether a match may end at folded offset pos: before a
// boundary, or anywhere when the match ends with a CJK character.
func (f *folded) endOK(pos int) bool {
	if f.boundaryAfter(pos) {
		return true
	}
	r, _ := utf8.DecodeLastRune(f.s[:pos])
	return !isWordRune(r)
}
