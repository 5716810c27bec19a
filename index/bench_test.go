package index

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/gapwatch/gapwatch/notice"
)

// Benchmarks run only with -bench; the corpus size is GAPWATCH_BENCH_N
// (default 10000). Each reports the gapwatch figure beside its baseline
// measured in the same run, and their ratio.

// buildIndex rebuilds a gapwatch index of the corpus in dir.
func buildIndex(b *testing.B, dir string, ns []notice.Notice) *Index {
	b.Helper()
	ix, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	if err := ix.Rebuild(context.Background(), eachOf(ns), nil); err != nil {
		b.Fatal(err)
	}
	ix.SetResultCache(0) // searches computed every time (BenchmarkSearchRepeated measures the cache)
	return ix
}

// buildBare indexes the same documents with Bleve's default (dynamic)
// mapping in batches of the same size: the baseline.
func buildBare(b *testing.B, dir string, ns []notice.Notice) bleve.Index {
	b.Helper()
	bi, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		b.Fatal(err)
	}
	for lo := 0; lo < len(ns); lo += RebuildBatchSize {
		batch := bi.NewBatch()
		for _, n := range ns[lo:min(lo+RebuildBatchSize, len(ns))] {
			if err := batch.Index(docID(n.ID), newBareDocument(n)); err != nil {
				b.Fatal(err)
			}
		}
		if err := bi.Batch(batch); err != nil {
			b.Fatal(err)
		}
	}
	return bi
}

func BenchmarkIndexing(b *testing.B) {
	c := newCorpus(b, benchSize(b))
	var ours, bare time.Duration
	for i := 0; b.Loop(); i++ {
		dir := b.TempDir()
		t0 := time.Now()
		ix := buildIndex(b, filepath.Join(dir, "gapwatch"), c.notices)
		t1 := time.Now()
		bi := buildBare(b, filepath.Join(dir, "bare"), c.notices)
		t2 := time.Now()
		ours, bare = ours+t1.Sub(t0), bare+t2.Sub(t1)
		_ = ix.Close()
		_ = bi.Close()
	}
	n := float64(len(c.notices) * b.N)
	b.ReportMetric(n/ours.Seconds(), "notices/s")
	b.ReportMetric(n/bare.Seconds(), "bare-notices/s")
	b.ReportMetric(bare.Seconds()/ours.Seconds(), "ratio-vs-bare")
}

// benchQuery is one search of the mix, with its baseline form.
type benchQuery struct {
	q    notice.Query
	bare *bleve.SearchRequest
}

// searchMix is the synthetic search mix (see synth.SearchQueries), each
// with its plain-Bleve form over the same documents.
func searchMix(c *corpus, count int) []benchQuery {
	qs := c.gen.SearchQueries(count, 7)
	out := make([]benchQuery, len(qs))
	for i, q := range qs {
		bareQs := []query.Query{query.NewQueryStringQuery(q.Text)}
		for _, p := range q.Products {
			pq := query.NewMatchPhraseQuery(p)
			pq.SetField(fieldProducts)
			bareQs = append(bareQs, pq)
		}
		if !q.From.IsZero() {
			bareQs = append(bareQs, bareOverlap(q.From, q.To)...)
		}
		req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery(bareQs), DefaultSize, 0, false)
		if q.Facets {
			for _, f := range []string{fieldVendor, fieldProducts, fieldCategory, fieldYear} {
				req.AddFacet(f, bleve.NewFacetRequest(f, FacetSize))
			}
		}
		out[i] = benchQuery{q: q, bare: req}
	}
	return out
}

// bareDocument is a notice for Bleve's default (dynamic) mapping: text
// fields analysed with the standard analyzer and stored, the hull of the
// windows as datetimes (open ones ongoing), everything also in _all.
type bareDocument struct {
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	Vendor    string    `json:"vendor"`
	Products  []string  `json:"products"`
	Category  string    `json:"category"`
	Year      string    `json:"year"`
	Published time.Time `json:"published"`
	SpanStart time.Time `json:"span_start,omitzero"`
	SpanEnd   time.Time `json:"span_end,omitzero"`
}

func newBareDocument(n notice.Notice) bareDocument {
	d := bareDocument{Title: n.Item.Title, Text: n.Item.Text, Vendor: vendorOf(n), Products: productNames(n),
		Category: string(n.Extraction.Category), Year: strconv.Itoa(n.Item.Published.Year()), Published: n.Item.Published}
	for _, w := range n.Extraction.Windows {
		lo, hi := w.Bounds(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
		if d.SpanStart.IsZero() || lo.Before(d.SpanStart) {
			d.SpanStart = lo
		}
		if hi.After(d.SpanEnd) {
			d.SpanEnd = hi
		}
	}
	return d
}

// bareOverlap is the plain Bleve range query for "a window overlaps
// [from, to]" on the indexed spans.
func bareOverlap(from, to time.Time) []query.Query {
	inclusive := true
	s := query.NewDateRangeInclusiveQuery(time.Time{}, to, nil, &inclusive)
	s.SetField("span_start")
	e := query.NewDateRangeInclusiveQuery(from, time.Time{}, &inclusive, nil)
	e.SetField("span_end")
	return []query.Query{s, e}
}

// latencies collects durations from concurrent workers.
type latencies struct {
	mu         sync.Mutex
	ours, base []time.Duration
}

func (l *latencies) add(ours, base []time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ours, l.base = append(l.ours, ours...), append(l.base, base...)
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(int(p*float64(len(s))), len(s)-1)]
}

