package web

import (
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// Stamp is a time as a page shows it: rendered in UTC on the server, with
// the RFC 3339 instant in <time datetime> so the page script can show it
// in the viewer's zone, keeping UTC in the hover title.
type Stamp struct {
	ISO   string
	Text  string
	Title string
	// Day marks a date without a time of day (day-precision windows):
	// shown as the UTC date and never shifted to another zone.
	Day  bool
	Zero bool
}

// stampOf renders an instant to the minute.
func stampOf(t time.Time) Stamp {
	if t.IsZero() {
		return Stamp{Zero: true}
	}
	u := t.UTC()
	s := u.Format("2006-01-02 15:04") + " UTC"
	return Stamp{ISO: u.Format(time.RFC3339), Text: s, Title: s}
}

// dayStampOf renders a calendar date (UTC).
func dayStampOf(t time.Time) Stamp {
	if t.IsZero() {
		return Stamp{Zero: true}
	}
	u := t.UTC()
	return Stamp{ISO: u.Format(time.DateOnly), Text: u.Format("2 Jan 2006"), Title: u.Format(time.DateOnly) + " (whole day, UTC)", Day: true}
}

// WindowView is a window as pages list it.
type WindowView struct {
	Start, End Stamp
	Open       bool
	Precision  notice.Precision
	Evidence   string
	Origin     notice.Origin
}

// windowStamps renders a window's bounds to its precision: day windows as
// dates (the end date inclusive), others to the minute.
func windowStamps(w notice.Window) WindowView {
	v := WindowView{Open: w.Open(), Precision: w.Precision, Evidence: w.Evidence, Origin: w.Origin}
	if w.Precision == notice.PrecisionDay {
		v.Start = dayStampOf(w.Start)
		if w.End != nil {
			v.End = dayStampOf(*w.End)
		}
		return v
	}
	v.Start = stampOf(w.Start)
	if w.End != nil {
		v.End = stampOf(*w.End)
	}
	return v
}

// vendorOf is the notice's vendor as the index facets it: extracted, else
// the source's.
func vendorOf(n notice.Notice) string {
	if n.Extraction.Vendor != "" {
		return n.Extraction.Vendor
	}
	return n.Item.Vendor
}
