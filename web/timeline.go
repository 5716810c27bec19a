package web

import (
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// The timeline's geometry, in SVG user units (the SVG scales to its box).
const (
	tlWidth   = 960.0
	tlLeft    = 190.0 // row label column
	tlRight   = 16.0
	tlTop     = 8.0
	tlRowH    = 34.0
	tlAxisH   = 26.0
	tlMinBarW = 3.0
)

// Timeline is an SVG timeline computed on the server: rows with labels,
// bars with tooltips and classes, and axis ticks. Templates only place
// these numbers, so the drawing works without JavaScript and is tested in
// Go.
type Timeline struct {
	Label         string
	Width, Height float64
	Left, Right   float64
	AxisY         float64
	Rows          []Row
	Bars          []Bar
	Ticks         []Tick
}

// Row is one labelled lane.
type Row struct {
	Label, Full string
	Y, H, TextY float64
}

// Bar is one drawn interval. Class says what it is (window, gap
// explained/unexplained, vendor window) and Open marks an ongoing window,
// drawn fading out up to its assumed end (or the right edge when none is
// known).
type Bar struct {
	X, Y, W, H float64
	Class      string
	Title      string
	Href       string
	Open       bool
	// Label is short text drawn on the bar, or beside it (Outside) when
	// the bar is too narrow.
	Label         string
	LabelX, TextY float64
	Outside       bool
}

// Tick is one axis mark; Anchor keeps labels near the edges inside the
// drawing.
type Tick struct {
	X      float64
	Label  string
	Anchor string
}

// Lane is a row to draw: a label and its items.
type Lane struct {
	Label string
	Items []Item
}

// Item is an interval on a lane. Sub places it in the upper (1) or lower
// (2) half of the row, or across it (0). An item without End is open: it
// is drawn up to Until, or to the right edge when Until is zero.
type Item struct {
	Start     time.Time
	End       *time.Time
	Precision notice.Precision
	Sub       int
	Class     string
	Title     string
	Href      string
	Label     string
	// Clip marks context drawn only where it meets the other items (vendor
	// windows around a tenant's gaps): it does not widen the range.
	Clip bool
	// Until is the assumed end of an open item: for a vendor window, the
	// horizon gap linking uses (notice.Notice.OpenUntil).
	Until time.Time
}

// span is an item's drawn extent: day-precision windows cover whole UTC
// days (the end day included) and hour-precision ones whole hours, as
// notice.Window.Bounds widens them (without its ±14 h for the zone of a
// day, which only matters when testing overlaps); open ones run to Until,
// else to now.
func (it Item) span(now time.Time) (start, end time.Time) {
	start = it.Start.UTC()
	switch {
	case it.End != nil:
		end = it.End.UTC()
	case !it.Until.IsZero():
		end = it.Until.UTC()
	default:
		end = now.UTC()
	}
	switch it.Precision {
	case notice.PrecisionDay:
		start = start.Truncate(24 * time.Hour)
		end = end.Truncate(24 * time.Hour).Add(24 * time.Hour)
	case notice.PrecisionHour:
		start = start.Truncate(time.Hour)
		end = end.Truncate(time.Hour).Add(time.Hour)
	}
	if end.Before(start) {
		end = start
	}
	return start, end
}

// DrawTimeline lays lanes out over the range of all their items (padded),
// with open items drawn to their assumed end (Until), or to the right edge
// when it is unknown. The axis is in UTC.
func DrawTimeline(label string, lanes []Lane, now time.Time) Timeline {
	from, to := extent(lanes, now)
	tl := Timeline{Label: label, Width: tlWidth, Left: tlLeft, Right: tlWidth - tlRight}
	x := func(t time.Time) float64 {
		return tl.Left + (tl.Right-tl.Left)*float64(t.Sub(from))/float64(to.Sub(from))
	}
	y := tlTop
	for _, ln := range lanes {
		tl.Rows = append(tl.Rows, Row{Label: shorten(ln.Label, 26), Full: ln.Label, Y: y, H: tlRowH, TextY: y + tlRowH/2 + 4})
		for _, it := range ln.Items {
			tl.Bars = append(tl.Bars, placeBar(it, y, x, now, tl.Right))
		}
		y += tlRowH
	}
	tl.AxisY = y + 4
	tl.Height = y + tlAxisH
	for _, t := range ticks(from, to) {
		tk := Tick{X: x(t.at), Label: t.label, Anchor: "middle"}
		if tk.X > tl.Right-45 {
			tk.Anchor = "end"
		}
		tl.Ticks = append(tl.Ticks, tk)
	}
	return tl
}

// placeBar positions one item in its row.
func placeBar(it Item, rowY float64, x func(time.Time) float64, now time.Time, right float64) Bar {
	s, e := it.span(now)
	b := Bar{Class: it.Class, Title: it.Title, Href: it.Href, Open: it.End == nil, Label: it.Label}
	b.X = max(x(s), tlLeft)
	end := min(x(e), right)
	if b.Open && it.Until.IsZero() {
		end = right
	}
	b.W = max(end-b.X, tlMinBarW)
	switch it.Sub {
	case 1:
		b.Y, b.H = rowY+4, 11
	case 2:
		b.Y, b.H = rowY+17, 13
	default:
		b.Y, b.H = rowY+6, tlRowH-12
	}
	b.LabelX, b.TextY = b.X+5, b.Y+b.H/2+4
	if w := float64(len([]rune(b.Label)))*7 + 10; b.Label != "" && b.W < w {
		b.Outside = true
		b.LabelX = b.X + b.W + 3
		if b.LabelX+w > right {
			b.LabelX = b.X - w + 4
		}
	}
	return b
}

// extent is the padded time range covering every item.
func extent(lanes []Lane, now time.Time) (from, to time.Time) {
	for _, ln := range lanes {
		for _, it := range ln.Items {
			if it.Clip {
				continue
			}
			s, e := it.span(now)
			if from.IsZero() || s.Before(from) {
				from = s
			}
			if to.IsZero() || e.After(to) {
				to = e
			}
		}
	}
	if from.IsZero() {
		from, to = now.Add(-24*time.Hour), now
	}
	if d := to.Sub(from); d < time.Hour {
		from, to = from.Add(-(time.Hour-d)/2), to.Add((time.Hour-d)/2)
	}
	pad := to.Sub(from) / 25
	return from.Add(-pad), to.Add(pad)
}

// shorten cuts a label to n runes with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// tick is an axis mark before placement.
type tick struct {
	at    time.Time
	label string
}

// tickStep is a candidate spacing of axis marks.
type tickStep struct {
	d      time.Duration // fixed step, or 0 for months
	months int
	layout string
}

var tickSteps = []tickStep{
	{d: time.Hour, layout: "2 Jan 15:04"}, {d: 3 * time.Hour, layout: "2 Jan 15:04"},
	{d: 6 * time.Hour, layout: "2 Jan 15:04"}, {d: 12 * time.Hour, layout: "2 Jan 15:04"},
	{d: 24 * time.Hour, layout: "2 Jan"}, {d: 2 * 24 * time.Hour, layout: "2 Jan"},
	{d: 7 * 24 * time.Hour, layout: "2 Jan"}, {d: 14 * 24 * time.Hour, layout: "2 Jan 2006"},
	{months: 1, layout: "Jan 2006"}, {months: 3, layout: "Jan 2006"}, {months: 6, layout: "Jan 2006"},
	{months: 12, layout: "2006"}, {months: 60, layout: "2006"},
}

// ticks picks the finest step giving at most 7 marks in [from, to] and
// places them on round UTC instants.
func ticks(from, to time.Time) []tick {
	const most = 7
	for _, st := range tickSteps {
		var out []tick
		if st.d > 0 {
			if to.Sub(from)/st.d > most {
				continue
			}
			for t := from.Truncate(st.d).Add(st.d); !t.After(to); t = t.Add(st.d) {
				out = append(out, tick{t, t.Format(st.layout) + utcSuffix(st)})
			}
			return out
		}
		t := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
		for t.Before(from) || !monthAligned(t, st.months) {
			t = t.AddDate(0, 1, 0)
		}
		for ; !t.After(to); t = t.AddDate(0, st.months, 0) {
			out = append(out, tick{t, t.Format(st.layout)})
		}
		if len(out) <= most {
			return out
		}
	}
	return nil
}

// monthAligned reports whether t is a round mark for a step of months:
// quarters start in January, April, ...; multi-year steps on multiples.
func monthAligned(t time.Time, months int) bool {
	if months <= 12 {
		return (int(t.Month())-1)%months == 0
	}
	return t.Month() == time.January && t.Year()%(months/12) == 0
}

// utcSuffix marks times of day on the axis as UTC.
func utcSuffix(st tickStep) string {
	if st.d < 24*time.Hour {
		return " UTC"
	}
	return ""
}
