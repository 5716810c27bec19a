package web_test

import (
	"math"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/web"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.01 }

func TestTimelineDayWindowsCoverWholeDays(t *testing.T) {
	now := at("2026-01-01T00:00:00Z")
	lanes := []web.Lane{
		{Label: "day", Items: []web.Item{{Start: at("2024-09-02T00:00:00Z"), End: notice.TimePtr(at("2024-09-19T00:00:00Z")), Precision: notice.PrecisionDay}}},
		{Label: "same span in minutes", Items: []web.Item{{Start: at("2024-09-02T00:00:00Z"), End: notice.TimePtr(at("2024-09-20T00:00:00Z")), Precision: notice.PrecisionMinute}}},
		{Label: "noon to noon", Items: []web.Item{{Start: at("2024-09-02T12:00:00Z"), End: notice.TimePtr(at("2024-09-19T12:00:00Z")), Precision: notice.PrecisionMinute}}},
		{Label: "day given at noon", Items: []web.Item{{Start: at("2024-09-02T12:00:00Z"), End: notice.TimePtr(at("2024-09-19T12:00:00Z")), Precision: notice.PrecisionDay}}},
	}
	tl := web.DrawTimeline("t", lanes, now)
	day, whole, noon, dayNoon := tl.Bars[0], tl.Bars[1], tl.Bars[2], tl.Bars[3]
	if !near(day.X, whole.X) || !near(day.W, whole.W) {
		t.Errorf("day window %v,%v should span 2 Sep 00:00 to 20 Sep 00:00 (%v,%v)", day.X, day.W, whole.X, whole.W)
	}
	if !(noon.X > day.X) || !(noon.X+noon.W < day.X+day.W) {
		t.Errorf("a minute window inside the days is drawn inside them: %+v vs %+v", noon, day)
	}
	if !near(dayNoon.X, day.X) || !near(dayNoon.W, day.W) {
		t.Errorf("a day window is its whole days whatever the time given: %+v vs %+v", dayNoon, day)
	}
	if day.X <= tl.Left || day.X+day.W >= tl.Right || len(tl.Rows) != 4 {
		t.Errorf("bars should sit inside the padded range: %+v in [%v, %v]", day, tl.Left, tl.Right)
	}
}

func TestTimelineOpenWindowRunsToTheEdge(t *testing.T) {
	now := at("2025-03-10T12:00:00Z")
	tl := web.DrawTimeline("t", []web.Lane{
		{Label: "closed", Items: []web.Item{{Start: at("2025-03-10T06:00:00Z"), End: notice.TimePtr(at("2025-03-10T07:00:00Z")), Precision: notice.PrecisionMinute}}},
		{Label: "open", Items: []web.Item{{Start: at("2025-03-10T07:41:00Z"), Precision: notice.PrecisionMinute, Class: "win", Label: "Ongoing"}}},
	}, now)
	open := tl.Bars[1]
	if !open.Open || !near(open.X+open.W, tl.Right) || open.Class != "win" {
		t.Fatalf("open bar %+v should be marked open and reach %v", open, tl.Right)
	}
	if tl.Bars[0].Open || tl.Bars[0].X+tl.Bars[0].W >= open.X {
		t.Fatalf("closed bar %+v", tl.Bars[0])
	}
	if open.Label != "Ongoing" || open.Outside {
		t.Fatalf("a wide open bar carries its label inside: %+v", open)
	}
}

func TestTimelineClipsContext(t *testing.T) {
	now := at("2026-01-01T00:00:00Z")
	gap := web.Item{Start: at("2024-09-04T02:00:00Z"), End: notice.TimePtr(at("2024-09-04T09:30:00Z")), Precision: notice.PrecisionMinute, Sub: 2, Label: "!"}
	wide := web.Item{Start: at("2024-09-02T00:00:00Z"), End: notice.TimePtr(at("2024-09-19T00:00:00Z")), Precision: notice.PrecisionDay, Sub: 1, Clip: true}
	tl := web.DrawTimeline("t", []web.Lane{{Label: "SigninLogs", Items: []web.Item{gap, wide}}}, now)
	g, w := tl.Bars[0], tl.Bars[1]
	if g.W < (tl.Right-tl.Left)*0.8 {
		t.Errorf("the gap should fill the range, not the clipped window's: %+v", g)
	}
	if !near(w.X, tl.Left) || !near(w.X+w.W, tl.Right) {
		t.Errorf("clipped window %+v should span [%v, %v]", w, tl.Left, tl.Right)
	}
	if !(w.Y < g.Y) {
		t.Errorf("vendor windows go above gaps: %v vs %v", w.Y, g.Y)
	}
}

func TestTimelineNarrowLabelGoesOutside(t *testing.T) {
	now := at("2026-01-01T00:00:00Z")
	tl := web.DrawTimeline("t", []web.Lane{{Label: "x", Items: []web.Item{
		{Start: at("2024-01-01T00:00:00Z"), End: notice.TimePtr(at("2024-12-31T00:00:00Z")), Precision: notice.PrecisionMinute},
		{Start: at("2024-06-01T00:00:00Z"), End: notice.TimePtr(at("2024-06-01T01:00:00Z")), Precision: notice.PrecisionMinute, Label: "!"},
	}}}, now)
	b := tl.Bars[1]
	if !b.Outside || b.LabelX < b.X+b.W || b.W < 3 {
		t.Fatalf("narrow bar %+v should have a minimum width and its label beside it", b)
	}
}

func TestTimelineTicks(t *testing.T) {
	now := at("2026-01-01T00:00:00Z")
	cases := []struct {
		name     string
		from, to string
		want     string
	}{
		{"hours", "2024-06-04T06:43:00Z", "2024-06-04T08:12:00Z", "4 Jun 07:00 UTC"},
		{"weeks", "2024-09-02T00:00:00Z", "2024-09-19T00:00:00Z", "9 Sep"},
		{"months", "2024-09-01T00:00:00Z", "2025-03-01T00:00:00Z", "Jan 2025"},
		{"years", "2019-01-01T00:00:00Z", "2025-06-01T00:00:00Z", "2022"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tl := web.DrawTimeline("t", []web.Lane{{Label: "x", Items: []web.Item{
				{Start: at(tc.from), End: notice.TimePtr(at(tc.to)), Precision: notice.PrecisionMinute}}}}, now)
			if len(tl.Ticks) < 2 || len(tl.Ticks) > 7 {
				t.Fatalf("%d ticks: %+v", len(tl.Ticks), tl.Ticks)
			}
			found := false
			for i, tk := range tl.Ticks {
				if tk.X < tl.Left || tk.X > tl.Right || (i > 0 && tk.X <= tl.Ticks[i-1].X) {
					t.Fatalf("tick %+v out of order or range", tk)
				}
				found = found || tk.Label == tc.want
			}
			if !found {
				t.Fatalf("no tick %q in %+v", tc.want, tl.Ticks)
			}
		})
	}
}

