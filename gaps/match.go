package gaps

import (
	"slices"
	"sort"
	"strings"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/notice"
)

// Linker links gaps to the notices that may explain them. It is built once
// over a catalog (which tells products, families, platforms and vendors
// apart), is immutable afterwards and safe for concurrent use.
type Linker struct {
	cat *extract.Catalog
	// byName maps each catalog product's normalised canonical name to
	// its facts; exact maps the canonical name as written, the fast path
	// for names the extractor produced.
	byName, exact map[string]*prodInfo
	// families maps a family key to the family's name.
	families map[string]string
	// broad marks families whose umbrella is a vendor's platform
	// (Microsoft Azure): its members are siblings in name only, so two
	// of them are not related through it.
	broad map[string]bool
}

// prodInfo is what linking needs to know about one product.
type prodInfo struct {
	name     string
	key      string // "p:" + normalised name
	vendor   string
	vkey     string // normalised vendor
	platform bool
	// member lists the family keys the product belongs to; umbrella
	// those it is the umbrella product of (Microsoft 365 for the
	// Microsoft 365 family).
	member, umbrella []string
}

// NewLinker builds a linker over cat. A nil catalog links on product
// names and vendors as given, without families.
func NewLinker(cat *extract.Catalog) *Linker {
	l := &Linker{cat: cat, byName: map[string]*prodInfo{}, exact: map[string]*prodInfo{}, families: map[string]string{}, broad: map[string]bool{}}
	if cat == nil {
		return l
	}
	for _, p := range cat.Products() {
		info := &prodInfo{name: p.Name, key: "p:" + norm(p.Name), vendor: p.Vendor, vkey: norm(p.Vendor), platform: p.Platform}
		if p.Family != "" {
			fk := familyKey(p.Vendor, p.Family)
			info.member = []string{fk}
			l.families[fk] = p.Family
		}
		l.byName[norm(p.Name)] = info
		l.exact[p.Name] = info
	}
	keys := make([]string, 0, len(l.families))
	for fk := range l.families {
		keys = append(keys, fk)
	}
	sort.Strings(keys)
	for _, fk := range keys {
		if u := l.umbrellaOf(fk); u != nil {
			u.umbrella = append(u.umbrella, fk)
			l.broad[fk] = u.platform
		}
	}
	return l
}

// umbrellaOf finds the product a family is named after: the product of
// the family's vendor with that name or alias ("Microsoft Entra" → Entra
// ID), if any.
func (l *Linker) umbrellaOf(fk string) *prodInfo {
	name := l.families[fk]
	vkey, _, _ := strings.Cut(fk, "\x1f")
	if u := l.byName[norm(name)]; u != nil && u.vkey == vkey {
		return u
	}
	if p, ok := l.cat.Lookup(name); ok {
		if u := l.byName[norm(p.Name)]; u != nil && u.vkey == vkey {
			return u
		}
	}
	return nil
}

// familyKey identifies a family within its vendor.
func familyKey(vendor, family string) string { return norm(vendor) + "\x1f" + norm(family) }

// norm folds a name for comparison: lower case, single spaces.
func norm(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// nameCache remembers how names outside the catalog's canonical ones
// resolved. A frozen cache is only read (shared by concurrent queries).
type nameCache struct {
	m       map[string]*prodInfo
	vendors map[string]vendorName
	frozen  bool
}

// vendorName is a canonical vendor name with its normalised key.
type vendorName struct{ name, key string }

// newNameCache returns an empty, writable cache.
func newNameCache() *nameCache {
	return &nameCache{m: map[string]*prodInfo{}, vendors: map[string]vendorName{}}
}

// product resolves a product name as a notice or gap gives it: a
// canonical catalog name directly, then any catalog name or alias, else
// the name as given with the hinted vendor (and, when the name is one of
// that vendor's families, as the family's umbrella).
func (l *Linker) product(name, vendorHint string, c *nameCache) *prodInfo {
	if p := l.exact[name]; p != nil {
		return p
	}
	n := norm(name)
	if n == "" {
		return nil
	}
	if p := l.byName[n]; p != nil {
		return p
	}
	ck := strings.TrimSpace(name) + "\x1f" + vendorHint
	if p, ok := c.m[ck]; ok {
		return p
	}
	var p *prodInfo
	if l.cat != nil {
		if cp, ok := l.cat.Lookup(name); ok {
			p = l.byName[norm(cp.Name)]
		}
	}
	if p == nil {
		v := l.vendor(vendorHint, c)
		p = &prodInfo{name: strings.TrimSpace(name), key: "p:" + n, vendor: v.name, vkey: v.key}
		if fk := familyKey(v.name, name); l.families[fk] != "" {
			p.umbrella = []string{fk}
		}
	}
	if !c.frozen {
		c.m[ck] = p
	}
	return p
}

// vendor returns the catalog's canonical name of a vendor (or the name as
// given) and its normalised key.
func (l *Linker) vendor(name string, c *nameCache) vendorName {
	if name == "" {
		return vendorName{}
	}
	if v, ok := c.vendors[name]; ok {
		return v
	}
	v := strings.TrimSpace(name)
	if l.cat != nil && v != "" {
		if cv, ok := l.cat.CanonicalVendor(v); ok {
			v = cv
		}
	}
	vn := vendorName{v, norm(v)}
	if !c.frozen {
		c.vendors[name] = vn
	}
	return vn
}

// gapSide is what linking knows of a gap's product.
type gapSide struct {
	p      *prodInfo // nil when the gap has no product
	vendor string
	vkey   string
}

// gapSide resolves a gap's product and vendor.
func (l *Linker) gapSide(g *notice.Gap, c *nameCache) gapSide {
	s := gapSide{p: l.product(g.Product, g.Vendor, c)}
	if s.p != nil && s.p.vendor != "" {
		s.vendor, s.vkey = s.p.vendor, s.p.vkey
	} else {
		v := l.vendor(g.Vendor, c)
		s.vendor, s.vkey = v.name, v.key
	}
	return s
}

// noticeSide is what linking knows of a notice's products.
type noticeSide struct {
	prods []*prodInfo
	// wide lists the normalised vendors the notice concerns without
	// naming any of their products other than the platform.
	wide []string
}

// noticeSide resolves a notice's vendor and products.
func (l *Linker) noticeSide(n *notice.Notice, c *nameCache) noticeSide {
	v := l.vendor(n.Extraction.Vendor, c)
	if v.name == "" {
		v = l.vendor(n.Item.Vendor, c)
	}
	var s noticeSide
	for _, ref := range n.Extraction.Products {
		hint := ref.Vendor
		if hint == "" {
			hint = v.name
		}
		p := l.product(ref.Name, hint, c)
		if p != nil && !slices.ContainsFunc(s.prods, func(q *prodInfo) bool { return q.key == p.key }) {
			s.prods = append(s.prods, p)
		}
	}
	s.addWide(v.key)
	for _, p := range s.prods {
		s.addWide(p.vkey)
	}
	return s
}

// addWide records vendor key v as one the notice concerns as a whole, if
// the notice names none of v's products but the platform.
func (s *noticeSide) addWide(v string) {
	if v == "" || slices.Contains(s.wide, v) {
		return
	}
	if !slices.ContainsFunc(s.prods, func(p *prodInfo) bool { return p.vkey == v && !p.platform }) {
		s.wide = append(s.wide, v)
	}
}
