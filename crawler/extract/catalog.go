package extract

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/gapwatch/gapwatch/notice"
)

// Product is one catalog product: the name gapwatch reports, the names
// notices use for it, and the log sources it produces (so that a customer's
// gap in a log table can be linked to notices about the product).
type Product struct {
	// Name is the canonical, current product name ("Microsoft Entra ID").
	Name string
	// Vendor is the canonical vendor name ("Microsoft").
	Vendor string
	// Family is the umbrella the product belongs to ("Microsoft 365" for
	// Exchange Online), if any.
	Family string
	// Aliases are other current names ("Entra ID").
	Aliases []string
	// Former are names the product had before ("Azure Active Directory").
	Former []string
	// Ambiguous are short or generic names ("Sentinel", "Teams") that name
	// the product only when its vendor is known from the source or named
	// nearby.
	Ambiguous []string
	// LogSources are the log tables or streams the product produces
	// ("SigninLogs", "AWSCloudTrail").
	LogSources []string
	// Platform marks a vendor's umbrella offering ("Amazon Web Services",
	// "Cloudflare network"): reported when a notice is about the vendor
	// but none of its specific products is affected, never beside one.
	Platform bool
	// Incidental marks products notices name in passing (status pages,
	// support portals, health dashboards): beside another affected product
	// of their vendor they count only when the title names them.
	Incidental bool
}

// vendor is one catalog vendor.
type vendor struct {
	name    string
	aliases []string
	// company groups vendors of one owner (Google Cloud and Google
	// Workspace) so that each counts as context for the other.
	company string
	// platform is the name of the product reported when a notice is about
	// the vendor but names no specific product.
	platform string
}

// Catalog is an immutable set of vendors and products with the matching
// automaton built once, so that it can be shared by concurrent extractions.
type Catalog struct {
	vendors  []vendor
	products []Product
	// byName maps a folded name, alias or former name to product indices.
	byName map[string][]int
	// byVendor maps a folded vendor name or alias to a vendor index.
	byVendor map[string]int
	// vendorIdx maps a canonical vendor name to its index.
	vendorIdx map[string]int
	// productVendor is the vendor index of each product.
	productVendor []int
	// nameKey is the folded name of each product.
	nameKey []string
	// familyOf is the index of the product named by each product's
	// Family, or -1.
	familyOf    []int
	byLogSource map[string]int
	m           *matcher
}

// Vendors returns the canonical vendor names, sorted.
func (c *Catalog) Vendors() []string {
	out := make([]string, len(c.vendors))
	for i, v := range c.vendors {
		out[i] = v.name
	}
	sort.Strings(out)
	return out
}

// Products returns a copy of every product, ordered by vendor then name.
func (c *Catalog) Products() []Product {
	out := make([]Product, len(c.products))
	for i, p := range c.products {
		out[i] = clonedProduct(p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Vendor != out[j].Vendor {
			return out[i].Vendor < out[j].Vendor
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// clonedProduct copies p's slices so callers cannot change the catalog.
func clonedProduct(p Product) Product {
	p.Aliases = slices.Clone(p.Aliases)
	p.Former = slices.Clone(p.Former)
	p.Ambiguous = slices.Clone(p.Ambiguous)
	p.LogSources = slices.Clone(p.LogSources)
	return p
}

// Lookup finds a product by canonical name, alias, former or ambiguous
// name, ignoring case, accents and punctuation. A name shared by products
// of several vendors resolves only when prefixed with a vendor name
// ("Cloudflare Access").
func (c *Catalog) Lookup(nameOrAlias string) (Product, bool) {
	key := foldString(nameOrAlias)
	if i, ok := c.lookupFolded(key, -1); ok {
		return clonedProduct(c.products[i]), true
	}
	// "Azure Sentinel"-style keys: a vendor word followed by a name.
	for k := strings.IndexByte(key, ' '); k > 0; k = nextSpace(key, k) {
		if v, ok := c.byVendor[key[:k]]; ok {
			if i, ok := c.lookupFolded(key[k+1:], v); ok {
				return clonedProduct(c.products[i]), true
			}
		}
	}
	return Product{}, false
}

// nextSpace returns the index of the next space after k in s, or -1.
func nextSpace(s string, k int) int {
	j := strings.IndexByte(s[k+1:], ' ')
	if j < 0 {
		return -1
	}
	return k + 1 + j
}

// lookupFolded resolves a folded key to one product, restricted to vendor
// v unless v is -1.
func (c *Catalog) lookupFolded(key string, v int) (int, bool) {
	found := -1
	for _, i := range c.byName[key] {
		if v >= 0 && c.productVendor[i] != v {
			continue
		}
		if c.nameKey[i] == key {
			return i, true
		}
		if found >= 0 && found != i {
			return 0, false
		}
		found = i
	}
	return found, found >= 0
}

// ByLogSource finds the product producing a log table or stream
// ("SigninLogs" → Microsoft Entra ID), ignoring case.
func (c *Catalog) ByLogSource(table string) (Product, bool) {
	i, ok := c.byLogSource[foldString(table)]
	if !ok {
		return Product{}, false
	}
	return clonedProduct(c.products[i]), true
}

// CanonicalVendor maps a vendor name or alias ("Amazon Web Services",
// "MSFT", "GCP") to the catalog's canonical vendor name.
func (c *Catalog) CanonicalVendor(name string) (string, bool) {
	i, ok := c.byVendor[foldString(name)]
	if !ok {
		return "", false
	}
	return c.vendors[i].name, true
}

// errorf formats a catalog validation error naming the file and entry.
func errorf(origin, format string, args ...any) error {
	return fmt.Errorf("extract: catalog %s: %w: %s", path.Clean(origin), notice.ErrInvalid, fmt.Sprintf(format, args...))
}