func TestTimelineOpenWindowEndsAtItsAssumedEnd(t *testing.T) {
	now := at("2026-01-01T00:00:00Z")
	tl := web.DrawTimeline("t", []web.Lane{
		{Label: "closed", Items: []web.Item{{Start: at("2025-03-10T06:00:00Z"), End: notice.TimePtr(at("2025-03-10T07:00:00Z")), Precision: notice.PrecisionMinute}}},
		{Label: "open", Items: []web.Item{{Start: at("2025-03-10T07:00:00Z"), Until: at("2025-03-17T07:00:00Z"), Precision: notice.PrecisionMinute}}},
		{Label: "same span, closed", Items: []web.Item{{Start: at("2025-03-10T07:00:00Z"), End: notice.TimePtr(at("2025-03-17T07:00:00Z")), Precision: notice.PrecisionMinute}}},
	}, now)
	open, closed := tl.Bars[1], tl.Bars[2]
	if !open.Open || closed.Open {
		t.Fatalf("open flags: %v %v", open.Open, closed.Open)
	}
	if !near(open.X, closed.X) || !near(open.W, closed.W) {
		t.Errorf("open bar %+v should end at its Until like %+v, not at now (%v)", open, closed, now)
	}
	if open.X+open.W >= tl.Right-1 {
		t.Errorf("the range should end near Until, not now: bar ends at %v of %v", open.X+open.W, tl.Right)
	}
}

func TestTimelineHourWindowsCoverWholeHours(t *testing.T) {
	now := at("2026-01-01T00:00:00Z")
	tl := web.DrawTimeline("t", []web.Lane{
		{Label: "hour", Items: []web.Item{{Start: at("2025-03-10T07:41:00Z"), End: notice.TimePtr(at("2025-03-10T09:02:00Z")), Precision: notice.PrecisionHour}}},
		{Label: "whole hours", Items: []web.Item{{Start: at("2025-03-10T07:00:00Z"), End: notice.TimePtr(at("2025-03-10T10:00:00Z")), Precision: notice.PrecisionMinute}}},
		{Label: "minutes", Items: []web.Item{{Start: at("2025-03-10T07:41:00Z"), End: notice.TimePtr(at("2025-03-10T09:02:00Z")), Precision: notice.PrecisionMinute}}},
	}, now)
	hour, whole, minutes := tl.Bars[0], tl.Bars[1], tl.Bars[2]
	if !near(hour.X, whole.X) || !near(hour.W, whole.W) {
		t.Errorf("hour window %v+%v should span 07:00 to 10:00 (%v+%v)", hour.X, hour.W, whole.X, whole.W)
	}
	if !(minutes.X > hour.X) || !(minutes.X+minutes.W < hour.X+hour.W) {
		t.Errorf("the minute window %+v should sit inside the widened hours %+v", minutes, hour)
	}
}
