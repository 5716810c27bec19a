package gaps

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/notice"
)

// worldSpec shapes a random world of notices and gaps.
type worldSpec struct {
	seed     uint64
	notices  int
	gaps     int
	from     time.Time
	span     time.Duration
	vendors  []string // restrict to these vendors; empty = all
	oddities bool     // aliases, unknown names, malformed windows, cross-vendor products
	// recentOpen starts open windows in the last week of the span only,
	// as for incidents still ongoing when the store is read; otherwise
	// they start anywhere (as stale ones extracted from old news do).
	recentOpen bool
}

// world is a random set of notices and gaps over catalog products.
type world struct {
	notices []notice.Notice
	gaps    []notice.Gap
}

// randomWorld builds a deterministic random world.
func randomWorld(cat *extract.Catalog, spec worldSpec) world {
	rng := rand.New(rand.NewPCG(spec.seed, spec.seed^0x9e3779b97f4a7c15))
	byVendor := map[string][]extract.Product{}
	var vendors []string
	for _, p := range cat.Products() {
		if len(spec.vendors) > 0 && !slices.Contains(spec.vendors, p.Vendor) {
			continue
		}
		if byVendor[p.Vendor] == nil {
			vendors = append(vendors, p.Vendor)
		}
		byVendor[p.Vendor] = append(byVendor[p.Vendor], p)
	}
	w := world{notices: make([]notice.Notice, spec.notices), gaps: make([]notice.Gap, spec.gaps)}
	for i := range w.notices {
		w.notices[i] = randomNotice(rng, spec, notice.ID(i+1), vendors, byVendor)
	}
	for i := range w.gaps {
		w.gaps[i] = randomGap(rng, spec, notice.GapID(i+1), vendors, byVendor)
	}
	return w
}

// aliases are names a notice may carry instead of the canonical one.
var testAliases = []string{"Azure AD", "Entra", "O365", "CloudTrail", "AKS", "Office 365", "Microsoft Entra"}

// randomNotice builds one notice shaped like crawled ones: a vendor; one
// product (58%), two (20%), three (10%) or none (12%, vendor-wide); one
// window (85%), two (10%) or none.
func randomNotice(rng *rand.Rand, spec worldSpec, id notice.ID, vendors []string, byVendor map[string][]extract.Product) notice.Notice {
	v := vendors[rng.IntN(len(vendors))]
	n := notice.Notice{ID: id, Version: 1, Item: notice.Item{Title: fmt.Sprintf("Incident %d at %s", id, v), Vendor: v},
		Extraction: notice.Extraction{Vendor: v, Category: notice.Categories[rng.IntN(len(notice.Categories))]}}
	if rng.IntN(10) == 0 {
		n.Extraction.Category = ""
	}
	for range pick(rng, []int{12, 58, 20, 10}) {
		name := byVendor[v][rng.IntN(len(byVendor[v]))].Name
		if spec.oddities {
			switch rng.IntN(20) {
			case 0:
				name = testAliases[rng.IntN(len(testAliases))]
			case 1:
				name = fmt.Sprintf("Widget %d", rng.IntN(5))
			case 2:
				ov := vendors[rng.IntN(len(vendors))]
				name = byVendor[ov][rng.IntN(len(byVendor[ov]))].Name
			}
		}
		n.Extraction.Products = append(n.Extraction.Products, notice.ProductRef{Name: name, Vendor: v})
	}
	for range pick(rng, []int{5, 85, 10}) {
		n.Extraction.Windows = append(n.Extraction.Windows, randomWindow(rng, spec))
	}
	return n
}

// pick returns i with probability weights[i] / sum(weights).
func pick(rng *rand.Rand, weights []int) int {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	r := rng.IntN(sum)
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	return len(weights) - 1
}

// randomWindow builds a window: minute precision (60%, 15 min to 8 h),
// hour (25%, 1 to 24 h) or day (15%, 1 to 5 days); 3% are open, and with
// oddities some are malformed.
func randomWindow(rng *rand.Rand, spec worldSpec) notice.Window {
	start := spec.from.Add(time.Duration(rng.Int64N(int64(spec.span))))
	var w notice.Window
	switch pick(rng, []int{60, 25, 15}) {
	case 0:
		start = start.Truncate(time.Minute)
		w = notice.Window{Start: start, Precision: notice.PrecisionMinute, End: notice.TimePtr(start.Add(time.Duration(15+rng.IntN(465)) * time.Minute))}
	case 1:
		start = start.Truncate(time.Hour)
		w = notice.Window{Start: start, Precision: notice.PrecisionHour, End: notice.TimePtr(start.Add(time.Duration(1+rng.IntN(24)) * time.Hour))}
	default:
		start = start.Truncate(24 * time.Hour)
		w = notice.Window{Start: start, Precision: notice.PrecisionDay, End: notice.TimePtr(start.Add(time.Duration(rng.IntN(5)) * 24 * time.Hour))}
	}
	w.Evidence = "from " + w.Start.Format(time.RFC3339)
	if rng.IntN(33) == 0 {
		w.End = nil
		if spec.recentOpen {
			w.Start = spec.from.Add(spec.span - time.Duration(rng.Int64N(int64(7*24*time.Hour)))).Truncate(time.Minute)
		}
	}
	if spec.oddities && rng.IntN(50) == 0 {
		w.End = notice.TimePtr(w.Start.Add(-time.Hour))
	}
	return w
}

// randomGap builds one gap of 10 min to 12 h: mostly on a product, some
// with a vendor only, some with neither, some with a product the catalog
// does not know.
func randomGap(rng *rand.Rand, spec worldSpec, id notice.GapID, vendors []string, byVendor map[string][]extract.Product) notice.Gap {
	v := vendors[rng.IntN(len(vendors))]
	p := byVendor[v][rng.IntN(len(byVendor[v]))]
	g := notice.Gap{ID: id, Tenant: notice.TenantID(1 + rng.IntN(5)), Source: fmt.Sprintf("Source%d", rng.IntN(50)), Product: p.Name, Vendor: v}
	switch k := rng.IntN(20); {
	case k == 0:
		g.Product = ""
	case k == 1:
		g.Product, g.Vendor = "", ""
	case k == 2 && spec.oddities:
		g.Product = fmt.Sprintf("widget %d", rng.IntN(5))
	}
	g.Start = spec.from.Add(time.Duration(rng.Int64N(int64(spec.span)))).Truncate(time.Second)
	g.End = g.Start.Add(time.Duration(10+rng.IntN(12*60)) * time.Minute)
	return g
}
