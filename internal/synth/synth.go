package synth

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/notice"
)

// Version identifies the generated ground-truth extractions, so they are
// never mistaken for the real extractor's output.
const Version = "synth/1"

// Corpus identifies what one seed generates: bump it whenever the same
// seed would write other notices, so that a corpus built before is not
// taken for the current one (gapbench -reuse).
const Corpus = "synth-2"

// Generator makes the corpus of one seed. It is safe for concurrent use:
// it holds only read-only tables.
type Generator struct {
	seed uint64
	cat  *extract.Catalog
	// popular lists the catalog's products in decreasing popularity.
	popular []extract.Product
	start   time.Time
	span    time.Duration
	sources []notice.Source
	// statusSource maps a vendor to its status-page source name.
	statusSource map[string]string
	en, fr       *phrases
}

// The news sources carry stories about any vendor; status sources are one
// per vendor.
const (
	newsSourceEN = "security-news"
	newsSourceFR = "actu-secu"
)

// New returns the generator of seed over the catalog's products.
func New(cat *extract.Catalog, seed uint64) *Generator {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	products := cat.Products()
	r.Shuffle(len(products), func(i, j int) { products[i], products[j] = products[j], products[i] })
	g := &Generator{
		seed: seed, cat: cat, popular: products,
		start: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), span: 6 * 365 * 24 * time.Hour,
		statusSource: map[string]string{}, en: english(), fr: french(),
	}
	for _, v := range cat.Vendors() {
		name := slug(v) + "-status"
		g.statusSource[v] = name
		g.sources = append(g.sources, notice.Source{Name: name, Kind: notice.KindStatuspage,
			URL: "https://status." + slug(v) + ".example.test", Vendor: v,
			Interval: 5 * time.Minute, Enabled: true})
	}
	g.sources = append(g.sources,
		notice.Source{Name: newsSourceEN, Kind: notice.KindFeed, URL: "https://news.example.test/feed.xml",
			Language: "en", Interval: 15 * time.Minute, Enabled: true},
		notice.Source{Name: newsSourceFR, Kind: notice.KindFeed, URL: "https://actu.example.test/rss",
			Language: "fr", Interval: 15 * time.Minute, Enabled: true})
	return g
}

// slug lower-cases a vendor name into a source-name fragment.
func slug(s string) string {
	return strings.Trim(strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, s), "-")
}

// Popular returns the catalog's products in decreasing popularity: the
// product at index k is picked with probability proportional to
// exp(-6k/len).
func (g *Generator) Popular() []extract.Product { return g.popular }

// Start returns the earliest publication time of the corpus.
func (g *Generator) Start() time.Time { return g.start }

// Span returns how long after Start notices are published.
func (g *Generator) Span() time.Duration { return g.span }

// Sources returns the sources notices come from: a status page per
// vendor and an English and a French news feed.
func (g *Generator) Sources() []notice.Source { return g.sources }

// pick draws a product by popularity.
func (g *Generator) pick(r *rand.Rand) extract.Product {
	return g.popular[min(int(r.ExpFloat64()*float64(len(g.popular))/6), len(g.popular)-1)]
}

// Notice returns notice i (0-based; its ID is i+1) with its ground truth:
// the item as crawled (without raw bytes) and the extraction the text was
// written from. The text states every window, product and the category,
// so the real extractor reads much the same out of Item(i).
func (g *Generator) Notice(i int) notice.Notice {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	p := g.pick(r)
	fr := r.IntN(10) < 3
	lang := "en"
	if fr {
		lang = "fr"
	}
	published := g.start.Add(time.Duration(r.Int64N(int64(g.span)))).Truncate(time.Minute)
	cat := notice.Categories[r.IntN(len(notice.Categories))]
	products := []notice.ProductRef{{Name: p.Name, Vendor: p.Vendor}}
	if r.IntN(4) == 0 {
		if q := g.pick(r); q.Vendor == p.Vendor && q.Name != p.Name {
			products = append(products, notice.ProductRef{Name: q.Name, Vendor: q.Vendor})
		}
	}
	windows := randomWindows(r, published)
	source, vendor := g.statusSource[p.Vendor], p.Vendor
	if r.IntN(5) == 0 { // a news story: any vendor, no declared vendor
		source, vendor = newsSourceEN, ""
		if fr {
			source = newsSourceFR
		}
	}
	w := writer{r: r, ph: g.en, products: products, vendor: p.Vendor}
	if fr {
		w.ph = g.fr
	}
	title, text := w.notice(cat, windows)
	id := strconv.Itoa(i)
	return notice.Notice{
		ID: notice.ID(i + 1), Version: 1,
		Item: notice.Item{
			Source: source, ItemID: id, Title: title, Text: text,
			URL:       "https://" + source + ".example.test/incidents/" + id,
			Published: published, Updated: published.Add(time.Duration(r.IntN(120)) * time.Minute),
			Vendor: vendor, Status: "resolved",
		},
		Extraction: notice.Extraction{Vendor: p.Vendor, Language: lang, Products: products,
			Windows: windows, Category: cat, Version: Version},
		FirstSeen: published, LastSeen: published,
	}
}

// Item returns notice i as a crawler hands it to the extractor: the
// parsed item with its raw bytes (a Statuspage-like JSON payload).
func (g *Generator) Item(i int) notice.Item {
	it := g.Notice(i).Item
	it.Raw = RawPayload(it)
	return it
}

// RawPayload renders an item as the JSON a status page API would serve,
// the raw bytes a crawler keeps with it.
func RawPayload(it notice.Item) []byte {
	b, err := json.Marshal(struct {
		ID        string    `json:"id"`
		Name      string    `json:"name"`
		Status    string    `json:"status"`
		Shortlink string    `json:"shortlink"`
		CreatedAt time.Time `json:"created_at"`
		UpdatedAt time.Time `json:"updated_at"`
		Body      string    `json:"body"`
	}{it.ItemID, it.Title, it.Status, it.URL, it.Published, it.Updated, it.Text})
	if err != nil { // strings and times only: Marshal cannot fail
		return nil
	}
	return b
}

// randomWindows returns 0–3 windows in the three days before publication:
// mostly closed minute-precision windows, one in ten a whole day, one in
// twenty ongoing.
func randomWindows(r *rand.Rand, published time.Time) []notice.Window {
	k := []int{0, 1, 1, 1, 1, 1, 2, 2, 3}[r.IntN(9)]
	ws := make([]notice.Window, 0, k)
	for range k {
		start := published.Add(-time.Duration(r.IntN(3*24*60)) * time.Minute)
		w := notice.Window{Start: start, Precision: notice.PrecisionMinute, Origin: notice.OriginText}
		switch x := r.IntN(20); {
		case x < 2: // whole days: the second to the fourth day before
			day := published.Truncate(24*time.Hour).AddDate(0, 0, -2-r.IntN(3))
			w.Precision, w.Start, w.End = notice.PrecisionDay, day, notice.TimePtr(day.AddDate(0, 0, 1+r.IntN(2)))
		case x < 3: // ongoing
		default:
			w.End = notice.TimePtr(start.Add(time.Duration(10+r.IntN(48*60)) * time.Minute))
		}
		ws = append(ws, w)
	}
	return ws
}
