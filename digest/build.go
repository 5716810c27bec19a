package digest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// DefaultMaxUnexplained caps the still-unexplained gaps listed; the rest
// are counted.
const DefaultMaxUnexplained = 10

// Input is everything a digest is built from. Build does no I/O and reads
// no clock: Since and Until bound the period.
type Input struct {
	Tenant       notice.Tenant
	Subscription notice.Subscription
	Since, Until time.Time
	Changes      []notice.NoticeChange
	// Gaps are all the tenant's gaps with their links.
	Gaps []notice.GapLinks
	// UnsubscribeURL is the signed one-click unsubscribe link.
	UnsubscribeURL string
	// MaxUnexplained caps the unexplained gaps listed (default
	// DefaultMaxUnexplained).
	MaxUnexplained int
	// NoticeURLs gives the links of notices that explain gaps but did not
	// change in the period (changed ones carry their own).
	NoticeURLs map[notice.ID]string
}

// Digest is the content of one tenant's digest, with every time already
// written in the tenant's zone, ready for the templates.
type Digest struct {
	Tenant  string `json:"tenant"`
	Zone    string `json:"timezone"`
	Period  string `json:"period"`
	Subject string `json:"subject"`
	// Explained are gaps newly explained this period: the headline.
	Explained []ExplainedGap `json:"explained"`
	// Vendors groups new and revised notices by vendor.
	Vendors []VendorGroup `json:"vendors"`
	// Unexplained are gaps still without a notice, oldest first;
	// MoreUnexplained counts those left off.
	Unexplained     []GapLine `json:"unexplained"`
	MoreUnexplained int       `json:"more_unexplained"`
	UnsubscribeURL  string    `json:"unsubscribe_url,omitempty"`
	Since           time.Time `json:"since"`
	Until           time.Time `json:"until"`
}

// ExplainedGap is a gap a notice now explains.
type ExplainedGap struct {
	GapID    notice.GapID `json:"gap_id"`
	Headline string       `json:"headline"`
	Source   string       `json:"source"`
	Product  string       `json:"product"`
	Gap      string       `json:"gap"`
	Notice   string       `json:"notice"`
	URL      string       `json:"url,omitempty"`
	Window   string       `json:"window"`
	Coverage string       `json:"coverage"`
	Match    string       `json:"match"`
	Evidence string       `json:"evidence,omitempty"`
	// Others counts further notices linked to the gap.
	Others int `json:"others"`
}

// VendorGroup is one vendor's notices.
type VendorGroup struct {
	Vendor  string       `json:"vendor"`
	Notices []NoticeLine `json:"notices"`
}

// NoticeLine is one new or revised notice.
type NoticeLine struct {
	ID       notice.ID `json:"id"`
	Title    string    `json:"title"`
	Change   string    `json:"change"`
	Products []string  `json:"products"`
	Windows  []string  `json:"windows"`
	Category string    `json:"category"`
	URL      string    `json:"url,omitempty"`
}

// GapLine is a gap still unexplained.
type GapLine struct {
	GapID   notice.GapID `json:"gap_id"`
	Source  string       `json:"source"`
	Product string       `json:"product,omitempty"`
	Gap     string       `json:"gap"`
}

// Empty reports whether nothing changed in the period: no notice and no
// newly explained gap. Gaps that stay unexplained are not news.
func (d Digest) Empty() bool { return len(d.Explained) == 0 && len(d.Vendors) == 0 }

// NoticeCount is the number of notices listed.
func (d Digest) NoticeCount() int {
	n := 0
	for _, v := range d.Vendors {
		n += len(v.Notices)
	}
	return n
}

// Build chooses a digest's content.
func Build(in Input) Digest {
	loc := Location(in.Tenant, in.Subscription)
	d := Digest{Tenant: in.Tenant.Name, Zone: loc.String(), UnsubscribeURL: in.UnsubscribeURL,
		Since: in.Since, Until: in.Until, Period: fmtDateRange(in.Since.In(loc), in.Until.In(loc))}
	d.Explained = explained(in, loc)
	d.Vendors = noticeGroups(in, loc)
	d.Unexplained, d.MoreUnexplained = unexplained(in, loc)
	d.Subject = subject(d)
	return d
}

