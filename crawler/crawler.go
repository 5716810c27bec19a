package crawler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// Store is what the crawler needs from the durable store. It is declared
// here, by its consumer, so the store package need not know the crawler.
type Store interface {
	Sources(ctx context.Context) ([]notice.SourceState, error)
	Source(ctx context.Context, name string) (notice.SourceState, error)
	ItemHashes(ctx context.Context, source string) (map[string]string, error)
	Validators(ctx context.Context, source string) (map[string]notice.Validators, error)
	SaveCrawl(ctx context.Context, rec notice.CrawlRecord) (notice.CrawlCounts, error)
	SaveCrawls(ctx context.Context, recs []notice.CrawlRecord) ([]notice.CrawlCounts, []error, error)
	Article(ctx context.Context, url string) (notice.Article, error)
	SaveArticle(ctx context.Context, a notice.Article) error
}

// Extractor reads products, windows and category out of an item. The
// crawler runs it only on new or changed content.
type Extractor interface {
	ExtractItem(it notice.Item) notice.Extraction
}

// Options configures a Crawler. Zero values get defaults.
type Options struct {
	// Workers is how many sources are crawled at once (default 16).
	Workers int
	// Extractor defaults to keeping only the source's structured facts.
	Extractor Extractor
	Logger    *slog.Logger
	// Now is the clock (default time.Now); tests pass a fixed one.
	Now func() time.Time
	// MaxBackoff caps the delay after consecutive errors (default 6h).
	MaxBackoff time.Duration
	// ArticleMinText is the item text length under which a feed item's
	// linked article is fetched, for sources with FetchArticle (default 600).
	ArticleMinText int
	// ArticleMaxAge is how long a cached article is reused without asking
	// the server again (default 24h).
	ArticleMaxAge time.Duration
	// ArticlesPerCrawl and ArticleTime bound the articles fetched in one
	// crawl of a source (default 10 pages, 60s); the rest wait for the
	// next crawl.
	ArticlesPerCrawl int
	ArticleTime      time.Duration
}

// Crawler fetches sources, parses them into items, runs extraction on what
// changed and saves each source's crawl atomically.
type Crawler struct {
	fetch *Fetcher
	store Store
	opts  Options
	log   *slog.Logger
}

