package api

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// TestWindowsJSONMatchesEncodingJSON: the hand-written encoder writes
// byte for byte what encoding/json writes, for awkward strings and times.
func TestWindowsJSONMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 9))
	pieces := []string{"a", "é", "\"", "\\", "\n", "\t", "\x00", "\x1f", "<script>", "&", "\u2028", "\u2029", "\xff", "\xe2\x82", "日本", "🙂", "/", " "}
	str := func() string {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	zones := []*time.Location{time.UTC, time.FixedZone("x", 5*3600+1800), time.FixedZone("y", -7*3600)}
	tm := func() time.Time {
		return time.Unix(r.Int64N(4e9)-1e9, r.Int64N(3)*int64(r.IntN(1e9))).In(zones[r.IntN(len(zones))])
	}
	for i := range 500 {
		var hits []notice.WindowHit
		for range i % 4 {
			h := notice.WindowHit{NoticeID: notice.ID(r.Int64N(1e12) - 5e11), Product: str(), Vendor: str(), Start: tm(),
				Precision: notice.Precision(str()), Category: notice.Category(str()), Title: str(), URL: str()}
			if r.IntN(2) == 0 {
				end := tm()
				h.End = &end
			} else if r.IntN(2) == 0 {
				ae := tm()
				h.AssumedEnd = &ae
			}
			hits = append(hits, h)
		}
		want, err := json.Marshal(struct {
			Windows []notice.WindowHit `json:"windows"`
		}{nonNil(hits)})
		if err != nil {
			t.Fatal(err)
		}
		if got := appendWindows(nil, hits); string(got) != string(want) {
			t.Fatalf("case %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
