package gaps

import (
	"slices"

	"github.com/gapwatch/gapwatch/notice"
)

// relation says how a family match came about, for the explanation.
type relation int

// The ways a notice's product can be in a gap product's family.
const (
	relNone relation = iota
	// relUmbrella: the notice names the umbrella of the gap's product
	// (Microsoft 365 for Exchange Online).
	relUmbrella
	// relPart: the gap's product is the umbrella of the notice's
	// (an OfficeActivity gap, a notice on Exchange Online).
	relPart
	// relSibling: both belong to one (not platform-wide) family.
	relSibling
)

// match is how a notice relates to a gap.
type match struct {
	kind notice.MatchKind
	// product is the notice's product that matched (for a vendor match,
	// the platform it names, if any).
	product string
	rel     relation
	family  string
}

// relate finds the strongest product relation between a gap and a notice:
// exact (the notice names the gap's product), family (the notice names the
// family umbrella, a product the gap's product is umbrella of, or a
// sibling in a family that is not the vendor's whole platform), or vendor
// (the notice concerns the gap's vendor and names none of its products but
// the platform).
func (l *Linker) relate(g gapSide, n noticeSide) (match, bool) {
	if g.p != nil {
		for _, p := range n.prods {
			if p.key == g.p.key {
				return match{kind: notice.MatchExact, product: p.name}, true
			}
		}
		for _, p := range n.prods {
			if rel, fk := l.family(g.p, p); rel != relNone {
				return match{kind: notice.MatchFamily, product: p.name, rel: rel, family: l.families[fk]}, true
			}
		}
	}
	if g.vkey != "" && slices.Contains(n.wide, g.vkey) {
		m := match{kind: notice.MatchVendor}
		for _, p := range n.prods {
			if p.vkey == g.vkey && p.platform {
				m.product = p.name
				break
			}
		}
		return m, true
	}
	return match{}, false
}

// family says how the notice product p is in the family of the gap
// product g, and through which family.
func (l *Linker) family(g, p *prodInfo) (relation, string) {
	for _, f := range p.umbrella {
		if slices.Contains(g.member, f) {
			return relUmbrella, f
		}
	}
	for _, f := range g.umbrella {
		if slices.Contains(p.member, f) {
			return relPart, f
		}
	}
	for _, f := range g.member {
		if !l.broad[f] && slices.Contains(p.member, f) {
			return relSibling, f
		}
	}
	return relNone, ""
}

// Index keys. A notice is filed under each key below for its products and
// vendors; a gap is looked up under the keys its product and vendor relate
// to, so that a shared key exists exactly when relate finds a relation.
const (
	keyUmbrella = "u:" // + family: the product is the family's umbrella
	keyMember   = "m:" // + family: the product belongs to the family
	keyVendor   = "v:" // + vendor: vendor-wide notice
)

// noticeKeys are the keys a notice is filed under.
func noticeKeys(n noticeSide) []string {
	var ks []string
	for _, p := range n.prods {
		ks = append(ks, p.key)
		for _, f := range p.umbrella {
			ks = append(ks, keyUmbrella+f)
		}
		for _, f := range p.member {
			ks = append(ks, keyMember+f)
		}
	}
	for _, v := range n.wide {
		ks = append(ks, keyVendor+v)
	}
	return dedupe(ks)
}

// gapKeys are the keys under which the notices related to a gap are filed.
func (l *Linker) gapKeys(g gapSide) []string {
	var ks []string
	if p := g.p; p != nil {
		ks = append(ks, p.key)
		for _, f := range p.member {
			ks = append(ks, keyUmbrella+f)
			if !l.broad[f] {
				ks = append(ks, keyMember+f)
			}
		}
		for _, f := range p.umbrella {
			ks = append(ks, keyMember+f)
		}
	}
	if g.vkey != "" {
		ks = append(ks, keyVendor+g.vkey)
	}
	return dedupe(ks)
}

// dedupe drops repeated keys, keeping the first of each.
func dedupe(ks []string) []string {
	out := ks[:0]
	for _, k := range ks {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}
