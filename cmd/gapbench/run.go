package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/index"
)

// run builds or reuses the corpus and runs the selected measurements. The
// report holds whatever was measured, even when err is not nil.
func run(ctx context.Context, cfg config) (*report, error) {
	rep := &report{}
	rep.headerf("gapbench -n %d -seed %d -only %s: %d notices", cfg.n, cfg.seed, strings.Join(cfg.only, ","), cfg.n)
	rep.headerf("machine: %s", machine())
	dir := cfg.dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "gapbench-")
		if err != nil {
			return rep, err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	c, err := openCorpus(ctx, cfg, dir, cfg.wants("indexing") || cfg.wants("search"))
	if c != nil {
		defer c.close()
	}
	if err != nil {
		return rep, err
	}
	c.uncached()
	rep.indexingRows(c.figures, c.reused)
	for _, m := range []struct {
		phase string
		fn    func(context.Context, config, *corpus, *report) error
	}{
		{"search", measureSearch}, {"windows", measureWindows}, {"http", measureHTTP},
	} {
		if !cfg.wants(m.phase) {
			continue
		}
		err := profiled(cfg, m.phase, func() error { return m.fn(ctx, cfg, c, rep) })
		if err != nil {
			return rep, fmt.Errorf("%s: %w", m.phase, err)
		}
	}
	return rep, nil
}

// profiled runs fn under the CPU profiler when cfg.cpuProfile is set,
// writing PREFIX-phase.pprof.
func profiled(cfg config, phase string, fn func() error) error {
	if cfg.cpuProfile == "" {
		return fn()
	}
	out, err := os.Create(cfg.cpuProfile + "-" + phase + ".pprof")
	if err != nil {
		return err
	}
	defer out.Close()
	if err := pprof.StartCPUProfile(out); err != nil {
		return err
	}
	defer pprof.StopCPUProfile()
	return fn()
}

// indexingRows adds the indexing throughput, its baseline and the
// breakdown of the pipeline's stages.
func (r *report) indexingRows(f buildFigures, reused bool) {
	n := float64(f.N)
	rate := func(d time.Duration) float64 { return n / d.Seconds() }
	when := ""
	if reused {
		when = " [measured " + f.When.Format("2006-01-02 15:04") + " when the corpus was built"
		if f.Mapping != index.MappingVersion {
			when += ", with index mapping " + cmp.Or(f.Mapping, "older than gapwatch-index-5")
		}
		when += "]"
	}
	ours := rate(f.Pipeline)
	x := row{measure: "indexing: extract → store → index, end to end" + when, ours: fmtRate(ours, "notices"),
		target: "≥ 4,000 notices/s, ≥ 0.6× bare"}
	if f.Bare > 0 {
		bare := rate(f.Bare)
		x.base, x.ratio = fmtRate(bare, "notices")+" (bare bleve.Batch, default mapping)", fmt.Sprintf("%.2f× bare", ours/bare)
		x.met = yesNo(ours >= 4000 && ours >= 0.6*bare)
	} else {
		x.base, x.target, x.met = "not built", "≥ 4,000 notices/s", yesNo(ours >= 4000)
	}
	r.add(x)
	for _, s := range []struct {
		name string
		busy time.Duration
	}{
		{fmt.Sprintf("generate items (stand-in for fetch and parse; %d workers)", f.Workers), f.Generate},
		{fmt.Sprintf("hash + extract.ExtractItem (%d workers)", f.Workers), f.Extract},
		{fmt.Sprintf("store.SaveCrawls, %d items a transaction (1 goroutine)", f.Batch), f.Store},
		{"index.Follower.Sync: read changes, Index batch, window lookup (1 goroutine)", f.Index},
	} {
		r.add(row{measure: "  stage: " + s.name, ours: fmtRate(rate(s.busy), "notices") + " busy",
			ratio: fmt.Sprintf("%.0f%% of wall", 100*s.busy.Seconds()/f.Pipeline.Seconds())})
	}
	if f.TruthWindows > 0 {
		r.note(fmt.Sprintf("the extractor read back %.1f%% of the %d windows the generator wrote into the text",
			100*float64(f.Recovered)/float64(f.TruthWindows), f.TruthWindows))
	}
	r.note(fmt.Sprintf("on disk: store %s, gapwatch index %s (mapping %s), bare index %s", fmtBytes(f.StoreBytes), fmtBytes(f.IndexBytes),
		cmp.Or(f.IndexMapping, f.Mapping, "older than gapwatch-index-5"), fmtBytes(f.BareBytes)))
	r.note(fmt.Sprintf("start-up (index.Follower.Start on the built corpus): window lookup rebuilt from the store in %v, %d windows",
		f.WindowsRebuild.Round(time.Millisecond), f.WindowCount))
	r.note("stage rates are notices divided by the stage's busy time summed over its goroutines; stages run concurrently, so their shares of the wall time add up to more than 100% when they overlap")
}
