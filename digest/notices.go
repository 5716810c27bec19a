package digest

import (
	"slices"
	"sort"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// follows says which notices a tenant hears about: its followed vendors and
// products, the products of its gaps, within its categories.
type follows struct {
	vendors, products map[string]bool
	categories        map[notice.Category]bool
}

func newFollows(in Input) follows {
	f := follows{vendors: map[string]bool{}, products: map[string]bool{}, categories: map[notice.Category]bool{}}
	for _, v := range in.Subscription.Vendors {
		f.vendors[v] = true
	}
	for _, p := range in.Subscription.Products {
		f.products[p] = true
	}
	for _, g := range in.Gaps {
		if g.Gap.Product != "" {
			f.products[g.Gap.Product] = true
		}
	}
	for _, c := range in.Subscription.Categories {
		f.categories[c] = true
	}
	return f
}

func (f follows) match(n notice.Notice) bool {
	ex := n.Extraction
	if len(f.categories) > 0 && !f.categories[ex.Category] {
		return false
	}
	if f.vendors[ex.Vendor] || f.vendors[n.Item.Vendor] {
		return true
	}
	for _, p := range ex.Products {
		if f.products[p.Name] || f.vendors[p.Vendor] {
			return true
		}
	}
	return false
}

// changeKind says why a notice is in the digest: "new", a revision of its
// window, products or category, or "" when nothing that matters changed.
func changeKind(c notice.NoticeChange) string {
	if c.Previous == nil {
		return "new"
	}
	prev, cur := *c.Previous, c.Notice.Extraction
	switch {
	case !sameWindows(prev.Windows, cur.Windows):
		return "window revised"
	case !slices.Equal(productNames(prev.Products), productNames(cur.Products)):
		return "products revised"
	case prev.Category != cur.Category:
		return "category revised"
	}
	return ""
}

func sameWindows(a, b []notice.Window) bool {
	return slices.EqualFunc(a, b, func(x, y notice.Window) bool {
		if !x.Start.Equal(y.Start) || x.Precision != y.Precision || (x.End == nil) != (y.End == nil) {
			return false
		}
		return x.End == nil || x.End.Equal(*y.End)
	})
}

func productNames(ps []notice.ProductRef) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// noticeGroups lists the followed notices that are new or meaningfully
// revised, grouped by vendor (alphabetical), newest first within a vendor.
func noticeGroups(in Input, loc *time.Location) []VendorGroup {
	f := newFollows(in)
	byVendor := map[string][]notice.Notice{}
	kinds := map[notice.ID]string{}
	for _, c := range in.Changes {
		k := changeKind(c)
		if k == "" || !f.match(c.Notice) {
			continue
		}
		v := firstNonEmpty(c.Notice.Extraction.Vendor, c.Notice.Item.Vendor, "Other")
		byVendor[v] = append(byVendor[v], c.Notice)
		kinds[c.Notice.ID] = k
	}
	vendors := make([]string, 0, len(byVendor))
	for v := range byVendor {
		vendors = append(vendors, v)
	}
	sort.Strings(vendors)
	out := make([]VendorGroup, 0, len(vendors))
	for _, v := range vendors {
		ns := byVendor[v]
		sort.SliceStable(ns, func(i, j int) bool {
			if !ns[i].Item.Published.Equal(ns[j].Item.Published) {
				return ns[i].Item.Published.After(ns[j].Item.Published)
			}
			return ns[i].ID > ns[j].ID
		})
		g := VendorGroup{Vendor: v}
		for _, n := range ns {
			g.Notices = append(g.Notices, noticeLine(n, kinds[n.ID], loc))
		}
		out = append(out, g)
	}
	return out
}

func noticeLine(n notice.Notice, kind string, loc *time.Location) NoticeLine {
	l := NoticeLine{ID: n.ID, Title: n.Item.Title, Change: kind, URL: n.Item.URL,
		Products: productNames(n.Extraction.Products), Category: string(n.Extraction.Category), Windows: []string{}}
	if l.Category == "" {
		l.Category = "unclassified"
	}
	for _, w := range n.Extraction.Windows {
		l.Windows = append(l.Windows, FormatWindow(w, loc))
	}
	return l
}
