package crawler_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/gapwatch/gapwatch/crawler"
	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

const (
	benchFeeds   = 2000
	benchItems   = 8
	benchWorkers = 16
)

// benchFeed renders feed i in one of three formats (RSS, Atom, JSON Feed);
// variant changes the text of its newest item, as an incident update would.
func benchFeed(i, variant int) (body []byte, contentType string) {
	var b strings.Builder
	switch i % 3 {
	case 0:
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Vendor %d</title><link>https://v%d.example.test</link><description>status</description>`, i, i)
		for j := 0; j < benchItems; j++ {
			fmt.Fprintf(&b, `<item><title>Incident %d on service %d</title><guid>%d-%d</guid><link>https://v%d.example.test/i/%d</link><pubDate>Mon, 16 Sep 2024 10:%02d:00 GMT</pubDate><description>Between 08:51 UTC and 09:30 UTC on 16 September 2024 customers of service %d saw elevated error rates and delayed logs. We have applied a mitigation and are monitoring.%s</description></item>`, j, i, i, j, i, j, j, i, updFor(j, variant))
		}
		b.WriteString(`</channel></rss>`)
		return []byte(b.String()), "application/rss+xml"
	case 1:
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Vendor %d</title><id>urn:v%d</id><updated>2024-09-16T10:00:00Z</updated>`, i, i)
		for j := 0; j < benchItems; j++ {
			fmt.Fprintf(&b, `<entry><title>Incident %d on service %d</title><id>urn:v%d:%d</id><link href="https://v%d.example.test/i/%d"/><updated>2024-09-16T10:%02d:00Z</updated><content type="html">&lt;p&gt;Between 08:51 UTC and 09:30 UTC customers of service %d saw elevated error rates.%s&lt;/p&gt;</content></entry>`, j, i, i, j, i, j, j, i, updFor(j, variant))
		}
		b.WriteString(`</feed>`)
		return []byte(b.String()), "application/atom+xml"
	default:
		fmt.Fprintf(&b, `{"version":"https://jsonfeed.org/version/1.1","title":"Vendor %d","home_page_url":"https://v%d.example.test","items":[`, i, i)
		for j := 0; j < benchItems; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"%d-%d","url":"https://v%d.example.test/i/%d","title":"Incident %d on service %d","content_text":"Between 08:51 UTC and 09:30 UTC customers saw elevated error rates.%s","date_published":"2024-09-16T10:%02d:00Z"}`, i, j, i, j, j, i, updFor(j, variant), j)
		}
		b.WriteString(`]}`)
		return []byte(b.String()), "application/feed+json"
	}
}

// updFor is the text an update adds to item j (only the newest changes).
func updFor(j, variant int) string {
	if j != 0 {
		return ""
	}
	return fmt.Sprintf(" Update %d.", variant)
}

// benchWorld serves benchFeeds feeds. Every tenth honours conditional GET
// and never changes (so it answers 304 once its validators are stored); the
// others ignore validators and, when changing is set, serve a new version of
// their newest item each round.
func benchWorld(b *testing.B, changing bool) (*httptest.Server, []notice.Source, *atomic.Int32) {
	var bodies [2][][]byte
	types := make([]string, benchFeeds)
	for v := range bodies {
		bodies[v] = make([][]byte, benchFeeds)
		for i := range benchFeeds {
			bodies[v][i], types[i] = benchFeed(i, v)
		}
	}
	var round atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/f/"))
		if err != nil || i < 0 || i >= benchFeeds {
			http.NotFound(w, r)
			return
		}
		v := 0
		if i%10 == 0 {
			etag := `"f` + strconv.Itoa(i) + `"`
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
		} else if changing {
			v = int(round.Load() % 2)
		}
		w.Header().Set("Content-Type", types[i])
		w.Write(bodies[v][i])
	}))
	srcs := make([]notice.Source, benchFeeds)
	for i := range srcs {
		srcs[i] = notice.Source{Name: "f" + strconv.Itoa(i), Kind: notice.KindFeed, URL: srv.URL + "/f/" + strconv.Itoa(i),
			Interval: time.Minute, Enabled: true}
	}
	return srv, srcs, &round
}

// baselineCrawl is the bare baseline: plain net/http GET and gofeed parse of
// every feed, same concurrency, nothing stored.
func baselineCrawl(b *testing.B, client *http.Client, srcs []notice.Source) {
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range benchWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parser := gofeed.NewParser()
			for u := range jobs {
				resp, err := client.Get(u)
				if err != nil {
					b.Error(err)
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					b.Error(err)
					continue
				}
				if _, err := parser.Parse(bytes.NewReader(body)); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	for _, s := range srcs {
		jobs <- s.URL
	}
	close(jobs)
	wg.Wait()
}

// BenchmarkCrawl2000 crawls 2,000 local feeds (RSS, Atom, JSON Feed; 10%
// answering 304) through the full crawler (fetch, parse, diff, extract,
// store) and, in the same iteration, through the bare baseline (GET and
// gofeed parse, same concurrency), reporting both rates and their ratio.
// "changed": the other 90% publish an update every round (every body must
// be parsed and a new version stored); "unchanged": they serve the same
// bytes again without honouring validators.
func BenchmarkCrawl2000(b *testing.B) {
	for _, mode := range []string{"changed", "unchanged"} {
		b.Run(mode, func(b *testing.B) { benchCrawl(b, mode == "changed") })
	}
}

func benchCrawl(b *testing.B, changing bool) {
	srv, srcs, round := benchWorld(b, changing)
	defer srv.Close()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.SyncSources(ctx, srcs); err != nil {
		b.Fatal(err)
	}
	cat, err := extract.DefaultCatalog()
	if err != nil {
		b.Fatal(err)
	}
	f := crawler.NewFetcher(crawler.FetchConfig{AllowPrivate: true, PerHost: benchWorkers})
	c := crawler.New(f, st, crawler.Options{Workers: benchWorkers, Extractor: extract.New(cat)})
	if sum := c.Crawl(ctx, srcs, nil); sum.Failed > 0 {
		b.Fatalf("priming crawl: %s", sum)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchWorkers}, Timeout: 20 * time.Second}
	var gw, base time.Duration
	b.ResetTimer()
	for b.Loop() {
		round.Add(1)
		t0 := time.Now()
		sum := c.Crawl(ctx, srcs, nil)
		gw += time.Since(t0)
		want := crawler.Summary{OK: benchFeeds * 9 / 10, NotModified: benchFeeds / 10,
			Notices: notice.CrawlCounts{Updated: benchFeeds * 9 / 10, Unchanged: benchFeeds * 9 / 10 * (benchItems - 1)}}
		if !changing {
			want = crawler.Summary{NotModified: benchFeeds}
		}
		if sum != want {
			b.Fatalf("crawl: %s, want %s", sum, want)
		}
		t0 = time.Now()
		baselineCrawl(b, client, srcs)
		base += time.Since(t0)
	}
	n := float64(b.N * benchFeeds)
	gwRate, baseRate := n/gw.Seconds(), n/base.Seconds()
	b.ReportMetric(gwRate, "feeds/s")
	b.ReportMetric(baseRate, "baseline-feeds/s")
	b.ReportMetric(gwRate/baseRate, "ratio")
}
