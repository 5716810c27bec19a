package gaps

import (
	"strings"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/notice"
)

// Resolver resolves a customer's log source to a catalog product, so that a
// gap on "SigninLogs" can be linked to notices about Microsoft Entra ID. The
// tenant's own map (source → product name) wins over the catalog's
// log-source names, because the tenant knows its own tables.
type Resolver struct {
	// Catalog is the product catalog; nil resolves only through TenantMap
	// and keeps names as given.
	Catalog *extract.Catalog
	// TenantMap maps the tenant's source names to product names.
	TenantMap map[string]string
}

// Resolve returns the canonical product and vendor of a gap. A product
// given explicitly is canonicalised through the catalog ("Azure AD" →
// Microsoft Entra ID; a name the catalog does not know is kept as given,
// with no vendor). Without one, the tenant map is consulted (exact source
// name first, then ignoring case), then the catalog's log-source names.
// Nothing found gives ("", "").
func (r Resolver) Resolve(source, product string) (canonicalProduct, vendor string) {
	if p := strings.TrimSpace(product); p != "" {
		return r.canonical(p)
	}
	source = strings.TrimSpace(source)
	if name, ok := r.mapped(source); ok {
		return r.canonical(name)
	}
	if r.Catalog != nil && source != "" {
		if p, ok := r.Catalog.ByLogSource(source); ok {
			return p.Name, p.Vendor
		}
	}
	return "", ""
}

// Fill sets the product and vendor of every gap that has no product yet
// (detected gaps carry only their source).
func (r Resolver) Fill(gs []notice.Gap) {
	for i := range gs {
		if gs[i].Product == "" {
			gs[i].Product, gs[i].Vendor = r.Resolve(gs[i].Source, "")
		}
	}
}

// canonical maps a product name to the catalog's canonical name and vendor,
// keeping unknown names as given.
func (r Resolver) canonical(name string) (string, string) {
	if r.Catalog != nil {
		if p, ok := r.Catalog.Lookup(name); ok {
			return p.Name, p.Vendor
		}
	}
	return name, ""
}

// mapped looks the source up in the tenant map: the exact key first, then
// the smallest key equal to it ignoring case, so the answer does not depend
// on map order.
func (r Resolver) mapped(source string) (string, bool) {
	if source == "" {
		return "", false
	}
	if v := strings.TrimSpace(r.TenantMap[source]); v != "" {
		return v, true
	}
	best, found := "", ""
	for k, v := range r.TenantMap {
		v = strings.TrimSpace(v)
		if v == "" || !strings.EqualFold(strings.TrimSpace(k), source) {
			continue
		}
		if found == "" || k < best {
			best, found = k, v
		}
	}
	return found, found != ""
}
