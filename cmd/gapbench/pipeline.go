package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/index"
	"github.com/gapwatch/gapwatch/internal/synth"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

// pipeline pushes the synthetic corpus through gapwatch's real ingestion
// path, as crawls do: workers turn items into stored items (content hash,
// extraction), one goroutine saves them in batches with SaveCrawls (one
// record per source per batch), and a follower syncs the search index and
// the window lookup from the store's change log as it grows.
type pipeline struct {
	cfg      config
	gen      *synth.Generator
	ex       *extract.Extractor
	store    *store.Store
	follower *index.Follower

	// Busy time of each stage, summed over its goroutines, in ns.
	genNS, extractNS, storeNS, indexNS atomic.Int64
	// Ground-truth windows and how many the extractor read back.
	truth, found atomic.Int64
}

// run ingests every notice and returns the wall time until the index holds
// them all.
func (p *pipeline) run(ctx context.Context) (time.Duration, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	start := time.Now()
	chunks := make(chan int)
	go func() {
		defer close(chunks)
		for lo := 0; lo < p.cfg.n; lo += p.cfg.batch {
			select {
			case chunks <- lo:
			case <-ctx.Done():
				return
			}
		}
	}()
	recs := make(chan []notice.CrawlRecord, p.cfg.workers)
	var workers sync.WaitGroup
	for range p.cfg.workers {
		workers.Go(func() {
			for lo := range chunks {
				select {
				case recs <- p.crawl(lo, min(lo+p.cfg.batch, p.cfg.n)):
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() { workers.Wait(); close(recs) }()
	stored := make(chan struct{})
	go func() {
		defer close(stored)
		for r := range recs {
			if ctx.Err() == nil {
				if err := p.save(ctx, r); err != nil {
					cancel(err)
				}
			}
		}
	}()
	if err := p.follow(ctx, stored); err != nil {
		cancel(err)
		<-stored
		return 0, context.Cause(ctx)
	}
	return time.Since(start), nil
}

// crawl makes the records of items [lo, hi): what a crawler's workers
// hand to the store.
func (p *pipeline) crawl(lo, hi int) []notice.CrawlRecord {
	bySource := map[string][]notice.StoredItem{}
	var genNS, exNS time.Duration
	truth, found := 0, 0
	for i := lo; i < hi; i++ {
		t0 := time.Now()
		n := p.gen.Notice(i)
		it := n.Item
		it.Raw = synth.RawPayload(it)
		t1 := time.Now()
		si := notice.StoredItem{Item: it, Hash: it.Hash(), Extraction: p.ex.ExtractItem(it), Extracted: true}
		exNS += time.Since(t1)
		genNS += t1.Sub(t0)
		bySource[it.Source] = append(bySource[it.Source], si)
		truth += len(n.Extraction.Windows)
		for _, w := range n.Extraction.Windows {
			if slices.ContainsFunc(si.Extraction.Windows, func(x notice.Window) bool { return sameWindow(x, w) }) {
				found++
			}
		}
	}
	p.genNS.Add(int64(genNS))
	p.extractNS.Add(int64(exNS))
	p.truth.Add(int64(truth))
	p.found.Add(int64(found))
	at := time.Now().UTC()
	recs := make([]notice.CrawlRecord, 0, len(bySource))
	for src, items := range bySource {
		recs = append(recs, notice.CrawlRecord{Source: src, At: at, Outcome: notice.OutcomeOK, Items: items,
			Status: 200, NextCheck: at.Add(5 * time.Minute)})
	}
	slices.SortFunc(recs, func(a, b notice.CrawlRecord) int { return cmp.Compare(a.Source, b.Source) })
	return recs
}

// sameWindow reports whether an extracted window is the generated one.
func sameWindow(a, b notice.Window) bool {
	return a.Start.Equal(b.Start) && a.Precision == b.Precision &&
		(a.End == nil) == (b.End == nil) && (a.End == nil || a.End.Equal(*b.End))
}

// save stores one batch of crawls in one transaction.
func (p *pipeline) save(ctx context.Context, recs []notice.CrawlRecord) error {
	t0 := time.Now()
	defer func() { p.storeNS.Add(int64(time.Since(t0))) }()
	_, errs, err := p.store.SaveCrawls(ctx, recs)
	if err != nil {
		return err
	}
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("save crawl of %s: %w", recs[i].Source, err)
		}
	}
	return nil
}

// follow syncs the index with the store until the store side is done
// (stored closed) and every change is applied.
func (p *pipeline) follow(ctx context.Context, stored <-chan struct{}) error {
	step := func() (int, error) {
		t0 := time.Now()
		defer func() { p.indexNS.Add(int64(time.Since(t0))) }()
		return p.follower.Sync(ctx)
	}
	for {
		k, err := step()
		if err != nil {
			return fmt.Errorf("index sync: %w", err)
		}
		if k > 0 {
			continue
		}
		select {
		case <-stored:
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			if _, err := step(); err != nil {
				return fmt.Errorf("index sync: %w", err)
			}
			return nil
		case <-time.After(20 * time.Millisecond):
		}
	}
}
