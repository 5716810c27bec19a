package index

import (
	"reflect"
	"slices"
	"testing"

	"github.com/gapwatch/gapwatch/notice"
)

// TestResultCache: a question asked again is answered from the cache,
// exactly as a new search would answer it, until the index is written.
func TestResultCache(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	q := notice.Query{Text: "entra", Facets: true}
	first := mustSearch(t, ix, q)
	hits := ix.cacheHits.Load()
	again := mustSearch(t, ix, q)
	if ix.cacheHits.Load() != hits+1 || !reflect.DeepEqual(again, first) {
		t.Fatalf("asked again: %d cache hits (want %d), %+v, want %+v", ix.cacheHits.Load(), hits+1, again, first)
	}
	// callers may change what they get
	again.Hits[0].ID = 999
	again.Facets[FacetVendor][0].Count = -1
	if third := mustSearch(t, ix, q); !reflect.DeepEqual(third, first) {
		t.Fatalf("a caller's change reached the cache: %+v", third)
	}
	// other pages, sorts, facets and bounds are other questions
	for _, other := range []notice.Query{{Text: "entra", Facets: true, Sort: notice.SortPublished}, {Text: "entra"},
		{Text: "entra", Facets: true, Size: 1, Page: 2}, {Text: "entra", Facets: true, From: at("2024-03-03T11:00:00Z")}} {
		hits := ix.cacheHits.Load()
		mustSearch(t, ix, other)
		if ix.cacheHits.Load() != hits {
			t.Fatalf("%+v was answered from the cache of another question", other)
		}
	}
	// a write invalidates: the new notice is found, the deleted one not
	n := fixtureNotices()[0]
	n.ID = 77
	n.Item.Title = "Entra ID sign-in logs delayed"
	if err := ix.Index([]notice.Notice{n}); err != nil {
		t.Fatal(err)
	}
	if got := ids(mustSearch(t, ix, q)); !slices.Contains(got, 77) {
		t.Fatalf("after indexing notice 77: %v", got)
	}
	if err := ix.Delete(77); err != nil {
		t.Fatal(err)
	}
	if got := ids(mustSearch(t, ix, q)); slices.Contains(got, 77) || !reflect.DeepEqual(got, ids(first)) {
		t.Fatalf("after deleting notice 77: %v, want %v", got, ids(first))
	}
	ix.SetResultCache(0)
	hits = ix.cacheHits.Load()
	mustSearch(t, ix, q)
	mustSearch(t, ix, q)
	if ix.cacheHits.Load() != hits {
		t.Fatal("answers came from a cache turned off")
	}
}
