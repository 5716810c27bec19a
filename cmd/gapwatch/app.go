package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/config"
	"github.com/gapwatch/gapwatch/crawler"
	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/demo"
	"github.com/gapwatch/gapwatch/gaps"
	"github.com/gapwatch/gapwatch/index"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

// app holds the wired dependencies of a command.
type app struct {
	cfg       *config.Config
	log       *slog.Logger
	store     *store.Store
	sources   []notice.Source
	world     *demo.World
	crawler   *crawler.Crawler
	extractor *extract.Extractor
	index     *index.Index
	windows   *index.Windows
	follower  *index.Follower
	metrics   *api.Metrics
	gaps      *gaps.Service
}

// open loads the configuration, opens the store and, in demo mode, starts
// the offline vendor world and points the sources at it.
func (g *globals) open(ctx context.Context) (*app, error) {
	cfg, err := config.Load(g.configPath, g.env)
	if err != nil {
		return nil, err
	}
	level := g.logLevel
	if g.verbose {
		level = slog.LevelDebug
	}
	a := &app{cfg: cfg, log: slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: level}))}
	a.sources = cfg.DomainSources()
	if g.demo {
		// The demo world lives on loopback, which the SSRF guard refuses
		// unless allowed; demo data is kept apart from real data.
		cfg.DataDir = filepath.Join(cfg.DataDir, "demo")
		cfg.Crawler.AllowPrivate = true
		if a.world, err = demo.Start(ctx); err != nil {
			return nil, fmt.Errorf("demo world: %w", err)
		}
		a.sources = a.world.Sources
	}
	if a.store, err = store.Open(ctx, filepath.Join(cfg.DataDir, "gapwatch.db")); err != nil {
		a.close()
		return nil, err
	}
	fc := crawler.FetchConfig{
		Timeout: cfg.Crawler.Timeout, MaxBody: int64(cfg.Crawler.MaxBody), PerHost: cfg.Crawler.PerHost,
		AllowPrivate: cfg.Crawler.AllowPrivate, UserAgent: cfg.Crawler.UserAgent,
	}
	if a.world != nil {
		fc.Resolve = a.world.Resolve()
	}
	f := crawler.NewFetcher(fc)
	cat, err := extract.LoadCatalog(cfg.Catalog...)
	if err != nil {
		a.close()
		return nil, err
	}
	a.extractor = extract.New(cat)
	a.metrics = api.NewMetrics()
	a.crawler = crawler.New(f, a.store, crawler.Options{Workers: cfg.Crawler.Workers, Logger: a.log,
		Extractor: timedExtractor{a.extractor, a.metrics}})
	return a, nil
}

// withApp opens the app quietly (warnings and errors only: the command's
// own output says the rest), runs fn and closes it.
func (g *globals) withApp(ctx context.Context, fn func(a *app) error) error {
	g.logLevel = slog.LevelWarn
	a, err := g.open(ctx)
	if err != nil {
		return err
	}
	defer a.close()
	return fn(a)
}

func (a *app) close() {
	if a.index != nil {
		a.index.Close()
	}
	if a.store != nil {
		a.store.Close()
	}
	if a.world != nil {
		a.world.Close()
	}
}

// openIndex opens the search index and the window lookup and brings them
// up to date with the store (rebuilding the index when it needs it). Only
// one process may hold the index: callers check for a running server first.
func (a *app) openIndex(ctx context.Context, progress func(done int)) error {
	ix, err := index.Open(filepath.Join(a.cfg.DataDir, "index"))
	if err != nil {
		return err
	}
	a.index, a.windows = ix, index.NewWindows()
	a.follower = index.NewFollower(ix, a.windows, a.store, a.log, func(n int, took time.Duration, lag int64) {
		a.metrics.IndexBatchDuration.Observe(took.Seconds())
		a.metrics.IndexLag.Set(float64(lag))
		if docs, err := ix.DocCount(); err == nil {
			a.metrics.IndexDocs.Set(float64(docs))
		}
	})
	if ix.NeedsRebuild() {
		a.log.Info("building the search index from the store")
	}
	a.gaps = gaps.NewService(a.store, a.windows, a.extractor.Catalog(), nil)
	a.follower.OnChange(a.gaps.NoticesChanged)
	return a.follower.Start(ctx, progress)
}

// openGaps prepares the gap service without the search index (which a
// running server may hold): the window lookup is built from the store.
func (a *app) openGaps(ctx context.Context) error {
	a.windows = index.NewWindows()
	if err := a.windows.Rebuild(func(fn func(notice.Notice) error) error { return a.store.EachNotice(ctx, fn) }); err != nil {
		return err
	}
	a.gaps = gaps.NewService(a.store, a.windows, a.extractor.Catalog(), nil)
	return nil
}

// apiDeps wires the API to this app's store, index and catalog.
func (a *app) apiDeps() api.Deps {
	return api.Deps{Store: a.store, Search: a.index, Windows: a.windows, Catalog: a.extractor.Catalog(),
		Metrics: a.metrics, Logger: a.log, Ready: func(context.Context) error {
			_, err := a.index.DocCount()
			return err
		},
		Tenants: a.store, Gaps: a.gaps,
		Access: api.Access{AdminKey: a.cfg.API.AdminKey, PrivateSearch: !a.cfg.API.Public(),
			Rate: a.cfg.API.Rate, Burst: a.cfg.API.Burst}}
}

// syncSources records the configured sources in the store: all of them
// for serve (sources no longer configured are disabled), only upserts for
// a one-off crawl, so it never changes what a running server crawls.
// Read-only commands do not call it.
func (a *app) syncSources(ctx context.Context, exclusive bool) error {
	if exclusive {
		return a.store.SyncSources(ctx, a.sources)
	}
	return a.store.UpsertSources(ctx, a.sources)
}

// enabledSources returns the enabled sources, or only the named one.
func (a *app) enabledSources(name string) ([]notice.Source, error) {
	var out []notice.Source
	for _, s := range a.sources {
		if name != "" && s.Name == name {
			return []notice.Source{s}, nil
		}
		if name == "" && s.Enabled {
			out = append(out, s)
		}
	}
	if name != "" {
		return nil, fmt.Errorf("no source named %q", name)
	}
	return out, nil
}

// timedExtractor records each extraction's duration.
type timedExtractor struct {
	ex *extract.Extractor
	m  *api.Metrics
}

func (t timedExtractor) ExtractItem(it notice.Item) notice.Extraction {
	start := time.Now()
	defer func() { t.m.ExtractDuration.Observe(time.Since(start).Seconds()) }()
	return t.ex.ExtractItem(it)
}

// fmtTime renders a time for terminal tables.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}
