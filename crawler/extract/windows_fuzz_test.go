package extract

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzExtractWindows checks that extraction never panics, never returns a
// window that ends before it starts, and quotes its evidence verbatim.
func FuzzExtractWindows(f *testing.F) {
	seeds := []string{
		"Between 08:51 UTC on 14 March 2024 and 15:30 UTC on 15 March 2024",
		"between 12:15 PM and 12:21 PM PDT",
		"du 2 au 19 septembre, dans la nuit du 9 au 10 mars à 00h47",
		"18. April 2022, 23:57 UTC bis Nacht zum Dienstag (29.09.)",
		"2024年5月6日 20:23 至 21:56 (UTC+8)，日本時間22日午前9時",
		"오늘(25년 12월 5일 저녁 6시경) 장애가 발생 약 16분만에 복구",
		"4/18/22 from 10:21 to 13:05 PDT lasting 7 hours 3 minutes",
		"Dec 20, 09:42 CET\nResolved - done\nDec 17, 13:38 CET\nInvestigating",
		"1.1.1.1 7.11 2/ 4/ 12:",
	}
	for _, s := range seeds {
		f.Add(s, "en", int64(1700000000))
	}
	f.Fuzz(func(t *testing.T, text, lang string, pubSec int64) {
		h := WindowHints{Language: lang, Vendor: "AWS"}
		if pubSec > 0 && pubSec < 1<<33 {
			h.Published = time.Unix(pubSec, 0).UTC()
		}
		for _, w := range ExtractWindows(text, h) {
			if w.End != nil && w.End.Before(w.Start) {
				t.Fatalf("window ends before it starts: %+v", w)
			}
			if err := w.Validate(); err != nil {
				t.Fatalf("invalid window %+v: %v", w, err)
			}
			if !strings.Contains(text, w.Evidence) || w.Evidence == "" {
				t.Fatalf("evidence %q is not in the text", w.Evidence)
			}
			if utf8.ValidString(text) && !utf8.ValidString(w.Evidence) {
				t.Fatalf("evidence %q splits a rune", w.Evidence)
			}
		}
	})
}
