package api

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// hits is a searcher's cache as the metrics see it.
type hits uint64

func (h hits) CacheHits() uint64 { return uint64(h) }

// TestSearchCacheMetric: the counter follows the searcher of the last
// server built on the metrics, and reads 0 without one.
func TestSearchCacheMetric(t *testing.T) {
	m := NewMetrics()
	scrape := func() string {
		t.Helper()
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		b, _ := io.ReadAll(rec.Body)
		return string(b)
	}
	for _, c := range []struct {
		searcher any
		want     string
	}{
		{nil, "gapwatch_search_cache_hits_total 0\n"},
		{hits(5), "gapwatch_search_cache_hits_total 5\n"},
		{hits(7), "gapwatch_search_cache_hits_total 7\n"},
		{struct{}{}, "gapwatch_search_cache_hits_total 7\n"}, // a searcher without a cache changes nothing
	} {
		m.watchSearchCache(c.searcher)
		if got := scrape(); !strings.Contains(got, c.want) {
			t.Fatalf("after watching %v: metrics lack %q", c.searcher, c.want)
		}
	}
}
