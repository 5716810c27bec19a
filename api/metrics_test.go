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

// TestMethodLabelBounded: methods outside the standard set share the
// label "other", so clients cannot mint series by inventing methods.
func TestMethodLabelBounded(t *testing.T) {
	m := NewMetrics()
	h := New(Deps{Metrics: m})
	for i := range 50 {
		req := httptest.NewRequest("GET", "/nowhere", nil)
		req.Method = "M" + strings.Repeat("Z", i+1)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("DELETE", "/nowhere", nil))
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	if strings.Contains(body, `method="MZ`) {
		t.Error("an invented method became a label value")
	}
	for _, want := range []string{
		`gapwatch_http_requests_total{code="404",method="other",route="unmatched"} 50`,
		`gapwatch_http_requests_total{code="404",method="DELETE",route="unmatched"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
