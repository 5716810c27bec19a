package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/index"
	"github.com/gapwatch/gapwatch/internal/synth"
	"github.com/gapwatch/gapwatch/store"
)

// buildFigures are the indexing measurements, saved beside the corpus so
// that a -reuse run can report them.
type buildFigures struct {
	N          int       `json:"n"`
	Seed       uint64    `json:"seed"`
	When       time.Time `json:"when"`
	GOMAXPROCS int       `json:"gomaxprocs"`
	Workers    int       `json:"workers"`
	Batch      int       `json:"batch"`
	// Mapping is the index.MappingVersion the corpus was built with.
	Mapping string `json:"mapping"`
	// Corpus is the synth.Corpus the notices were generated with.
	Corpus string `json:"corpus"`
	// IndexMapping is the mapping of the index IndexBytes measures: a
	// reuse rebuilds an outdated index (Mapping stays the build's).
	IndexMapping string `json:"index_mapping"`
	// Pipeline is the end-to-end wall time; the stage times are busy
	// times summed over each stage's goroutines.
	Pipeline time.Duration `json:"pipeline_ns"`
	Generate time.Duration `json:"generate_ns"`
	Extract  time.Duration `json:"extract_ns"`
	Store    time.Duration `json:"store_ns"`
	Index    time.Duration `json:"index_ns"`
	// Bare is the time spent in bare Bleve batches (document generation
	// excluded); zero when the bare index was not built.
	Bare           time.Duration `json:"bare_ns"`
	TruthWindows   int64         `json:"truth_windows"`
	Recovered      int64         `json:"recovered_windows"`
	StoreBytes     int64         `json:"store_bytes"`
	IndexBytes     int64         `json:"index_bytes"`
	BareBytes      int64         `json:"bare_bytes"`
	WindowsRebuild time.Duration `json:"windows_rebuild_ns"`
	WindowCount    int           `json:"window_count"`
}

// figuresFile is where buildFigures are kept in the corpus folder.
const figuresFile = "gapbench.json"

// corpus is the built corpus: the store, the gapwatch index and window
// lookup fed from it, and the bare baseline index.
type corpus struct {
	cat     *extract.Catalog
	gen     *synth.Generator
	store   *store.Store
	index   *index.Index
	windows *index.Windows
	bare    bleve.Index
	figures buildFigures
	reused  bool
}

func (c *corpus) close() {
	if c.bare != nil {
		c.bare.Close()
	}
	if c.index != nil {
		c.index.Close()
	}
	if c.store != nil {
		c.store.Close()
	}
}

// openCorpus reuses the corpus in dir when asked and it is complete,
// and builds it otherwise. The bare index is built (or opened) only when
// withBare.
func openCorpus(ctx context.Context, cfg config, dir string, withBare bool) (*corpus, error) {
	cat, err := extract.DefaultCatalog()
	if err != nil {
		return nil, err
	}
	c := &corpus{cat: cat, gen: synth.New(cat, cfg.seed)}
	if cfg.reuse {
		ok, err := c.reuse(ctx, cfg, dir, withBare)
		if err != nil || ok {
			return c, err
		}
		c.close()
		c = &corpus{cat: cat, gen: c.gen}
		cfg.logf("no complete corpus of %d notices (seed %d) in %s: building it", cfg.n, cfg.seed, dir)
	}
	if err := c.build(ctx, cfg, dir, withBare); err != nil {
		return c, err
	}
	return c, c.measureStartup(ctx, cfg)
}

// uncached turns the index's result cache off: the search figures are of
// searches computed, every time, as a question seen for the first time.
func (c *corpus) uncached() {
	if c.index != nil {
		c.index.SetResultCache(0)
	}
}

// reuse opens a complete corpus of cfg.n notices; false when there is
// none in dir.
func (c *corpus) reuse(ctx context.Context, cfg config, dir string, withBare bool) (bool, error) {
	b, err := os.ReadFile(filepath.Join(dir, figuresFile))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, &c.figures); err != nil {
		return false, fmt.Errorf("%s: %w", figuresFile, err)
	}
	if c.figures.N != cfg.n || c.figures.Seed != cfg.seed || c.figures.Corpus != synth.Corpus || (withBare && c.figures.Bare == 0) {
		return false, nil
	}
	if c.store, err = store.Open(ctx, filepath.Join(dir, "store.db")); err != nil {
		return false, err
	}
	if c.index, err = index.Open(filepath.Join(dir, "index")); err != nil {
		return false, err
	}
	if c.index.NeedsRebuild() {
		// The mapping changed since the corpus was built: the store is the
		// source of truth, so rebuild the index from it as gapwatch would
		// (the indexing figures stay those of the build, and say so).
		cfg.logf("the index in %s needs a rebuild (mapping %s): rebuilding it from the store", dir, index.MappingVersion)
		t0 := time.Now()
		if err := index.NewFollower(c.index, index.NewWindows(), c.store, nil, nil).Start(ctx, nil); err != nil {
			return false, err
		}
		cfg.logf("index rebuilt from the store in %v", time.Since(t0).Round(time.Second))
		c.figures.IndexBytes, c.figures.IndexMapping = diskUsage(dir, "index"), index.MappingVersion
		if err := c.figures.save(dir); err != nil {
			return false, err
		}
	}
	if docs, err := c.index.DocCount(); err != nil || docs != uint64(cfg.n) {
		return false, err
	}
	if withBare {
		if c.bare, err = bleve.Open(filepath.Join(dir, "bare")); err != nil {
			return false, nil
		}
		if docs, err := c.bare.DocCount(); err != nil || docs != uint64(cfg.n) {
			return false, err
		}
	}
	cfg.logf("reusing the corpus of %d notices in %s (built %s)", cfg.n, dir, c.figures.When.Format(time.RFC3339))
	c.reused = true
	return true, c.measureStartup(ctx, cfg)
}

