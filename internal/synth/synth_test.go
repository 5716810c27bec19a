package synth

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/notice"
)

func testCatalog(t *testing.T) *extract.Catalog {
	t.Helper()
	cat, err := extract.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestDeterministic(t *testing.T) {
	cat := testCatalog(t)
	a, b, other := New(cat, 1), New(cat, 1), New(cat, 2)
	for _, i := range []int{0, 1, 999, 123456} {
		if !reflect.DeepEqual(a.Notice(i), b.Notice(i)) {
			t.Errorf("notice %d differs between two generators of one seed", i)
		}
		if reflect.DeepEqual(a.Notice(i).Item.Text, other.Notice(i).Item.Text) {
			t.Errorf("notice %d is the same under seeds 1 and 2", i)
		}
	}
	if !reflect.DeepEqual(a.SearchQueries(50, 3), b.SearchQueries(50, 3)) {
		t.Error("search mix differs between two runs of one seed")
	}
	if !reflect.DeepEqual(a.WindowQuestions(50, 3), b.WindowQuestions(50, 3)) {
		t.Error("window questions differ between two runs of one seed")
	}
}

func TestNoticeShape(t *testing.T) {
	cat := testCatalog(t)
	g := New(cat, 7)
	sources := map[string]bool{}
	for _, s := range g.Sources() {
		if !s.Kind.Valid() || s.Name == "" || s.URL == "" || s.Interval <= 0 {
			t.Errorf("source %+v is not well formed", s)
		}
		sources[s.Name] = true
	}
	const n = 2000
	french, windows, open := 0, 0, 0
	for i := range n {
		nt := g.Notice(i)
		if nt.ID != notice.ID(i+1) || nt.Item.ItemID == "" || !sources[nt.Item.Source] {
			t.Fatalf("notice %d: id %d, item %q, source %q", i, nt.ID, nt.Item.ItemID, nt.Item.Source)
		}
		if l := len(nt.Item.Text); l < 1000 || l > 2600 || !utf8.ValidString(nt.Item.Text) {
			t.Errorf("notice %d: text of %d bytes, want 1–2 KB of UTF-8", i, l)
		}
		for _, p := range nt.Extraction.Products {
			if got, ok := cat.Lookup(p.Name); !ok || got.Vendor != nt.Extraction.Vendor {
				t.Errorf("notice %d: product %q of vendor %q is not the catalog's", i, p.Name, nt.Extraction.Vendor)
			}
		}
		for _, w := range nt.Extraction.Windows {
			if err := w.Validate(); err != nil || w.Start.After(nt.Item.Published) {
				t.Errorf("notice %d: window %v (published %v): %v", i, w, nt.Item.Published, err)
			}
			if w.Open() {
				open++
			}
		}
		windows += len(nt.Extraction.Windows)
		if nt.Extraction.Language == "fr" {
			french++
		}
		if p := nt.Item.Published; p.Before(g.Start()) || p.After(g.Start().Add(g.Span())) {
			t.Errorf("notice %d published %v, outside the corpus span", i, p)
		}
	}
	if f := float64(french) / n; f < 0.25 || f > 0.35 {
		t.Errorf("%.2f of notices are French, want about 0.3", f)
	}
	if w := float64(windows) / n; w < 1.1 || w > 1.6 {
		t.Errorf("%.2f windows per notice, want about 1.3", w)
	}
	if open == 0 {
		t.Error("no open window in the corpus")
	}
	if raw := g.Item(5).Raw; len(raw) < 1000 {
		t.Errorf("Item raw payload is %d bytes", len(raw))
	}
}

// TestExtractorReadsTheText checks the corpus is realistic in the way that
// matters: the real extractor reads back most of the ground truth.
func TestExtractorReadsTheText(t *testing.T) {
	cat := testCatalog(t)
	g, ex := New(cat, 11), extract.New(cat)
	const n = 500
	var truth, found, product, lang int
	for i := range n {
		nt := g.Notice(i)
		got := ex.ExtractItem(g.Item(i))
		if slices.ContainsFunc(got.Products, func(p notice.ProductRef) bool { return p.Name == nt.Extraction.Products[0].Name }) {
			product++
		}
		if got.Language == nt.Extraction.Language {
			lang++
		}
		for _, w := range nt.Extraction.Windows {
			truth++
			if slices.ContainsFunc(got.Windows, func(x notice.Window) bool { return sameWindow(x, w) }) {
				found++
			}
		}
	}
	for _, c := range []struct {
		name      string
		got, of   int
		threshold float64
	}{
		{"windows recovered", found, truth, 0.9},
		{"main product found", product, n, 0.95},
		{"language detected", lang, n, 0.95},
	} {
		t.Run(c.name, func(t *testing.T) {
			if r := float64(c.got) / float64(c.of); r < c.threshold {
				t.Errorf("%d of %d (%.2f), want at least %.2f", c.got, c.of, r, c.threshold)
			}
		})
	}
}

func sameWindow(a, b notice.Window) bool {
	return a.Start.Equal(b.Start) && a.Precision == b.Precision &&
		(a.End == nil) == (b.End == nil) && (a.End == nil || a.End.Equal(*b.End))
}

func TestWorkloads(t *testing.T) {
	cat := testCatalog(t)
	g := New(cat, 3)
	t.Run("search mix", func(t *testing.T) {
		qs := g.SearchQueries(900, 1)
		var products, ranges, facets int
		for _, q := range qs {
			if q.Text == "" || q.Size <= 0 {
				t.Fatalf("query %+v has no text or size", q)
			}
			if len(q.Products) > 0 {
				products++
			}
			if !q.From.IsZero() {
				ranges++
				if !q.To.After(q.From) || q.To.Sub(q.From) > 31*24*time.Hour {
					t.Errorf("range %v..%v", q.From, q.To)
				}
			}
			if q.Facets {
				facets++
			}
		}
		for name, k := range map[string]int{"product": products, "range": ranges} {
			if k < 240 || k > 360 {
				t.Errorf("%d of 900 queries with a %s filter, want about a third", k, name)
			}
		}
		if facets < 380 || facets > 520 {
			t.Errorf("%d of 900 queries with facets, want about half", facets)
		}
	})
	t.Run("window questions", func(t *testing.T) {
		aliases := 0
		for _, q := range g.WindowQuestions(600, 1) {
			if p, ok := cat.Lookup(q.Name); !ok || p.Name != q.Product {
				t.Errorf("%q does not resolve to %q", q.Name, q.Product)
			}
			if q.Name != q.Product {
				aliases++
			}
			if q.At != q.To.Equal(q.From) || q.To.Before(q.From) || q.To.Sub(q.From) > 24*time.Hour {
				t.Errorf("question %+v: bad range", q)
			}
		}
		if aliases == 0 {
			t.Error("no question names its product by an alias")
		}
	})
}

// TestCommonWordsShare keeps the boilerplate words of the search mix as
// common as in real notices (see the filler's comment): each in a few to
// forty-odd percent of the notices, none in (nearly) all of them.
func TestCommonWordsShare(t *testing.T) {
	g := New(testCatalog(t), 5)
	const n = 3000
	count := map[string]int{}
	for i := range n {
		nt := g.Notice(i)
		words := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(nt.Item.Title+" "+nt.Item.Text), func(r rune) bool { return !unicode.IsLetter(r) }) {
			words[w] = true
		}
		for _, w := range CommonWords() {
			if words[w] {
				count[w]++
			}
		}
	}
	for _, w := range CommonWords() {
		if share := float64(count[w]) / n; share < 0.03 || share > 0.45 {
			t.Errorf("%q is in %.1f%% of the notices, want 3–45%%", w, 100*share)
		}
	}
}
