package gaps

import (
	"math"
	"strconv"
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
// of the window the gap fills), and the category. Times are UTC. gapTxt is
// the gap's rendering (gapText), passed in because one gap meets many
// notices.
func explain(g *notice.Gap, gapTxt string, n *notice.Notice, m match, w notice.Window, o overlap) string {
	var b strings.Builder
	b.Grow(320)
	vendor := n.Extraction.Vendor
	if vendor == "" {
		vendor = n.Item.Vendor
	}
	if vendor != "" {
		b.WriteString(vendor)
		b.WriteString(" notice '")
	} else {
		b.WriteString("Notice '")
	}
	b.WriteString(shorten(n.Item.Title))
	b.WriteString("' ")
	gapProduct := orDefault(g.Product, g.Source)
	switch {
	case m.kind == notice.MatchVendor && m.product == "":
		b.WriteString("reports a problem at " + orDefault(vendor, "the vendor") + " ")
	default:
		b.WriteString("says " + m.product + " was affected ")
	}
	writeWindow(&b, w)
	b.WriteString(" (" + string(w.Precision) + " precision)")
	switch {
	case m.kind == notice.MatchVendor && m.product == "":
		b.WriteString(" without naming " + gapProduct)
	case m.kind == notice.MatchVendor:
		b.WriteString(", naming no more specific product")
	}
	switch m.rel {
	case relUmbrella:
		b.WriteString("; " + gapProduct + " is part of " + m.product)
	case relPart:
		b.WriteString("; " + m.product + " is part of " + gapProduct)
	case relSibling:
		b.WriteString("; " + m.product + " and " + gapProduct + " are both part of " + m.family)
	}
	b.WriteString("; that window covers " + formatPercent(o.cov) + " of this " + g.Source + " gap (" + gapTxt + ")")
	if o.open {
		b.WriteString(" and is still open")
	} else {
		b.WriteString(", which fills " + formatPercent(o.wc) + " of the window")
	}
	if c := n.Extraction.Category; c != "" {
		b.WriteString(". Category " + string(c) + ".")
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

// shorten cuts a title to maxTitle characters, marking the cut, and
// folds runs of white space.
func shorten(s string) string {
	if len(s) <= maxTitle && !strings.ContainsAny(s, "\n\t\r") && !strings.Contains(s, "  ") && strings.TrimSpace(s) == s {
		return s
	}
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxTitle {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:maxTitle-1])) + "…"
}

// writeWindow renders a window as stated (not widened): days for day
// precision ("2–19 Sep 2024"), minutes in UTC otherwise.
func writeWindow(b *strings.Builder, w notice.Window) {
	day := w.Precision == notice.PrecisionDay
	switch {
	case w.End == nil && day:
		b.WriteString("from " + w.Start.UTC().Format("2 Jan 2006") + ", still ongoing")
	case w.End == nil:
		b.WriteString("from " + w.Start.UTC().Format("2006-01-02 15:04") + " UTC, still ongoing")
	case day:
		b.WriteString(dayRange(w.Start, *w.End))
	default:
		b.WriteString(minuteRange(w.Start, *w.End))
	}
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
	buf := make([]byte, 0, 48)
	buf = a.AppendFormat(buf, "2006-01-02 15:04")
	if ay, am, ad := a.Date(); ay == b.Year() && am == b.Month() && ad == b.Day() {
		buf = append(buf, "–"...)
		buf = b.AppendFormat(buf, "15:04")
	} else {
		buf = append(buf, " – "...)
		buf = b.AppendFormat(buf, "2006-01-02 15:04")
	}
	return string(append(buf, " UTC"...))
}

// formatPercent prints a fraction as a percentage, never rounding a
// partial figure to 0% or 100%.
func formatPercent(f float64) string {
	v := f * 100
	switch r := math.Round(v); {
	case r == 100 && f < 1:
		return strconv.FormatFloat(math.Floor(v*10)/10, 'f', 1, 64) + "%"
	case r == 0 && f > 0:
		return strconv.FormatFloat(math.Max(math.Ceil(v*10)/10, 0.1), 'f', 1, 64) + "%"
	default:
		return strconv.FormatFloat(r, 'f', 0, 64) + "%"
	}
}
