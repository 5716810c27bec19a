package index

import (
	"context"
	"reflect"
	"testing"

	"github.com/gapwatch/gapwatch/notice"
)

// TestFacetDictPersists: facet codes survive a restart, and values first
// seen after it get codes of their own, stored with their batch.
func TestFacetDictPersists(t *testing.T) {
	ix, dir := openFixtureIndex(t)
	facets := func(ix *Index) map[string][]notice.FacetCount {
		t.Helper()
		r, err := ix.Search(context.Background(), notice.Query{Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		return r.Facets
	}
	before := facets(ix)
	reopen := func() {
		t.Helper()
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		var err error
		if ix, err = Open(dir); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = ix.Close() })
		if ix.NeedsRebuild() {
			t.Fatal("the index was dropped on reopening")
		}
	}
	reopen()
	if after := facets(ix); !reflect.DeepEqual(after, before) {
		t.Fatalf("facets after a restart:\n%v\nwant\n%v", after, before)
	}
	n := fixtureNotices()[0]
	n.ID = 50
	n.Extraction.Vendor = "Example Vendor"
	n.Extraction.Products = []notice.ProductRef{{Name: "Example Product", Vendor: "Example Vendor"}}
	if err := ix.Index([]notice.Notice{n}); err != nil {
		t.Fatal(err)
	}
	reopen()
	got := facets(ix)
	for name, value := range map[string]string{FacetVendor: "Example Vendor", FacetProduct: "Example Product"} {
		found := false
		for _, fc := range got[name] {
			if fc.Value == value && fc.Count == 1 {
				found = true
			}
		}
		if !found {
			t.Errorf("facet %s lacks %q after a restart: %v", name, value, got[name])
		}
	}
	if len(got[FacetProduct]) != len(before[FacetProduct])+1 || got[FacetProduct][0] != before[FacetProduct][0] {
		t.Errorf("products %v, want %v and the new one", got[FacetProduct], before[FacetProduct])
	}
	if len(ix.facets.codes) != len(ix.facets.values) {
		t.Fatalf("%d values for %d codes: a code was given twice", len(ix.facets.codes), len(ix.facets.values))
	}
	for code, v := range ix.facets.values {
		if ix.facets.codes[v] != code || len(code) > 4 {
			t.Errorf("code %q of %q: back to %q, or not short", code, v, ix.facets.codes[v])
		}
	}
}
