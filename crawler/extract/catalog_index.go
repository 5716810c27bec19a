package extract

import (
	"sort"
	"strings"
)

// nameClaim records that a folded name belongs to a product.
type nameClaim struct {
	product   int
	ambiguous bool
	origin    string
}

// newCatalog validates merged entries and builds the catalog's indexes and
// matcher.
func newCatalog(vs []vendorEntry) (*Catalog, error) {
	c := &Catalog{
		byName:      map[string][]int{},
		byVendor:    map[string]int{},
		vendorIdx:   map[string]int{},
		byLogSource: map[string]int{},
	}
	if err := c.addVendors(vs); err != nil {
		return nil, err
	}
	claims := map[string][]nameClaim{}
	for vi, v := range vs {
		for _, p := range v.Products {
			if err := c.addProduct(vi, p, claims); err != nil {
				return nil, err
			}
		}
		if err := c.setPlatform(vi, v); err != nil {
			return nil, err
		}
	}
	if err := c.checkClaims(claims); err != nil {
		return nil, err
	}
	c.linkFamilies()
	m, err := newMatcher(c)
	if err != nil {
		return nil, err
	}
	c.m = m
	return c, nil
}

// addVendors indexes the vendors' names and aliases, refusing a name two
// vendors claim.
func (c *Catalog) addVendors(vs []vendorEntry) error {
	for vi, v := range vs {
		name := strings.TrimSpace(v.Name)
		for _, k := range append([]string{name}, v.Aliases...) {
			fk := foldString(k)
			if fk == "" {
				return errorf(v.origin, "vendor %q: empty alias", name)
			}
			if j, ok := c.byVendor[fk]; ok && j != vi {
				return errorf(v.origin, "vendor %q: name %q already names vendor %q", name, k, c.vendors[j].name)
			}
			c.byVendor[fk] = vi
		}
		c.vendorIdx[name] = vi
		c.vendors = append(c.vendors, vendor{name: name, aliases: v.Aliases, company: v.Company, platform: v.Platform})
	}
	return nil
}

// addProduct validates one product entry and indexes its names and log
// sources.
func (c *Catalog) addProduct(vi int, e productEntry, claims map[string][]nameClaim) error {
	vname := c.vendors[vi].name
	name := strings.TrimSpace(e.Name)
	if foldString(name) == "" {
		return errorf(e.origin, "vendor %q: product with no name", vname)
	}
	pi := len(c.products)
	for _, cl := range claims[foldString(name)] {
		if !cl.ambiguous && foldString(c.products[cl.product].Name) == foldString(name) {
			return errorf(e.origin, "vendor %q product %q: name already used by %q (%s)", vname, name, c.products[cl.product].Vendor, cl.origin)
		}
	}
	p := Product{
		Name: name, Vendor: vname, Family: strings.TrimSpace(e.Family),
		Aliases: e.Aliases, Former: e.Former, Ambiguous: e.Ambiguous, LogSources: e.LogSources,
		Platform: e.Platform, Incidental: e.Incidental,
	}
	c.products = append(c.products, p)
	c.productVendor = append(c.productVendor, vi)
	c.nameKey = append(c.nameKey, foldString(name))
	add := func(n string, ambiguous bool) error {
		fn := foldString(n)
		if fn == "" {
			return errorf(e.origin, "vendor %q product %q: empty alias", vname, name)
		}
		for _, cl := range claims[fn] {
			if cl.product == pi {
				return nil
			}
		}
		claims[fn] = append(claims[fn], nameClaim{product: pi, ambiguous: ambiguous, origin: e.origin})
		c.byName[fn] = append(c.byName[fn], pi)
		return nil
	}
	if err := add(name, false); err != nil {
		return err
	}
	for _, list := range [][]string{e.Aliases, e.Former} {
		for _, a := range list {
			if err := add(a, false); err != nil {
				return err
			}
		}
	}
	for _, a := range e.Ambiguous {
		if err := add(a, true); err != nil {
			return err
		}
	}
	for _, ls := range e.LogSources {
		fl := foldString(ls)
		if fl == "" {
			return errorf(e.origin, "vendor %q product %q: empty log source", vname, name)
		}
		if j, ok := c.byLogSource[fl]; ok && j != pi {
			return errorf(e.origin, "vendor %q product %q: log source %q already belongs to %q", vname, name, ls, c.products[j].Name)
		}
		c.byLogSource[fl] = pi
	}
	return nil
}

// linkFamilies records, for each product, the product its Family names
// (an umbrella such as "Microsoft 365"), if the catalog has it.
func (c *Catalog) linkFamilies() {
	byKey := map[string]int{}
	for i, k := range c.nameKey {
		byKey[k] = i
	}
	c.familyOf = make([]int, len(c.products))
	for i, p := range c.products {
		c.familyOf[i] = -1
		if j, ok := byKey[foldString(p.Family)]; ok && j != i {
			c.familyOf[i] = j
		}
	}
}

// setPlatform checks the vendor's platform product, defaulting it to the
// first product marked platform.
func (c *Catalog) setPlatform(vi int, e vendorEntry) error {
	v := &c.vendors[vi]
	for i := range c.products {
		if c.productVendor[i] != vi {
			continue
		}
		if v.platform == "" && c.products[i].Platform {
			v.platform = c.products[i].Name
		}
		if foldString(c.products[i].Name) == foldString(v.platform) {
			c.products[i].Platform = true
			v.platform = c.products[i].Name
			return nil
		}
	}
	if v.platform != "" {
		return errorf(e.origin, "vendor %q: platform %q is not one of its products", v.name, v.platform)
	}
	return nil
}

// checkClaims refuses a name claimed by two products unless every claim
// marks it ambiguous and the products belong to different vendors (so that
// the vendor named nearby can decide).
func (c *Catalog) checkClaims(claims map[string][]nameClaim) error {
	keys := make([]string, 0, len(claims))
	for k, cls := range claims {
		if len(cls) > 1 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		cls := claims[key]
		first := c.products[cls[0].product]
		seen := map[int]bool{c.productVendor[cls[0].product]: true}
		for _, cl := range cls[1:] {
			p := c.products[cl.product]
			v := c.productVendor[cl.product]
			if seen[v] {
				return errorf(cl.origin, "vendor %q product %q: name %q already names %q of the same vendor", p.Vendor, p.Name, key, first.Name)
			}
			seen[v] = true
			if !cl.ambiguous || !cls[0].ambiguous {
				return errorf(cl.origin, "vendor %q product %q: name %q also names %q of %q; list it under ambiguous in both", p.Vendor, p.Name, key, first.Name, first.Vendor)
			}
		}
	}
	return nil
}
