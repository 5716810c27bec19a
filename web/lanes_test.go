package web

import (
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// TestVendorItems: vendor windows beside gaps are clipped context, and an
// open one ends at its notice's OpenUntil (the linking horizon), not now.
func TestVendorItems(t *testing.T) {
	start := time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC)
	published := time.Date(2025, 5, 2, 9, 0, 0, 0, time.UTC)
	open := notice.Link{Gap: 1, Notice: 7, Vendor: "Example", Title: "Queue delays",
		Window: notice.Window{Start: start, Precision: notice.PrecisionMinute}}
	closed := open
	closed.Window.End = notice.TimePtr(start.Add(time.Hour))
	notices := map[notice.ID]notice.Notice{7: {ID: 7, Item: notice.Item{Published: published}}}
	cases := []struct {
		name    string
		link    notice.Link
		notices map[notice.ID]notice.Notice
		until   time.Time
		title   string
	}{
		{"open, notice known", open, notices, published.Add(notice.OpenHorizon), "ongoing, assumed until 2025-05-09 09:00 UTC"},
		{"open, notice gone", open, nil, start.Add(notice.OpenHorizon), "ongoing, assumed until 2025-05-08 08:00 UTC"},
		{"closed", closed, notices, time.Time{}, "2025-05-01 08:00 UTC → 2025-05-01 09:00 UTC"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			it := vendorItem(tc.link, tc.notices, 1)
			if !it.Clip || it.Sub != 1 || it.Href != "/notices/7" || !it.Until.Equal(tc.until) || !strings.Contains(it.Title, tc.title) {
				t.Fatalf("item %+v, want clipped, until %v, title with %q", it, tc.until, tc.title)
			}
		})
	}
	gap := notice.Gap{ID: 1, Source: "Queue", Start: start.Add(2 * time.Hour), End: start.Add(3 * time.Hour)}
	lanes := gapLanes([]notice.Gap{gap}, map[notice.GapID][]notice.Link{1: {open}}, notices)
	if len(lanes) != 1 || len(lanes[0].Items) != 2 || !lanes[0].Items[1].Clip || !lanes[0].Items[1].Until.Equal(published.Add(notice.OpenHorizon)) {
		t.Fatalf("gap lanes %+v", lanes)
	}
}
