package gaps

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// Links returns the links of one gap against the given notices, best
// first (Score, then notice ID). A notice links when one of its windows
// overlaps the gap (windows widened by Window.Bounds; an open window runs
// on without end) and it relates to the gap's product: exact (it names the
// product or an alias), family (it names the family umbrella, such as
// Microsoft 365 for Exchange Online, a product the gap's product is the
// umbrella of, or a sibling in a family narrower than the vendor's whole
// platform) or vendor (it concerns the gap's vendor and names none of its
// products but the platform). A notice with no windows never links. Each
// link comes from the notice's best window (most of the gap covered, then
// finest precision) and leaves FirstLinked zero for the store to set. This
// is the plain scan over ns; NoticeIndex gives the same links faster when
// many gaps meet the same notices.
func (l *Linker) Links(g notice.Gap, ns []notice.Notice) []notice.Link {
	if !g.End.After(g.Start) {
		return nil
	}
	c := newNameCache()
	gs := l.gapSide(&g, c)
	txt := gapText(g)
	var out []ranked
	for i := range ns {
		n := &ns[i]
		if !overlapsAny(g, linkWindows(n)) {
			continue
		}
		m, ok := l.relate(gs, l.noticeSide(n, c))
		if !ok {
			continue
		}
		if lk, ok := l.link(&g, txt, n, m); ok {
			out = append(out, ranked{lk, i})
		}
	}
	return sortRanked(out, byNotice)
}

// ranked is a link with its position in the caller's slice, the last tie
// breaker so that every way of linking orders links alike.
type ranked struct {
	link notice.Link
	pos  int
}

// Orders of links of equal score.
const (
	byNotice = iota
	byGap
)

// sortRanked orders links best first: score, then notice (or gap) ID, then
// position. No links gives nil.
func sortRanked(rs []ranked, by int) []notice.Link {
	if len(rs) == 0 {
		return nil
	}
	slices.SortFunc(rs, func(a, b ranked) int {
		switch {
		case a.link.Score != b.link.Score:
			return cmp.Compare(b.link.Score, a.link.Score)
		case by == byNotice && a.link.Notice != b.link.Notice:
			return cmp.Compare(a.link.Notice, b.link.Notice)
		case by == byGap && a.link.Gap != b.link.Gap:
			return cmp.Compare(a.link.Gap, b.link.Gap)
		}
		return cmp.Compare(a.pos, b.pos)
	})
	out := make([]notice.Link, len(rs))
	for i := range rs {
		out[i] = rs[i].link
	}
	return out
}

// overlap is how one notice window meets a gap.
type overlap struct {
	w        int // index in the notice's windows
	cov, wc  float64
	open     bool
	ok       bool
	from, to time.Time // widened window bounds (to is zero when open)
}

// measure computes how window w meets the gap [gs, ge): the window is
// widened to its precision (Window.Bounds: a day-precision window covers
// its day in every zone); an open window runs on without end, so the
// intersection stops at the gap's end and WindowCoverage is 0. Malformed
// windows and those meeting the gap in less than an instant do not count.
func measure(gs, ge time.Time, w notice.Window) overlap {
	if w.Validate() != nil {
		return overlap{}
	}
	o := overlap{open: w.Open()}
	if o.open {
		o.from, _ = w.Bounds(w.Start)
	} else {
		o.from, o.to = w.Bounds(time.Time{})
	}
	is, ie := later(gs, o.from), ge
	if !o.open && o.to.Before(ie) {
		ie = o.to
	}
	inter := ie.Sub(is)
	if inter <= 0 {
		return overlap{}
	}
	o.ok = true
	o.cov = float64(inter) / float64(ge.Sub(gs))
	if !o.open {
		o.wc = float64(inter) / float64(o.to.Sub(o.from))
	}
	return o
}

// later returns the later of two times.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// overlapsAny reports whether any window of a notice overlaps the gap.
func overlapsAny(g notice.Gap, ws []notice.Window) bool {
	for _, w := range ws {
		if measure(g.Start, g.End, w).ok {
			return true
		}
	}
	return false
}