// runPaired runs b.N operations over `workers` goroutines; each operation
// times op's gapwatch form then its baseline form, and the benchmark
// reports both p50/p99 (in unit) and the p99 ratio baseline/gapwatch.
func runPaired(b *testing.B, workers int, unit time.Duration, unitName string, op func(i int) (ours, base time.Duration)) {
	var next atomic.Int64
	var lat latencies
	var wg sync.WaitGroup
	b.ResetTimer()
	for range workers {
		wg.Go(func() {
			var ours, base []time.Duration
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					break
				}
				o, bs := op(i)
				ours, base = append(ours, o), append(base, bs)
			}
			lat.add(ours, base)
		})
	}
	wg.Wait()
	b.StopTimer()
	u := float64(unit)
	b.ReportMetric(float64(percentile(lat.ours, 0.50))/u, "p50-"+unitName)
	b.ReportMetric(float64(percentile(lat.ours, 0.99))/u, "p99-"+unitName)
	b.ReportMetric(float64(percentile(lat.base, 0.50))/u, "base-p50-"+unitName)
	b.ReportMetric(float64(percentile(lat.base, 0.99))/u, "base-p99-"+unitName)
	b.ReportMetric(float64(percentile(lat.base, 0.99))/float64(percentile(lat.ours, 0.99)), "p99-speedup")
}

func BenchmarkSearch(b *testing.B) {
	c := newCorpus(b, benchSize(b))
	dir := b.TempDir()
	ix := buildIndex(b, filepath.Join(dir, "gapwatch"), c.notices)
	defer ix.Close()
	bi := buildBare(b, filepath.Join(dir, "bare"), c.notices)
	defer bi.Close()
	mix := searchMix(c, 1000)
	ctx := context.Background()
	for _, workers := range []int{1, 8} {
		b.Run("c="+string(rune('0'+workers)), func(b *testing.B) {
			runPaired(b, workers, time.Millisecond, "ms", func(i int) (time.Duration, time.Duration) {
				bq := mix[i%len(mix)]
				t0 := time.Now()
				if _, err := ix.Search(ctx, bq.q); err != nil {
					b.Error(err)
				}
				t1 := time.Now()
				if _, err := bi.SearchInContext(ctx, bq.bare); err != nil {
					b.Error(err)
				}
				return t1.Sub(t0), time.Since(t1)
			})
		})
	}
}

// BenchmarkSearchRepeated: the newest-first first page with facets (what
// every visitor of the UI opens) asked again, answered from the result
// cache, against computing it after a write invalidated the cache.
func BenchmarkSearchRepeated(b *testing.B) {
	c := newCorpus(b, benchSize(b))
	ix := buildIndex(b, filepath.Join(b.TempDir(), "gapwatch"), c.notices)
	defer ix.Close()
	ix.SetResultCache(DefaultResultCache)
	ctx := context.Background()
	q := notice.Query{Facets: true}
	if _, err := ix.Search(ctx, q); err != nil {
		b.Fatal(err)
	}
	runPaired(b, 1, time.Microsecond, "µs", func(int) (time.Duration, time.Duration) {
		t0 := time.Now()
		if _, err := ix.Search(ctx, q); err != nil {
			b.Error(err)
		}
		t1 := time.Now()
		ix.changed()
		if _, err := ix.Search(ctx, q); err != nil {
			b.Error(err)
		}
		return t1.Sub(t0), time.Since(t1)
	})
}

// BenchmarkWindowLookup compares Windows.Lookup with the same question
// asked of the Bleve index (notices of the product with a window
// overlapping the range, sorted by window start).
func BenchmarkWindowLookup(b *testing.B) {
	c := newCorpus(b, benchSize(b))
	ix := buildIndex(b, filepath.Join(b.TempDir(), "gapwatch"), c.notices)
	defer ix.Close()
	w := NewWindows()
	if err := w.Rebuild(eachOf(c.notices)); err != nil {
		b.Fatal(err)
	}
	qs := c.gen.WindowQuestions(1000, 9)
	ctx := context.Background()
	b.Run("c=1", func(b *testing.B) {
		var hits atomic.Int64
		runPaired(b, 1, time.Microsecond, "µs", func(i int) (time.Duration, time.Duration) {
			q := qs[i%len(qs)]
			t0 := time.Now()
			hits.Add(int64(len(w.Lookup(q.Product, q.From, q.To))))
			t1 := time.Now()
			if _, err := ix.Search(ctx, notice.Query{Products: []string{q.Product}, From: q.From, To: q.To, Sort: notice.SortWindowStart, Size: MaxSize}); err != nil {
				b.Error(err)
			}
			return t1.Sub(t0), time.Since(t1)
		})
		b.ReportMetric(float64(hits.Load())/float64(b.N), "hits/op")
	})
}
