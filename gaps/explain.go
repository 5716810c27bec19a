package gaps

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gapwatch/gapwatch/notice"
)

// maxTitle is how much of a notice title an explanation quotes.
const maxTitle = 80

// explain writes the one or two sentences an auditor can check against the
// notice: what the notice says was affected and when, how the notice's
// product relates to the gap's, how much of the gap the window covers (and
// of the window the gap fills), and the category. Times are UTC.
func explain(g notice.Gap, n *notice.Notice, m match, w notice.Window, o overlap) string {
	var b strings.Builder
	vendor := n.Extraction.Vendor
	if vendor == "" {
		vendor = n.Item.Vendor
	}
	if vendor != "" {
		b.WriteString(vendor + " notice ")
	} else {
		b.WriteString("Notice ")
	}
	fmt.Fprintf(&b, "'%s' ", shorten(n.Item.Title))
	gapProduct := g.Product
	if gapProduct == "" {
		gapProduct = g.Source
	}
	when := windowText(w) + " (" + string(w.Precision) + " precision)"
	switch {
	case m.kind == notice.MatchVendor && m.product == "":
		fmt.Fprintf(&b, "reports a problem at %s %s without naming %s", orDefault(vendor, "the vendor"), when, gapProduct)
	case m.kind == notice.MatchVendor:
		fmt.Fprintf(&b, "says %s was affected %s, naming no more specific product", m.product, when)
	default:
		fmt.Fprintf(&b, "says %s was affected %s", m.product, when)
	}
	switch m.rel {
	case relUmbrella:
		fmt.Fprintf(&b, "; %s is part of %s", gapProduct, m.product)
	case relPart:
		fmt.Fprintf(&b, "; %s is part of %s", m.product, gapProduct)
	case relSibling:
		fmt.Fprintf(&b, "; %s and %s are both part of %s", m.product, gapProduct, m.family)
	}
	fmt.Fprintf(&b, "; that window covers %s of this %s gap (%s)", formatPercent(o.cov), g.Source, gapText(g))
	if o.open {
		b.WriteString(" and is still open")
	} else {
		fmt.Fprintf(&b, ", which fills %s of the window", formatPercent(o.wc))
	}
	if c := n.Extraction.Category; c != "" {
		fmt.Fprintf(&b, ". Category %s.", c)
	} else {
		b.WriteString(". Category not determined.")
	}
	return b.String()
}

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// shorten cuts a title to maxTitle characters, marking the cut.
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxTitle {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:maxTitle-1])) + "…"
}

// windowText renders a window as stated (not widened): days for day
// precision ("2–19 Sep 2024"), minutes in UTC otherwise.
func windowText(w notice.Window) string {
	day := w.Precision == notice.PrecisionDay
	if w.End == nil {
		if day {
			return "from " + w.Start.UTC().Format("2 Jan 2006") + ", still ongoing"
		}
		return "from " + w.Start.UTC().Format("2006-01-02 15:04") + " UTC, still ongoing"
	}
	if day {
		return dayRange(w.Start, *w.End)
	}
	return minuteRange(w.Start, *w.End)
}

// gapText renders a gap: as days when it runs midnight to midnight UTC,
// otherwise to the minute.
func gapText(g notice.Gap) string {
	s, e := g.Start.UTC(), g.End.UTC()
	if s.Equal(s.Truncate(24*time.Hour)) && e.Equal(e.Truncate(24*time.Hour)) {
		return dayRange(s, e)
	}
	return minuteRange(s, e)
}

// dayRange renders two dates compactly: "3 Sep 2024", "2–19 Sep 2024",
// "30 Aug – 2 Sep 2024", "30 Dec 2024 – 2 Jan 2025".
func dayRange(a, b time.Time) string {
	a, b = a.UTC(), b.UTC()
	switch {
	case a.Year() != b.Year():
		return a.Format("2 Jan 2006") + " – " + b.Format("2 Jan 2006")
	case a.Month() != b.Month():
		return a.Format("2 Jan") + " – " + b.Format("2 Jan 2006")
	case a.Day() != b.Day():
		return a.Format("2") + "–" + b.Format("2 Jan 2006")
	}
	return a.Format("2 Jan 2006")
}

// minuteRange renders two times to the minute in UTC: "2024-09-02
// 14:05–16:30 UTC" within a day, both dates otherwise.
func minuteRange(a, b time.Time) string {
	a, b = a.UTC(), b.UTC()
	if a.Format("2006-01-02") == b.Format("2006-01-02") {
		return a.Format("2006-01-02 15:04") + "–" + b.Format("15:04") + " UTC"
	}
	return a.Format("2006-01-02 15:04") + " – " + b.Format("2006-01-02 15:04") + " UTC"
}

// formatPercent prints a fraction as a percentage, never rounding a
// partial figure to 0% or 100%.
func formatPercent(f float64) string {
	v := f * 100
	switch r := math.Round(v); {
	case r == 100 && f < 1:
		return fmt.Sprintf("%.1f%%", math.Floor(v*10)/10)
	case r == 0 && f > 0:
		return fmt.Sprintf("%.1f%%", math.Max(math.Ceil(v*10)/10, 0.1))
	}
	return fmt.Sprintf("%.0f%%", v)
}
