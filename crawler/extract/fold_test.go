package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFoldString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Azure AD", "azure ad"},
		{"Azure-AD", "azure ad"},
		{"  Microsoft   Entra ID ", "microsoft entra id"},
		{"Réunions Zoom", "reunions zoom"},
		{"Störung", "storung"},
		{"caída", "caida"},
		{"Maßnahme", "massnahme"},
		{"ＡＷＳ ＥＣ２", "aws ec2"},
		{"1.1.1.1", "1 1 1 1"},
		{"Apps/Integrations/APIs", "apps integrations apis"},
		{"Slack’s", "slack s"},
		{"클라우드플레어", "클라우드플레어"},
		{"EC2インスタンス", "ec2インスタンス"},
		{"Microsoft Defender (External Attack Surface Management)", "microsoft defender external attack surface management"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := foldString(tc.in); got != tc.want {
				t.Errorf("foldString(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFoldOffsets(t *testing.T) {
	text := "Réunions ＺＯＯＭ: Teams-Kalender"
	f := fold(text)
	for _, word := range []string{"reunions", "zoom", "teams", "kalender"} {
		i := strings.Index(string(f.s), word)
		if i < 0 {
			t.Fatalf("%q not in folded %q", word, f.s)
		}
		o1, o2 := f.orig(i, i+len(word))
		if got := foldString(text[o1:o2]); got != word {
			t.Errorf("orig span of %q is %q", word, text[o1:o2])
		}
	}
}

func TestFoldSegments(t *testing.T) {
	text := "First sentence. Second one!\nImpacted services:\n- Droplets\n- Spaces\nregion.Preliminary root cause: x"
	f := fold(text)
	var got []string
	for _, s := range f.segs {
		got = append(got, strings.TrimSpace(string(f.s[s.from:s.to])))
	}
	want := []string{"first sentence", "second one", "impacted services", "droplets", "spaces", "region", "preliminary root cause x"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("segments = %q, want %q", got, want)
	}
	if !f.segs[2].colon || f.segs[1].colon {
		t.Errorf("colon flags wrong: %+v", f.segs)
	}
	if !f.segs[3].bullet || !f.segs[4].bullet || f.segs[2].bullet {
		t.Errorf("bullet flags wrong: %+v", f.segs)
	}
}

func TestBoundaries(t *testing.T) {
	f := fold("EC2インスタンス teamsters")
	i := strings.Index(string(f.s), "ec2")
	if !f.startOK(i) || !f.endOK(i+3) {
		t.Errorf("ec2 before katakana should be on a boundary")
	}
	j := strings.Index(string(f.s), "teams")
	if f.endOK(j + 5) {
		t.Errorf("teams inside teamsters should not end on a boundary")
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "Azure AD.", "ＡＷＳ障害。", "a:\n- b", "\xff\xfe", "ß.É", "region.Preliminary"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fd := fold(s)
		if len(fd.s) != len(fd.start) {
			t.Fatalf("folded %d bytes but %d offsets", len(fd.s), len(fd.start))
		}
		for i := range fd.s {
			if i > 0 && fd.start[i] < fd.start[i-1] {
				t.Fatalf("offsets not monotonic at %d", i)
			}
			if int(fd.start[i]) > len(s) {
				t.Fatalf("offset %d beyond text", fd.start[i])
			}
		}
		if !utf8.Valid(fd.s) {
			t.Fatalf("folded text is not UTF-8: %q", fd.s)
		}
		prev := 0
		for _, sg := range fd.segs {
			if sg.from < prev || sg.to < sg.from || sg.to > len(fd.s) {
				t.Fatalf("bad segment %+v", sg)
			}
			prev = sg.to
		}
	})
}

func BenchmarkFold(b *testing.B) {
	text := benchNotice()
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		fold(text)
	}
}