func subject(d Digest) string {
	if n := len(d.Explained); n > 0 {
		var prods []string
		for _, e := range d.Explained {
			if e.Product != "" && !slices.Contains(prods, e.Product) {
				prods = append(prods, e.Product)
			}
		}
		sort.Strings(prods)
		s := fmt.Sprintf("gapwatch: %d of your log gaps now explained", n)
		if n == 1 {
			s = "gapwatch: 1 of your log gaps now explained"
		}
		if len(prods) > 0 {
			s += " — " + strings.Join(capList(prods, 3), ", ")
		}
		return s
	}
	if n := d.NoticeCount(); n > 0 {
		vs := make([]string, len(d.Vendors))
		for i, v := range d.Vendors {
			vs[i] = v.Vendor
		}
		word := "notices"
		if n == 1 {
			word = "notice"
		}
		return fmt.Sprintf("gapwatch: %d vendor %s for what you follow — %s", n, word, strings.Join(capList(vs, 3), ", "))
	}
	return "gapwatch: all quiet this week"
}

// capList keeps the first n names and says how many more there are.
func capList(xs []string, n int) []string {
	if len(xs) <= n {
		return xs
	}
	return append(slices.Clone(xs[:n]), fmt.Sprintf("%d more", len(xs)-n))
}

// explained lists gaps whose first link appeared in the period.
func explained(in Input, loc *time.Location) []ExplainedGap {
	urls := map[notice.ID]string{}
	for id, u := range in.NoticeURLs {
		urls[id] = u
	}
	for _, c := range in.Changes {
		urls[c.Notice.ID] = c.Notice.Item.URL
	}
	var out []ExplainedGap
	for _, g := range in.Gaps {
		if len(g.Links) == 0 {
			continue
		}
		first := g.Links[0].FirstLinked
		for _, l := range g.Links {
			if l.FirstLinked.Before(first) {
				first = l.FirstLinked
			}
		}
		if !first.After(in.Since) || first.After(in.Until) {
			continue
		}
		best := g.Links[0]
		vendor := best.Vendor
		if vendor == "" {
			vendor = "A vendor"
		}
		gapRange := fmtDateRange(g.Gap.Start.In(loc), g.Gap.End.In(loc))
		out = append(out, ExplainedGap{
			GapID:    g.Gap.ID,
			Headline: fmt.Sprintf("%s notice explains your %s gap of %s", vendor, g.Gap.Source, gapRange),
			Source:   g.Gap.Source, Product: firstNonEmpty(g.Gap.Product, best.Product),
			Gap:    fmtInstantRange(g.Gap.Start, &g.Gap.End, loc),
			Notice: best.Title, URL: urls[best.Notice], Window: FormatWindow(best.Window, loc),
			Coverage: fmt.Sprintf("%.0f%% of the gap", best.Coverage*100),
			Match:    string(best.Match), Evidence: firstNonEmpty(best.Evidence, best.Window.Evidence),
			Others: len(g.Links) - 1,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].GapID < out[j].GapID })
	return out
}

func unexplained(in Input, loc *time.Location) ([]GapLine, int) {
	var gs []notice.Gap
	for _, g := range in.Gaps {
		if len(g.Links) == 0 {
			gs = append(gs, g.Gap)
		}
	}
	sort.SliceStable(gs, func(i, j int) bool {
		if !gs[i].Start.Equal(gs[j].Start) {
			return gs[i].Start.Before(gs[j].Start)
		}
		return gs[i].ID < gs[j].ID
	})
	limit := in.MaxUnexplained
	if limit <= 0 {
		limit = DefaultMaxUnexplained
	}
	more := 0
	if len(gs) > limit {
		more, gs = len(gs)-limit, gs[:limit]
	}
	out := make([]GapLine, len(gs))
	for i, g := range gs {
		out[i] = GapLine{GapID: g.ID, Source: g.Source, Product: g.Product, Gap: fmtInstantRange(g.Start, &g.End, loc)}
	}
	return out, more
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}
