package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gapwatch/gapwatch/index"
	"github.com/gapwatch/gapwatch/notice"
)

// pairs holds latencies of gapwatch operations and of their baselines,
// and which operation each was.
type pairs struct {
	ours, base []time.Duration
	op         []int
}

// percentile returns the p-quantile (0–1) of ds, nearest rank.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(int(p*float64(len(s))), len(s)-1)]
}

// runPaired runs op(i) for i in [0, count) over workers goroutines; each
// call times the gapwatch form and then the baseline form of operation i.
func runPaired(ctx context.Context, workers, count int, op func(i int) (ours, base time.Duration, err error)) (pairs, error) {
	var next atomic.Int64
	var mu sync.Mutex
	var all pairs
	var firstErr error
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var mine pairs
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= count {
					break
				}
				o, b, err := op(i)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				mine.ours, mine.base, mine.op = append(mine.ours, o), append(mine.base, b), append(mine.op, i)
			}
			mu.Lock()
			all.ours, all.base, all.op = append(all.ours, mine.ours...), append(all.base, mine.base...), append(all.op, mine.op...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return all, firstErr
}

// measureSearch times Index.Search over the query mix against the same
// questions asked of the bare index, at concurrency 1 and 8, after a
// warm-up pass over the mix.
func measureSearch(ctx context.Context, cfg config, c *corpus, rep *report) error {
	mix := c.gen.SearchQueries(1000, cfg.seed)
	op := func(i int) (time.Duration, time.Duration, error) {
		q := mix[i%len(mix)]
		t0 := time.Now()
		if _, err := c.index.Search(ctx, q); err != nil {
			return 0, 0, fmt.Errorf("search %+v: %w", q, err)
		}
		t1 := time.Now()
		if _, err := c.bare.SearchInContext(ctx, bareSearch(q)); err != nil {
			return 0, 0, fmt.Errorf("bare search %+v: %w", q, err)
		}
		return t1.Sub(t0), time.Since(t1), nil
	}
	cfg.logf("search: warm-up over the %d-query mix", len(mix))
	if _, err := runPaired(ctx, 2, len(mix), op); err != nil {
		return err
	}
	for _, workers := range []int{1, 8} {
		cfg.logf("search: %d queries at concurrency %d", cfg.queries, workers)
		ps, err := runPaired(ctx, workers, cfg.queries, op)
		if err != nil {
			return err
		}
		rep.latencyRows(fmt.Sprintf("search c=%d", workers), ps, "bare Bleve index, default mapping",
			[]latencyTarget{{0.50, 5 * time.Millisecond, 0}, {0.99, 50 * time.Millisecond, 0}})
		rep.note(fmt.Sprintf("search c=%d by kind, gapwatch p50/p99: %s", workers, searchBreakdown(mix, ps)))
	}
	rep.note("search: the index's result cache is off (index.SetResultCache(0)): every question is computed, as when first asked")
	return nil
}

// searchBreakdown splits the gapwatch search latencies by kind of query.
func searchBreakdown(mix []notice.Query, ps pairs) string {
	kinds := []struct {
		name string
		is   func(notice.Query) bool
	}{
		{"with facets", func(q notice.Query) bool { return q.Facets }},
		{"without facets", func(q notice.Query) bool { return !q.Facets }},
		{"with a product filter", func(q notice.Query) bool { return len(q.Products) > 0 }},
		{"with a date range", func(q notice.Query) bool { return !q.From.IsZero() }},
		{"one term", func(q notice.Query) bool { return !strings.Contains(q.Text, " ") }},
		{"three terms", func(q notice.Query) bool { return strings.Count(q.Text, " ") == 2 }},
	}
	var parts []string
	for _, k := range kinds {
		var ds []time.Duration
		for j, i := range ps.op {
			if k.is(mix[i%len(mix)]) {
				ds = append(ds, ps.ours[j])
			}
		}
		parts = append(parts, fmt.Sprintf("%s %s/%s (%d)", k.name, fmtDur(percentile(ds, 0.5)), fmtDur(percentile(ds, 0.99)), len(ds)))
	}
	return strings.Join(parts, "; ")
}

// measureWindows times Windows.Find against the gapwatch Bleve index
// answering the same question (notices of the product with a window
// overlapping the range, by window start, one page of the largest size).
// Both take open windows as lasting for ever (the lookup's open=all scope,
// the index's filter); the API's default scope is noted beside.
func measureWindows(ctx context.Context, cfg config, c *corpus, rep *report) error {
	qs := c.gen.WindowQuestions(1000, cfg.seed)
	var hits, open, recent atomic.Int64
	op := func(i int) (time.Duration, time.Duration, error) {
		q := qs[i%len(qs)]
		t0 := time.Now()
		found := c.windows.Find(notice.WindowQuery{Product: q.Product, From: q.From, To: q.To, Open: notice.OpenAll})
		t1 := time.Now()
		recent.Add(int64(len(c.windows.Lookup(q.Product, q.From, q.To))))
		hits.Add(int64(len(found)))
		for _, h := range found {
			if h.End == nil {
				open.Add(1)
			}
		}
		_, err := c.index.Search(ctx, notice.Query{Products: []string{q.Product}, From: q.From, To: q.To,
			Sort: notice.SortWindowStart, Size: index.MaxSize})
		return t1.Sub(t0), time.Since(t1), err
	}
	cfg.logf("windows: warm-up, then %d lookups", cfg.lookups)
	if _, err := runPaired(ctx, 1, len(qs), op); err != nil {
		return err
	}
	hits.Store(0)
	open.Store(0)
	recent.Store(0)
	ps, err := runPaired(ctx, 1, cfg.lookups, op)
	if err != nil {
		return err
	}
	rep.latencyRows("window lookup c=1", ps, "Bleve query, gapwatch index",
		[]latencyTarget{{0.50, 0, 0}, {0.99, time.Millisecond, 20}})
	n := float64(cfg.lookups)
	rep.note(fmt.Sprintf("window lookups (open=all) returned %.1f windows on average, %.1f of them open (ongoing since they started); in the API's default scope (open windows last a week after their notice) %.1f; the window lookup holds %d windows",
		float64(hits.Load())/n, float64(open.Load())/n, float64(recent.Load())/n, c.figures.WindowCount))
	return nil
}
