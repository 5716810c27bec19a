package extract

import "sort"

// productScore gathers the mentions of one product.
type productScore struct {
	product                     int
	title                       bool
	impact, neutral, unaffected int
	first                       *mention // representative mention
	order                       int
}

// selectProducts applies the ranking rules to the resolved mentions.
func (a *analysis) selectProducts() []ProductMatch {
	scores := a.scoreMentions()
	kept := make([]*productScore, 0, len(scores))
	for _, s := range scores {
		if a.keep(s) {
			kept = append(kept, s)
		}
	}
	kept = a.dropUmbrellas(kept)
	sort.SliceStable(kept, func(i, j int) bool {
		if kept[i].title != kept[j].title {
			return kept[i].title
		}
		if kept[i].impact != kept[j].impact {
			return kept[i].impact > kept[j].impact
		}
		return kept[i].order < kept[j].order
	})
	out := make([]ProductMatch, 0, len(kept)+1)
	for _, s := range kept {
		out = append(out, a.productMatch(s))
	}
	if pm, ok := a.fallback(kept); ok {
		out = append(out, pm)
	}
	return out
}

// scoreMentions groups mentions by product, in order of first mention
// (title first).
func (a *analysis) scoreMentions() []*productScore {
	byProduct := map[int]*productScore{}
	var list []*productScore
	for i := range a.mentions {
		m := &a.mentions[i]
		s, ok := byProduct[m.product]
		if !ok {
			s = &productScore{product: m.product, order: len(list)}
			byProduct[m.product] = s
			list = append(list, s)
		}
		switch {
		case m.doc == 0:
			s.title = true
		case m.ctx == ctxImpact:
			s.impact++
		case m.ctx == ctxUnaffected:
			s.unaffected++
		case m.ctx == ctxCause:
		default:
			s.neutral++
		}
		if s.first == nil || (s.first.doc != 0 && s.first.ctx != ctxImpact && (m.doc == 0 || m.ctx == ctxImpact)) {
			s.first = m
		}
	}
	return list
}

// keep applies the per-product rules: named in the title, or with impact
// at least as often as "not impacted", or (for products notices do not name
// in passing) repeatedly and never as unaffected. Another vendor's product
// needs its vendor or itself in the title, or two mentions and its vendor
// named (on a vendor's own feed, always its vendor named: "Secrets Manager"
// in a Google Cloud notice is not AWS's); another vendor's platform product
// never counts, since naming the
// vendor ("apps like Slack and Zoom went down") makes it a customer of the
// outage, not its subject.
func (a *analysis) keep(s *productScore) bool {
	p := a.c.products[s.product]
	ok := s.title || (s.impact > 0 && s.impact >= s.unaffected) || (!p.Incidental && s.neutral >= 2 && s.unaffected == 0)
	if !ok {
		return false
	}
	v := a.c.productVendor[s.product]
	if a.main < 0 || a.c.sameCompany(v, a.main) {
		return true
	}
	if p.Platform || (a.source >= 0 && !a.vendorNamed(v)) {
		return false
	}
	return s.title || a.vendorInTitle(v) || (s.impact+s.neutral >= 2 && a.vendorNamed(v))
}

// vendorInTitle reports whether the title names vendor v.
func (a *analysis) vendorInTitle(v int) bool {
	for _, e := range a.evidence[0] {
		if e.vendor == v {
			return true
		}
	}
	return false
}

// vendorNamed reports whether the notice names vendor v itself.
func (a *analysis) vendorNamed(v int) bool {
	for _, evs := range a.evidence {
		for _, e := range evs {
			if e.vendor == v && e.byName {
				return true
			}
		}
	}
	return false
}

// dropUmbrellas removes what a more specific kept product makes
// redundant: a vendor's platform product ("Google Cloud Platform" next to
// "Cloud VPN"); a family umbrella named outside the title ("Microsoft 365"
// next to "Microsoft Teams"); and a product notices name in passing (a
// status page, a support portal) when another product of its vendor is
// kept, unless the title names it.
func (a *analysis) dropUmbrellas(kept []*productScore) []*productScore {
	specific := map[int]bool{}
	umbrellas := map[int]bool{}
	for _, s := range kept {
		p := a.c.products[s.product]
		if !p.Platform && !p.Incidental {
			specific[a.c.productVendor[s.product]] = true
		}
		if f := a.c.familyOf[s.product]; f >= 0 {
			umbrellas[f] = true
		}
	}
	out := kept[:0]
	for _, s := range kept {
		p := a.c.products[s.product]
		v := a.c.productVendor[s.product]
		switch {
		case p.Platform && specific[v]:
			continue
		case !s.title && umbrellas[s.product]:
			continue
		case p.Incidental && specific[v] && !s.title:
			continue
		}
		out = append(out, s)
	}
	return out
}

// productMatch builds the result for a kept product.
func (a *analysis) productMatch(s *productScore) ProductMatch {
	m := s.first
	dc := &a.docs[m.doc]
	o1, o2 := dc.f.orig(m.from, m.to)
	return ProductMatch{
		Product: clonedProduct(a.c.products[s.product]),
		Matched: dc.orig[o1:o2], Start: o1, End: o2, InTitle: m.doc == 0,
	}
}

// fallback reports the main vendor's platform product when nothing kept
// belongs to the main vendor: a notice about "Cloudflare" that names no
// Cloudflare product is about Cloudflare's network.
func (a *analysis) fallback(kept []*productScore) (ProductMatch, bool) {
	if a.main < 0 {
		if a.mainName == "" || len(kept) > 0 {
			return ProductMatch{}, false
		}
		return ProductMatch{Product: Product{Name: a.mainName, Vendor: a.mainName}, Start: -1, End: -1, Inferred: true}, true
	}
	for _, s := range kept {
		if a.c.productVendor[s.product] == a.main {
			return ProductMatch{}, false
		}
	}
	v := a.c.vendors[a.main]
	p := Product{Name: v.name, Vendor: v.name}
	if i, ok := a.c.lookupFolded(foldString(v.platform), a.main); ok && v.platform != "" {
		p = clonedProduct(a.c.products[i])
	}
	pm := ProductMatch{Product: p, Start: -1, End: -1, Inferred: true}
	for d := range a.docs {
		for _, e := range a.evidence[d] {
			if e.vendor != a.main {
				continue
			}
			dc := &a.docs[d]
			for _, h := range dc.hits {
				if h.from == e.pos {
					pm.Start, pm.End = dc.f.orig(h.from, h.to)
					pm.Matched, pm.InTitle = dc.orig[pm.Start:pm.End], d == 0
					return pm, true
				}
			}
		}
	}
	return pm, true
}
