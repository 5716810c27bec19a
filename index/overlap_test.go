package index

import (
	"slices"
	"testing"

	"github.com/gapwatch/gapwatch/notice"
)

func TestMonthsOf(t *testing.T) {
	n := func(ws ...notice.Window) []string {
		return monthsOf(mergedSpans(&notice.Notice{Extraction: notice.Extraction{Windows: ws}}))
	}
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"one month", n(win("2024-09-02T00:00:00Z", "2024-09-19T00:00:00Z", notice.PrecisionMinute)), []string{"m2024-09"}},
		{"day precision widens into the previous month", n(win("2024-09-01T00:00:00Z", "2024-09-01T00:00:00Z", notice.PrecisionDay)), []string{"m2024-08", "m2024-09"}},
		{"two windows, months once each", n(win("2024-01-30T00:00:00Z", "2024-02-02T00:00:00Z", notice.PrecisionMinute),
			win("2024-02-20T00:00:00Z", "2024-04-01T00:00:00Z", notice.PrecisionMinute)), []string{"m2024-01", "m2024-02", "m2024-03", "m2024-04"}},
		{"too long to list", n(win("1990-01-01T00:00:00Z", "2024-01-01T00:00:00Z", notice.PrecisionDay)), []string{monthsLong}},
		{"no windows", n(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !slices.Equal(tt.got, tt.want) {
				t.Fatalf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

// TestSearchLongWindow: a window too long for month terms is still found
// by the overlap filter, and only where it overlaps.
func TestSearchLongWindow(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	long := fixtureNotices()[0]
	long.ID = 99
	long.Extraction.Windows = []notice.Window{win("1990-01-01T00:00:00Z", "2020-01-01T00:00:00Z", notice.PrecisionDay)}
	if err := ix.Index([]notice.Notice{long}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from string
		want []notice.ID
	}{{"2005-06-01T00:00:00Z", []notice.ID{99}}, {"2021-06-01T00:00:00Z", nil}} {
		q := notice.Query{From: at(tc.from), To: at(tc.from)}
		if got := ids(mustSearch(t, ix, q)); !slices.Equal(got, tc.want) {
			t.Fatalf("%s: got %v, want %v", tc.from, got, tc.want)
		}
	}
}