// bestWindow picks the window that best explains the gap: the most of the
// gap covered, then the finer precision, then the most of the window
// filled by the gap, then the first listed.
func bestWindow(g *notice.Gap, ws []notice.Window) (overlap, bool) {
	var best overlap
	for i, w := range ws {
		o := measure(g.Start, g.End, w)
		if !o.ok {
			continue
		}
		o.w = i
		if !best.ok || o.cov > best.cov ||
			(o.cov == best.cov && precisionWeight(w.Precision) > precisionWeight(ws[best.w].Precision)) ||
			(o.cov == best.cov && w.Precision == ws[best.w].Precision && o.wc > best.wc) {
			best = o
		}
	}
	return best, best.ok
}

// link builds the link of a gap and a related notice, from the notice's
// best window; false when no window overlaps. gapTxt is gapText(g).
func (l *Linker) link(g *notice.Gap, gapTxt string, n *notice.Notice, m match) (notice.Link, bool) {
	o, ok := bestWindow(g, linkWindows(n))
	if !ok {
		return notice.Link{}, false
	}
	w := n.Extraction.Windows[o.w]
	if w.Open() {
		// Measured up to the open-window horizon; reported as ongoing.
		o.open, o.wc = true, 0
	}
	vendor := n.Extraction.Vendor
	if vendor == "" {
		vendor = n.Item.Vendor
	}
	lk := notice.Link{
		Gap: g.ID, Notice: n.ID, Title: n.Item.Title, Vendor: vendor, Product: m.product, Match: m.kind,
		Category: n.Extraction.Category, Coverage: round4(o.cov), WindowCoverage: round4(o.wc),
		Window: w, Evidence: w.Evidence,
	}
	if lk.Evidence == "" {
		lk.Evidence = n.Item.Title
	}
	lk.Score = Score(m.kind, o.cov, w.Precision, n.Extraction.Category)
	lk.Explanation = explain(g, gapTxt, n, m, w, o)
	return lk, true
}

// Score rates how well a notice explains a gap, in [0, 1]:
//
//	score = base(kind) + span(kind) × (0.6·coverage + 0.25·category + 0.15·precision)
//
// with base, span = 0.6, 0.4 for an exact product match, 0.3, 0.28 for a
// family match and 0.05, 0.22 for a vendor match, so that every exact match
// outranks every family match, which outranks every vendor match. coverage
// is the fraction of the gap inside the window; category weighs what the
// notice reports as an explanation of lost logs (data-loss 1, outage 0.8,
// degradation 0.6, security-incident 0.4, maintenance 0.2, unknown 0.5);
// precision weighs how exactly the window is known (minute 1, hour 0.7,
// day 0.4). The result is rounded to four decimals.
func Score(kind notice.MatchKind, coverage float64, p notice.Precision, c notice.Category) float64 {
	base, span := 0.05, 0.22
	switch kind {
	case notice.MatchExact:
		base, span = 0.6, 0.4
	case notice.MatchFamily:
		base, span = 0.3, 0.28
	}
	coverage = math.Max(0, math.Min(1, coverage))
	q := 0.6*coverage + 0.25*categoryWeight(c) + 0.15*precisionWeight(p)
	return round4(base + span*q)
}

// categoryWeight ranks categories as explanations of a log gap.
func categoryWeight(c notice.Category) float64 {
	switch c {
	case notice.CategoryDataLoss:
		return 1
	case notice.CategoryOutage:
		return 0.8
	case notice.CategoryDegradation:
		return 0.6
	case notice.CategorySecurityIncident:
		return 0.4
	case notice.CategoryMaintenance:
		return 0.2
	}
	return 0.5
}

// precisionWeight ranks window precisions, finest highest.
func precisionWeight(p notice.Precision) float64 {
	switch p {
	case notice.PrecisionMinute:
		return 1
	case notice.PrecisionHour:
		return 0.7
	}
	return 0.4
}

// round4 rounds to four decimals, so scores and coverages read cleanly.
func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }
