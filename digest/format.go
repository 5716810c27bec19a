package digest

import (
	"fmt"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// FormatWindow writes an affected window for a reader in loc, at its
// precision: a day-precision window is a calendar date range as the vendor
// stated it (never midnight times), finer ones are times in loc with the
// zone's abbreviation.
func FormatWindow(w notice.Window, loc *time.Location) string {
	if w.Precision == notice.PrecisionDay {
		// Day windows hold the stated calendar dates at 00:00 UTC: read
		// the date in UTC so no zone shifts it to the day before.
		start := w.Start.UTC()
		if w.End == nil {
			return "since " + start.Format("2 Jan 2006") + " (ongoing)"
		}
		return fmtDateRange(start, w.End.UTC())
	}
	return fmtInstantRange(w.Start, w.End, loc)
}

// fmtInstantRange writes "3 Sep 2024 14:00 – 18 Sep 2024 09:30 CEST",
// dropping the repeated date when both ends fall on the same day.
func fmtInstantRange(start time.Time, end *time.Time, loc *time.Location) string {
	s := start.In(loc)
	if end == nil {
		return "since " + s.Format("2 Jan 2006 15:04 MST") + " (ongoing)"
	}
	e := end.In(loc)
	if sameDay(s, e) {
		if s.Format("MST") == e.Format("MST") {
			return s.Format("2 Jan 2006 15:04") + "–" + e.Format("15:04 MST")
		}
		return s.Format("2 Jan 2006 15:04 MST") + " – " + e.Format("15:04 MST")
	}
	if s.Format("MST") == e.Format("MST") {
		return s.Format("2 Jan 2006 15:04") + " – " + e.Format("2 Jan 2006 15:04 MST")
	}
	return s.Format("2 Jan 2006 15:04 MST") + " – " + e.Format("2 Jan 2006 15:04 MST")
}

// fmtDateRange writes a date range compactly: "3 Sep 2024", "3–18 Sep",
// "28 Aug–3 Sep", "28 Dec 2024–3 Jan 2025". The year is left out when both
// ends share it, except for a single day.
func fmtDateRange(s, e time.Time) string {
	switch {
	case sameDay(s, e):
		return s.Format("2 Jan 2006")
	case s.Year() != e.Year():
		return s.Format("2 Jan 2006") + "–" + e.Format("2 Jan 2006")
	case s.Month() != e.Month():
		return s.Format("2 Jan") + "–" + e.Format("2 Jan")
	}
	return fmt.Sprintf("%d–%s", s.Day(), e.Format("2 Jan"))
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
