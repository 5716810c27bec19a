package extract

import (
	"cmp"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/crawler/htmltext"
	"github.com/gapwatch/gapwatch/notice"
)

// Version identifies the extractor's rules; it is stored with every
// extraction so `gapwatch reextract` can tell what is stale. Bump it when
// the rules or the catalog change what comes out.
const Version = "extract/3"

// Input is one notice to read.
type Input struct {
	Title string
	Text  string
	// HTML says Text is markup to strip first.
	HTML bool
	// Published is the publication time (midnight UTC when only the date
	// is known). Relative and year-less dates are resolved against it.
	Published time.Time
	// SourceVendor is the vendor of the feed the notice came from ("" for
	// news feeds, whose stories may concern any vendor).
	SourceVendor string
	// Language and Timezone come from the source when it declares them.
	Language string
	Timezone string
	// Impact and Maintenance are the source's structured fields, if any.
	Impact      string
	Maintenance bool
	// Products and Windows are structured facts from the source; they win
	// over what the text says.
	Products []notice.ProductRef
	Windows  []notice.Window
}

// Extractor reads notices against a product catalog. It is safe for
// concurrent use.
type Extractor struct {
	cat *Catalog
}

// New returns an Extractor using cat.
func New(cat *Catalog) *Extractor { return &Extractor{cat: cat} }

// Catalog returns the extractor's product catalog.
func (e *Extractor) Catalog() *Catalog { return e.cat }

// ExtractItem reads a crawled item, using its structured fields.
func (e *Extractor) ExtractItem(it notice.Item) notice.Extraction {
	return e.Extract(Input{
		Title: it.Title, Text: it.Text, Published: it.Published, SourceVendor: it.Vendor,
		Language: it.Language, Impact: it.Impact, Maintenance: it.Maintenance,
		Products: it.Products, Windows: it.Windows,
	})
}

// Extract reads one notice.
func (e *Extractor) Extract(in Input) notice.Extraction {
	text := in.Text
	if in.HTML || htmltext.LooksLikeHTML(text) {
		text = htmltext.Text(text)
	}
	title := strings.TrimSpace(htmltext.Text(in.Title))
	out := notice.Extraction{Version: Version, Language: in.Language}
	if out.Language == "" {
		out.Language = DetectLanguage(title + "\n" + text)
	}
	out.Vendor = e.cat.DetectVendor(title, text, in.SourceVendor)
	out.Products = e.products(title, text, in)
	out.Windows = mergeWindows(in.Windows, ExtractWindows(title+".\n"+text, WindowHints{
		Published: in.Published.UTC(), Vendor: out.Vendor, Language: out.Language, Timezone: in.Timezone,
	}))
	out.Category = Classify(title, text, in.Impact, in.Maintenance)
	return out
}

// products lists structured products first (mapped to catalog names when
// the catalog knows them), then those found in the text. A platform
// product inferred from the vendor alone is left out when the source
// names its components: it would only blur what the source stated.
func (e *Extractor) products(title, text string, in Input) []notice.ProductRef {
	out := []notice.ProductRef{}
	seen := map[string]bool{}
	add := func(p notice.ProductRef) {
		key := foldString(p.Name)
		if !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	for _, p := range in.Products {
		if cp, ok := e.structuredProduct(p, in.SourceVendor); ok {
			add(notice.ProductRef{Name: cp.Name, Vendor: cp.Vendor, Matched: "structured: " + p.Name})
			continue
		}
		add(notice.ProductRef{Name: p.Name, Vendor: p.Vendor, Matched: "structured"})
	}
	for _, m := range e.cat.MatchProducts(title, text, in.SourceVendor) {
		how := m.Matched
		if m.Inferred {
			if len(in.Products) > 0 {
				continue
			}
			// Matched is empty when only the source, not the text, names
			// the vendor.
			how = "inferred from vendor " + cmp.Or(m.Matched, m.Product.Vendor)
		}
		add(notice.ProductRef{Name: m.Product.Name, Vendor: m.Product.Vendor, Matched: how})
	}
	return out
}

// structuredProduct maps a source's component name to a catalog product
// of the same vendor ("Actions" on GitHub's page → GitHub Actions).
func (e *Extractor) structuredProduct(p notice.ProductRef, vendor string) (Product, bool) {
	if vendor == "" {
		vendor = p.Vendor
	}
	canon, _ := e.cat.CanonicalVendor(vendor)
	for _, name := range []string{vendor + " " + p.Name, p.Name} {
		if cp, ok := e.cat.Lookup(name); ok && (canon == "" || cp.Vendor == canon) {
			return cp, true
		}
	}
	return Product{}, false
}

// mergeWindows keeps structured windows as they are and adds text windows
// that do not overlap any of them (an overlapping text window restates the
// structured one, less exactly).
func mergeWindows(structured, text []notice.Window) []notice.Window {
	out := append([]notice.Window{}, structured...)
	far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tw := range text {
		ts, te := tw.Bounds(far)
		overlaps := false
		for _, sw := range structured {
			ss, se := sw.Bounds(far)
			if ts.Before(se) && ss.Before(te) {
				overlaps = true
				break
			}
		}
		if !overlaps {
			out = append(out, tw)
		}
	}
	return out
}