// measureStartup times what a server does at start-up on this corpus:
// Follower.Start, which rebuilds the window lookup from the store.
func (c *corpus) measureStartup(ctx context.Context, cfg config) error {
	c.windows = index.NewWindows()
	f := index.NewFollower(c.index, c.windows, c.store, nil, nil)
	t0 := time.Now()
	if err := f.Start(ctx, nil); err != nil {
		return err
	}
	c.figures.WindowsRebuild, c.figures.WindowCount = time.Since(t0), c.windows.Len()
	cfg.logf("start-up: window lookup rebuilt from the store in %v (%d windows)", c.figures.WindowsRebuild.Round(time.Millisecond), c.figures.WindowCount)
	return nil
}

// build ingests the corpus through the pipeline, then builds the bare
// baseline index, and saves the figures.
func (c *corpus) build(ctx context.Context, cfg config, dir string, withBare bool) error {
	for _, name := range []string{figuresFile, "store.db", "store.db-wal", "store.db-shm", "index", "bare"} {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	var err error
	if c.store, err = store.Open(ctx, filepath.Join(dir, "store.db")); err != nil {
		return err
	}
	if err := c.store.UpsertSources(ctx, c.gen.Sources()); err != nil {
		return err
	}
	if c.index, err = index.Open(filepath.Join(dir, "index")); err != nil {
		return err
	}
	f := &c.figures
	*f = buildFigures{N: cfg.n, Seed: cfg.seed, When: time.Now().UTC(), GOMAXPROCS: runtime.GOMAXPROCS(0), Workers: cfg.workers, Batch: cfg.batch, Mapping: index.MappingVersion, Corpus: synth.Corpus, IndexMapping: index.MappingVersion}
	if err := c.runPipeline(ctx, cfg); err != nil {
		return err
	}
	if withBare {
		cfg.logf("bare baseline: bleve.Batch of the same %d documents, default mapping", cfg.n)
		if c.bare, f.Bare, err = buildBare(ctx, filepath.Join(dir, "bare"), c.gen, cfg.n, cfg.batch); err != nil {
			return err
		}
		cfg.logf("bare baseline: %.0f notices/s", float64(cfg.n)/f.Bare.Seconds())
	}
	f.StoreBytes, f.IndexBytes = diskUsage(dir, "store.db"), diskUsage(dir, "index")
	f.BareBytes = diskUsage(dir, "bare")
	return f.save(dir)
}

// save writes the figures into the corpus folder dir.
func (f *buildFigures) save(dir string) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, figuresFile), b, 0o640)
}

// runPipeline runs the ingestion pipeline, under the CPU profiler when
// asked, and checks every notice reached the index.
func (c *corpus) runPipeline(ctx context.Context, cfg config) error {
	windows := index.NewWindows()
	follower := index.NewFollower(c.index, windows, c.store, nil, nil)
	if err := follower.Start(ctx, nil); err != nil {
		return err
	}
	p := &pipeline{cfg: cfg, gen: c.gen, ex: extract.New(c.cat), store: c.store, follower: follower}
	cfg.logf("pipeline: %d notices, %d extraction workers, batches of %d", cfg.n, cfg.workers, cfg.batch)
	var took time.Duration
	err := profiled(cfg, "indexing", func() (err error) {
		took, err = p.run(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	docs, err := c.index.DocCount()
	if err != nil {
		return err
	}
	if docs != uint64(cfg.n) {
		return fmt.Errorf("pipeline: the index holds %d notices, want %d", docs, cfg.n)
	}
	f := &c.figures
	f.Pipeline, f.Generate, f.Extract = took, time.Duration(p.genNS.Load()), time.Duration(p.extractNS.Load())
	f.Store, f.Index = time.Duration(p.storeNS.Load()), time.Duration(p.indexNS.Load())
	f.TruthWindows, f.Recovered = p.truth.Load(), p.found.Load()
	cfg.logf("pipeline: %.0f notices/s end to end", float64(cfg.n)/took.Seconds())
	return nil
}

// diskUsage returns the bytes under dir/name whose names start with name
// (so "store.db" counts its WAL too).
func diskUsage(dir, name string) int64 {
	var total int64
	matches, _ := filepath.Glob(filepath.Join(dir, name+"*"))
	for _, m := range matches {
		_ = filepath.WalkDir(m, func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil {
					total += info.Size()
				}
			}
			return nil
		})
	}
	return total
}
