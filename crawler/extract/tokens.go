package extract

import (
	"unicode"
	"unicode/utf8"
)

// tokKind classifies a token.
type tokKind uint8

const (
	tokWord  tokKind = iota + 1 // a run of letters (Latin, Hangul, ...)
	tokNum                      // a run of ASCII digits
	tokPunct                    // one punctuation or symbol rune
	tokHan                      // one Han ideograph or kana
)

// Token flags.
const (
	fSpace uint8 = 1 << iota // whitespace precedes the token
	fLine                    // a line break precedes the token
	fSent                    // a sentence boundary precedes the token
	fUpper                   // a word starting with an upper-case letter
)

// token is one lexical unit of a notice. Offsets are byte offsets into the
// text, so evidence is always an exact substring.
type token struct {
	pos, end int32
	num      int32 // value of a number (saturated)
	lex      int16 // lexicon index of a word, 0 if unknown
	kind     tokKind
	digits   uint8
	flags    uint8
	r        rune // normalized rune of a punctuation or Han token
}

func (t *token) is(f uint8) bool { return t.flags&f != 0 }

// tokenizer splits a notice into tokens in one pass. Words are looked up
// in the lexicon while they are scanned, using a reusable lower-case
// buffer, so tokenizing does not allocate per word.
type tokenizer struct {
	buf []byte
}

// tokenize returns the tokens of text, reusing dst.
func (z *tokenizer) tokenize(text string, dst []token) []token {
	var flags uint8
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\n':
			flags |= fSpace | fLine
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			flags |= fSpace
			i++
			continue
		case c >= '0' && c <= '9':
			j, v := i, int32(0)
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				if v < 1<<24 {
					v = v*10 + int32(text[j]-'0')
				}
				j++
			}
			dst = append(dst, token{pos: int32(i), end: int32(j), kind: tokNum, num: v, digits: uint8(min(j-i, 255)), flags: flags})
			flags = 0
			i = j
			continue
		case c < utf8.RuneSelf:
			if isASCIILetter(c) {
				i = z.word(text, i, flags, &dst)
				flags = 0
				continue
			}
			dst = append(dst, token{pos: int32(i), end: int32(i + 1), kind: tokPunct, r: rune(c), flags: flags})
			flags = 0
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == 0x00A0 || r == 0x3000 || r == 0x2009 || r == 0x202F || r == 0x200B || r == 0xFEFF || unicode.IsSpace(r):
			if r == 0x2028 || r == 0x2029 || r == 0x85 {
				flags |= fLine
			}
			flags |= fSpace
			i += size
		case isHanKana(r):
			dst = append(dst, token{pos: int32(i), end: int32(i + size), kind: tokHan, r: r, flags: flags})
			flags = 0
			i += size
		case unicode.IsLetter(r):
			i = z.word(text, i, flags, &dst)
			flags = 0
		case r >= 0xFF10 && r <= 0xFF19: // full-width digit
			dst = append(dst, token{pos: int32(i), end: int32(i + size), kind: tokNum, num: r - 0xFF10, digits: 1, flags: flags})
			flags = 0
			i += size
		default:
			dst = append(dst, token{pos: int32(i), end: int32(i + size), kind: tokPunct, r: normPunct(r), flags: flags})
			flags = 0
			i += size
		}
	}
	markSentences(text, dst)
	return dst
}

// word scans a run of letters starting at i, appends it and returns the
// offset after it.
func (z *tokenizer) word(text string, i int, flags uint8, dst *[]token) int {
	z.buf = z.buf[:0]
	j := i
	first := true
	for j < len(text) {
		c := text[j]
		if c < utf8.RuneSelf {
			if !isASCIILetter(c) {
				break
			}
			if first && c >= 'A' && c <= 'Z' {
				flags |= fUpper
			}
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			z.buf = append(z.buf, c)
			j++
			first = false
			continue
		}
		r, size := utf8.DecodeRuneInString(text[j:])
		if isHanKana(r) || !(unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)) {
			break
		}
		if first && unicode.IsUpper(r) {
			flags |= fUpper
		}
		z.buf = utf8.AppendRune(z.buf, unicode.ToLower(r))
		j += size
		first = false
	}
	*dst = append(*dst, token{pos: int32(i), end: int32(j), kind: tokWord, lex: lexIndex[string(z.buf)], flags: flags})
	return j
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isHanKana reports Chinese ideographs and Japanese kana, which are
// tokenized one rune at a time because they are written without spaces.
func isHanKana(r rune) bool {
	return r >= 0x3040 && r <= 0x30FF || r >= 0x3400 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF
}

// normPunct folds punctuation variants so that rules test one rune.
func normPunct(r rune) rune {
	switch r {
	case '：', '∶':
		return ':'
	case '–', '—', '‒', '−', '―', '‐', '‑':
		return '-'
	case '〜', '～', '∼':
		return '~'
	case '，', '、':
		return ','
	case '（':
		return '('
	case '）':
		return ')'
	case '．':
		return '.'
	case '／':
		return '/'
	case '＋':
		return '+'
	case '！':
		return '!'
	case '？':
		return '?'
	case '；':
		return ';'
	}
	return r
}

// markSentences sets fSent on the first token of every sentence: after a
// line break, or after ., ! or ? followed by an upper-case word or a number
// (unless the dot ends an abbreviation such as "a.m." or "Dec."), or glued
// to the next sentence as in "region.Preliminary".
func markSentences(text string, toks []token) {
	for i := range toks {
		t := &toks[i]
		if i == 0 || t.is(fLine) {
			t.flags |= fSent
			continue
		}
		p := &toks[i-1]
		if p.kind != tokPunct {
			continue
		}
		switch p.r {
		case '!', '?', '。':
			t.flags |= fSent
		case '.':
			if p.pos > 0 && text[p.pos-1] == '.' {
				continue
			}
			if sentenceAfterDot(text, toks, i) {
				t.flags |= fSent
			}
		}
	}
}

func sentenceAfterDot(text string, toks []token, i int) bool {
	t := &toks[i]
	if i < 2 {
		return t.is(fSpace)
	}
	pp := &toks[i-2]
	if pp.kind == tokWord && (pp.end-pp.pos == 1 || lexAt(pp.lex).flags&lxAbbrev != 0) {
		return false
	}
	if pp.kind == tokNum {
		// "18. April", "29.09." are dates, not sentence ends.
		return t.is(fSpace) && t.kind == tokWord && t.is(fUpper) && lexAt(t.lex).month == 0
	}
	if !t.is(fSpace) {
		return t.kind == tokWord && t.is(fUpper) && pp.kind == tokWord && pp.end-pp.pos > 2 && !pp.is(fUpper)
	}
	switch t.kind {
	case tokWord:
		r, _ := utf8.DecodeRuneInString(text[t.pos:])
		return t.is(fUpper) || unicode.Is(unicode.Hangul, r)
	case tokNum, tokHan:
		return true
	}
	return false
}
