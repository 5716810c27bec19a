package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/notice"
)

// canonicalProduct resolves a product name, alias or former name to its
// catalog name; names the catalog does not know (a vendor's own component
// names) are used as given.
func (s *Server) canonicalProduct(name string) string { return CanonicalProduct(s.deps.Catalog, name) }

// CanonicalProduct resolves a product name, alias or former name to its
// name in cat (nil: none); names cat does not know are returned as given.
func CanonicalProduct(cat *extract.Catalog, name string) string {
	if cat != nil {
		if p, ok := cat.Lookup(name); ok {
			return p.Name
		}
	}
	return name
}

func (s *Server) canonicalVendor(name string) string {
	if s.deps.Catalog != nil {
		if v, ok := s.deps.Catalog.CanonicalVendor(name); ok {
			return v
		}
	}
	return name
}

// windows answers GET /api/v1/windows?product=&vendor=&from=&to= and
// ?product=&at=, with open=recent (default: an open window lasts until its
// assumed end, as gap linking takes it) or open=all (until for ever).
func (s *Server) windows(c *gin.Context) {
	product, vendor := strings.TrimSpace(c.Query("product")), strings.TrimSpace(c.Query("vendor"))
	if product == "" && vendor == "" {
		badParam(c, "product", "give a product (or a vendor)")
		return
	}
	from, to, ok := rangeParams(c)
	if !ok {
		return
	}
	if c.Query("at") != "" {
		if c.Query("from") != "" || c.Query("to") != "" {
			badParam(c, "at", "give either at or from/to, not both")
			return
		}
		at, ok := timeParam(c, "at", false)
		if !ok {
			return
		}
		from, to = at, at
	}
	q := notice.WindowQuery{From: from, To: to}
	switch c.Query("open") {
	case "", "recent":
		q.Open = notice.OpenRecent
	case "all":
		q.Open = notice.OpenAll
	default:
		badParam(c, "open", "open must be recent (an open window lasts a week after its notice's latest date) or all")
		return
	}
	var hits []notice.WindowHit
	if product != "" {
		q.Product = s.canonicalProduct(product)
		hits = s.deps.Windows.Find(q)
		if vendor != "" {
			v := s.canonicalVendor(vendor)
			kept := hits[:0:0]
			for _, h := range hits {
				if strings.EqualFold(h.Vendor, v) {
					kept = append(kept, h)
				}
			}
			hits = kept
		}
	} else {
		q.Vendor = s.canonicalVendor(vendor)
		hits = s.deps.Windows.Find(q)
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", appendWindows(make([]byte, 0, 64+len(hits)*320), hits))
}

// ProductJSON is a catalog product as listed by GET /api/v1/products.
type ProductJSON struct {
	Name       string   `json:"name"`
	Vendor     string   `json:"vendor"`
	Family     string   `json:"family,omitempty"`
	Aliases    []string `json:"aliases"`
	Former     []string `json:"former"`
	LogSources []string `json:"log_sources"`
}

// products answers GET /api/v1/products?q=: catalog products whose name,
// alias, former name or log source contains q (case-insensitive).
func (s *Server) products(c *gin.Context) {
	q := strings.ToLower(strings.TrimSpace(c.Query("q")))
	out := []ProductJSON{}
	for _, p := range s.deps.Catalog.Products() {
		if q != "" && !productMatches(p, q) {
			continue
		}
		out = append(out, ProductJSON{Name: p.Name, Vendor: p.Vendor, Family: p.Family,
			Aliases: nonNil(p.Aliases), Former: nonNil(p.Former), LogSources: nonNil(p.LogSources)})
		if len(out) == 200 {
			break
		}
	}
	c.JSON(http.StatusOK, gin.H{"products": out})
}

func productMatches(p extract.Product, q string) bool {
	names := append([]string{p.Name, p.Vendor}, p.Aliases...)
	names = append(names, p.Former...)
	names = append(names, p.LogSources...)
	for _, n := range names {
		if strings.Contains(strings.ToLower(n), q) {
			return true
		}
	}
	return false
}