// New returns a Crawler using f for HTTP and st for state.
func New(f *Fetcher, st Store, opts Options) *Crawler {
	if opts.Workers <= 0 {
		opts.Workers = 16
	}
	if opts.Extractor == nil {
		opts.Extractor = structuredOnly{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 6 * time.Hour
	}
	if opts.ArticleMinText <= 0 {
		opts.ArticleMinText = 600
	}
	if opts.ArticleMaxAge <= 0 {
		opts.ArticleMaxAge = 24 * time.Hour
	}
	if opts.ArticlesPerCrawl <= 0 {
		opts.ArticlesPerCrawl = 10
	}
	if opts.ArticleTime <= 0 {
		opts.ArticleTime = time.Minute
	}
	return &Crawler{fetch: f, store: st, opts: opts, log: opts.Logger}
}

// structuredOnly keeps what the source states in structured fields.
type structuredOnly struct{}

func (structuredOnly) ExtractItem(it notice.Item) notice.Extraction {
	return notice.Extraction{Vendor: it.Vendor, Language: it.Language, Products: it.Products, Windows: it.Windows}
}

// Result is the outcome of crawling one source.
type Result struct {
	Source   string
	Outcome  notice.Outcome
	Counts   notice.CrawlCounts
	Err      error
	Duration time.Duration
	// Skipped counts payload entries dropped as malformed (a bad
	// timestamp, a missing id) while the rest of the payload was kept, so
	// that a vendor's broken entry shows without blocking its notices.
	Skipped int
}

// Summary totals a crawl cycle.
type Summary struct {
	OK, NotModified, Failed int
	Notices                 notice.CrawlCounts
}

// Add counts one source's result.
func (s *Summary) Add(r Result) {
	switch r.Outcome {
	case notice.OutcomeOK:
		s.OK++
	case notice.OutcomeNotModified:
		s.NotModified++
	default:
		s.Failed++
	}
	s.Notices.Add(r.Counts)
}

// String is the machine-readable last line of `gapwatch crawl`.
func (s Summary) String() string {
	return fmt.Sprintf("sources: %d ok, %d not modified, %d failed; notices: %s",
		s.OK, s.NotModified, s.Failed, s.Notices)
}

// Crawl crawls the given sources once, Workers at a time, calling onResult
// (which may be nil) as each finishes. A failing source never stops the
// others. Finished sources are saved by one committer in group commits.
func (c *Crawler) Crawl(ctx context.Context, sources []notice.Source, onResult func(Result)) Summary {
	var (
		sum     Summary
		mu      sync.Mutex
		wg      sync.WaitGroup
		jobs    = make(chan notice.Source)
		commits = make(chan commitReq)
		done    = make(chan struct{})
	)
	go func() {
		c.committer(ctx, commits)
		close(done)
	}()
	save := func(rec notice.CrawlRecord) (notice.CrawlCounts, error) {
		reply := make(chan commitResult, 1)
		commits <- commitReq{rec, reply}
		r := <-reply
		return r.counts, r.err
	}
	for range min(c.opts.Workers, max(len(sources), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for src := range jobs {
				r := c.crawlSource(ctx, src, save)
				mu.Lock()
				sum.Add(r)
				if onResult != nil {
					onResult(r)
				}
				mu.Unlock()
			}
		}()
	}
	for _, src := range sources {
		jobs <- src
	}
	close(jobs)
	wg.Wait()
	close(commits)
	<-done
	return sum
}

type commitReq struct {
	rec   notice.CrawlRecord
	reply chan commitResult
}

type commitResult struct {
	counts notice.CrawlCounts
	err    error
}

// committer saves crawl records, batching whatever is waiting into one
// transaction (each record still all-or-nothing).
func (c *Crawler) committer(ctx context.Context, reqs <-chan commitReq) {
	ctx = context.WithoutCancel(ctx)
	for req := range reqs {
		batch := []commitReq{req}
	drain:
		for len(batch) < 128 {
			select {
			case r, ok := <-reqs:
				if !ok {
					break drain
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		recs := make([]notice.CrawlRecord, len(batch))
		for i, b := range batch {
			recs[i] = b.rec
		}
		counts, errs, err := c.store.SaveCrawls(ctx, recs)
		for i, b := range batch {
			if err != nil {
				b.reply <- commitResult{err: err}
				continue
			}
			b.reply <- commitResult{counts[i], errs[i]}
		}
	}
}

// CrawlSource fetches one source, stores what it yields and records the
// outcome in the source's state. Errors are reported in the Result and in
// the stored state, never panics.
func (c *Crawler) CrawlSource(ctx context.Context, src notice.Source) Result {
	return c.crawlSource(ctx, src, func(rec notice.CrawlRecord) (notice.CrawlCounts, error) {
		return c.store.SaveCrawl(context.WithoutCancel(ctx), rec)
	})
}

func (c *Crawler) crawlSource(ctx context.Context, src notice.Source, save func(notice.CrawlRecord) (notice.CrawlCounts, error)) Result {
	start := c.opts.Now()
	res := Result{Source: src.Name}
	rec, err := c.safeCollect(ctx, src, &res.Skipped)
	if ctx.Err() != nil {
		// Shutting down is not the source's fault: record nothing, so its
		// error streak and schedule stay as they were.
		return Result{Source: src.Name, Outcome: notice.OutcomeFailed, Err: ctx.Err(), Duration: c.opts.Now().Sub(start)}
	}
	rec.Source, rec.At = src.Name, start.UTC()
	if err != nil {
		rec.Outcome, rec.Err, rec.Items, rec.Validators = notice.OutcomeFailed, err.Error(), nil, nil
		var re *RemoteError
		if errors.As(err, &re) {
			rec.Status = re.StatusCode
		}
	}
	rec.NextCheck = c.nextCheck(ctx, src, start, err)
	c.log.Debug("saving crawl", "source", src.Name, "items", len(rec.Items))
	counts, saveErr := save(rec)
	if saveErr != nil && err == nil {
		err = saveErr
		rec.Outcome = notice.OutcomeFailed
	}
	res.Outcome, res.Counts, res.Err, res.Duration = rec.Outcome, counts, err, c.opts.Now().Sub(start)
	if err != nil {
		c.log.Warn("crawl failed", "source", src.Name, "error", err)
	} else {
		c.log.Info("crawled", "source", src.Name, "outcome", string(res.Outcome),
			"new", counts.New, "updated", counts.Updated, "unchanged", counts.Unchanged, "skipped", res.Skipped)
	}
	return res
}

// errPanic marks a source whose crawl panicked; the panic value follows it
// in the error text.
var errPanic = errors.New("crawler: panic")

// safeCollect is collect with a panic (in a parser, a third-party library
// or the extractor, on hostile input) turned into that source's error, so
// that one source cannot stop the process or the other sources.
func (c *Crawler) safeCollect(ctx context.Context, src notice.Source, skipped *int) (rec notice.CrawlRecord, err error) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("crawl panicked", "source", src.Name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			rec, err = notice.CrawlRecord{}, fmt.Errorf("%w: %s: %v", errPanic, src.Name, r)
		}
	}()
	return c.collect(ctx, src, skipped)
}

// collect fetches and parses a source into a crawl record (without state),
// adding the payload entries skipped as malformed to *skipped.
func (c *Crawler) collect(ctx context.Context, src notice.Source, skipped *int) (notice.CrawlRecord, error) {
	rec := notice.CrawlRecord{Outcome: notice.OutcomeNotModified, Validators: map[string]notice.Validators{}}
	stored, err := c.store.Validators(ctx, src.Name)
	if err != nil {
		return rec, err
	}
	endpoints, err := endpointsOf(src)
	if err != nil {
		return rec, err
	}
	var items []notice.Item
	for _, ep := range endpoints {
		prev := stored[ep.url]
		resp, err := c.fetch.Fetch(ctx, ep.url, prev)
		if err != nil {
			return rec, err // the fetcher names the URL
		}
		rec.Status = resp.StatusCode
		v := resp.Validators
		v.BodyHash = prev.BodyHash
		if !resp.NotModified {
			v.BodyHash = bodyHash(resp.Body)
		}
		if resp.NotModified || v.BodyHash == prev.BodyHash {
			// 304, or the same bytes again: nothing to parse.
			if v != prev {
				rec.Validators[ep.url] = v
			}
			continue
		}
		got, err := ep.parse(resp.Body, src)
		if err != nil {
			return rec, fmt.Errorf("%s: %w", ep.url, err)
		}
		if got.skipped > 0 {
			*skipped += got.skipped
			c.log.Warn("malformed entries skipped", "source", src.Name, "url", ep.url,
				"skipped", got.skipped, "error", got.firstSkip)
		}
		items = append(items, got.items...)
		rec.Outcome = notice.OutcomeOK
		rec.Validators[ep.url] = v
	}
	if rec.Outcome == notice.OutcomeNotModified {
		return rec, nil
	}
	rec.Items, err = c.prepare(ctx, src, items)
	for _, it := range rec.Items {
		if strings.HasPrefix(it.Hash, articleRetry) {
			// Some article is still missing (fetch failed or the budget
			// ran out): forget every validator, so that the next crawl
			// gets the body again (no 304) and parses it (no hash match)
			// and the article is retried.
			for u := range rec.Validators {
				rec.Validators[u] = notice.Validators{}
			}
			break
		}
	}
	return rec, err
}

// parserVersion is mixed into body hashes: when parsing improves, bodies
// seen before are parsed again.
const parserVersion = "parse/1"

// bodyHash fingerprints a fetched body for the parser in use.
func bodyHash(body []byte) string {
	h := sha256.New()
	h.Write([]byte(parserVersion))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

type endpoint struct {
	url   string
	parse func([]byte, notice.Source) (parsed, error)
}

// parseFeed adapts ParseFeed to an endpoint: a feed's items are never
// skipped one by one.
func parseFeed(body []byte, src notice.Source) (parsed, error) {
	items, err := ParseFeed(body, src)
	return parsed{items: items}, err
}

// endpointsOf lists the URLs a source is read from.
func endpointsOf(src notice.Source) ([]endpoint, error) {
	switch src.Kind {
	case notice.KindFeed:
		return []endpoint{{src.URL, parseFeed}}, nil
	case notice.KindGCP:
		return []endpoint{{src.URL, parseGCP}}, nil
	case notice.KindStatuspage:
		base := strings.TrimRight(src.URL, "/")
		return []endpoint{
			{base + "/api/v2/incidents.json", parseStatuspageIncidents},
			{base + "/api/v2/scheduled-maintenances.json", parseStatuspageMaintenances},
		}, nil
	}
	return nil, fmt.Errorf("source %s: unknown kind %q", src.Name, src.Kind)
}

// articleRetry prefixes the stored hash of an item whose linked article
// could not be fetched: the next crawl sees the same content but retries
// the article, and saves a new version only when it arrives.
const articleRetry = "article-retry:"

// prepare deduplicates items by id across endpoints (by the rule
// uniqueItems applies within one: the newer or fuller copy wins), hashes
// them, and for new or changed content fetches linked articles (within a
// budget per crawl) and runs the extractor. Unchanged items are passed on
// only to be counted.
func (c *Crawler) prepare(ctx context.Context, src notice.Source, items []notice.Item) ([]notice.StoredItem, error) {
	known, err := c.store.ItemHashes(ctx, src.Name)
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	var out []notice.StoredItem
	for _, it := range items {
		si := notice.StoredItem{Item: it, Hash: it.Hash()}
		if i, dup := index[it.ItemID]; dup {
			if newerOrFuller(it, out[i].Item) {
				out[i] = si
			}
			continue
		}
		index[it.ItemID] = len(out)
		out = append(out, si)
	}
	budget := c.newArticleBudget()
	for i := range out {
		stored, h := known[out[i].Item.ItemID], out[i].Hash
		if stored == h {
			continue
		}
		if src.FetchArticle && c.wantsArticle(out[i].Item) {
			var ok bool
			out[i].Item, ok = c.withArticle(ctx, out[i].Item, budget)
			if !ok {
				out[i].Hash = articleRetry + h
				if stored == out[i].Hash {
					continue // still no article: nothing new to store
				}
			}
		}
		out[i].Extraction = c.opts.Extractor.ExtractItem(out[i].Item)
		out[i].Extracted = true
	}
	return out, nil
}
