package api

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds gapwatch's Prometheus figures in a registry of its own (no
// global registry, so tests and several servers do not collide). The
// crawler, extractor and indexer are instrumented by whoever wires them,
// through the exported collectors.
type Metrics struct {
	reg          *prometheus.Registry
	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec

	// CrawlSources counts crawled sources by outcome.
	CrawlSources *prometheus.CounterVec
	// CrawlNotices counts stored items by change (new, updated, unchanged).
	CrawlNotices *prometheus.CounterVec
	// CrawlDuration observes each source's crawl time.
	CrawlDuration prometheus.Histogram
	// ExtractDuration observes each extraction.
	ExtractDuration prometheus.Histogram
	// IndexDocs is the number of notices in the search index.
	IndexDocs prometheus.Gauge
	// IndexBatchDuration observes each index batch.
	IndexBatchDuration prometheus.Histogram
	// IndexLag is how many store changes the index has not applied yet.
	IndexLag prometheus.Gauge
	// Digests counts digest deliveries by outcome (sent, empty, failed);
	// failed ones are retried with back-off.
	Digests *prometheus.CounterVec

	// searchCache is the searcher whose cache hits are exported.
	searchCache atomic.Pointer[cacheCounter]
}

// NewMetrics registers gapwatch's collectors (and Go runtime and process
// ones) in a fresh registry.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gapwatch_http_requests_total", Help: "HTTP requests by route, method and status code."},
		[]string{"route", "method", "code"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "gapwatch_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1}}, []string{"route"})
	m.CrawlSources = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gapwatch_crawl_sources_total", Help: "Crawled sources by outcome (ok, not modified, failed)."},
		[]string{"outcome"})
	m.CrawlNotices = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gapwatch_crawl_notices_total", Help: "Stored notice items by change (new, updated, unchanged)."},
		[]string{"change"})
	m.CrawlDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "gapwatch_crawl_source_duration_seconds", Help: "Time to crawl one source.",
		Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10)})
	m.ExtractDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "gapwatch_extract_duration_seconds", Help: "Time to extract products, windows and category from one notice.",
		Buckets: prometheus.ExponentialBuckets(0.00005, 2.5, 10)})
	m.IndexDocs = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "gapwatch_index_documents", Help: "Notices in the search index."})
	m.IndexBatchDuration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "gapwatch_index_batch_duration_seconds", Help: "Time to apply one batch of changes to the index.",
		Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 10)})
	m.IndexLag = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "gapwatch_index_lag_changes", Help: "Store changes not yet applied to the index."})
	m.Digests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gapwatch_digests_total", Help: "Digest deliveries by outcome (sent, empty, failed)."}, []string{"outcome"})
	for _, o := range []string{"sent", "empty", "failed"} {
		m.Digests.WithLabelValues(o) // export zeros so alerts on failures work from the start
	}
	cacheHits := prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "gapwatch_search_cache_hits_total",
		Help: "Searches answered from the index's result cache (kept until the index next changes)."},
		func() float64 {
			if c := m.searchCache.Load(); c != nil {
				return float64((*c).CacheHits())
			}
			return 0
		})
	m.reg.MustRegister(m.httpRequests, m.httpDuration, m.CrawlSources, m.CrawlNotices, m.CrawlDuration,
		m.ExtractDuration, m.IndexDocs, m.IndexBatchDuration, m.IndexLag, m.Digests, cacheHits,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// cacheCounter is a searcher that keeps a result cache (index.Index).
type cacheCounter interface{ CacheHits() uint64 }

// watchSearchCache makes gapwatch_search_cache_hits_total follow the
// searcher's cache, when it keeps one: the last server built on these
// metrics is the one counted.
func (m *Metrics) watchSearchCache(s any) {
	if c, ok := s.(cacheCounter); ok {
		m.searchCache.Store(&c)
	}
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// methodLabel is the method label of a request: one of the standard
// methods (RFC 9110 §9, and PATCH), or "other", since a client may send any
// token as a method and each distinct label value is a new series.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return m
	}
	return "other"
}

// middleware records every request by route template (not raw path, so
// ids do not explode the label space).
func (m *Metrics) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.httpRequests.WithLabelValues(route, methodLabel(c.Request.Method), strconv.Itoa(c.Writer.Status())).Inc()
		m.httpDuration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	}
}
