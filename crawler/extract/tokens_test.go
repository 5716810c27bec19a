package extract

import "testing"

func TestTokenize(t *testing.T) {
	var z tokenizer
	toks := z.tokenize("Between 11：45 UTC.\nThe 2,000 users—日本時間 3시", nil)
	type tk struct {
		kind tokKind
		text string
		sent bool
	}
	want := []tk{
		{tokWord, "Between", true}, {tokNum, "11", false}, {tokPunct, "：", false}, {tokNum, "45", false},
		{tokWord, "UTC", false}, {tokPunct, ".", false}, {tokWord, "The", true}, {tokNum, "2", false},
		{tokPunct, ",", false}, {tokNum, "000", false}, {tokWord, "users", false}, {tokPunct, "—", false},
		{tokHan, "日", false}, {tokHan, "本", false}, {tokHan, "時", false}, {tokHan, "間", false},
		{tokNum, "3", false}, {tokWord, "시", false},
	}
	text := "Between 11：45 UTC.\nThe 2,000 users—日本時間 3시"
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens, want %d", len(toks), len(want))
	}
	for i, w := range want {
		g := toks[i]
		if g.kind != w.kind || text[g.pos:g.end] != w.text || g.is(fSent) != w.sent {
			t.Errorf("token %d = kind %d %q sent %v, want kind %d %q sent %v", i, g.kind, text[g.pos:g.end], g.is(fSent), w.kind, w.text, w.sent)
		}
	}
	if toks[2].r != ':' || toks[11].r != '-' {
		t.Errorf("full-width colon and em dash not normalized: %q %q", toks[2].r, toks[11].r)
	}
	if toks[1].num != 11 || toks[9].num != 0 || toks[9].digits != 3 {
		t.Errorf("number values wrong: %+v %+v", toks[1], toks[9])
	}
}

func TestSentenceBreaks(t *testing.T) {
	cases := []struct {
		name string
		text string
		word string // the token that must (or must not) start a sentence
		sent bool
	}{
		{"after a full stop", "It failed. Engineers acted.", "Engineers", true},
		{"a.m. is not an end", "at 6 a.m. EST today", "EST", false},
		{"month abbreviation", "on Dec. 7 we saw", "7", false},
		{"German ordinal day", "am 18. April 2022", "April", false},
		{"glued sentences", "in this region.Preliminary root cause", "Preliminary", true},
		{"Japanese full stop", "発生した。21日", "21", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var z tokenizer
			toks := z.tokenize(c.text, nil)
			for _, tk := range toks {
				if c.text[tk.pos:tk.end] == c.word {
					if tk.is(fSent) != c.sent {
						t.Errorf("%q starts a sentence = %v, want %v", c.word, tk.is(fSent), c.sent)
					}
					return
				}
			}
			t.Fatalf("token %q not found", c.word)
		})
	}
}
