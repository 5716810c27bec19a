package crawler_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/crawler"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

const rssTmpl = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Vendor status</title><link>https://status.example.test</link>
<description>status</description>
<item><title>%s</title><link>https://status.example.test/incidents/1</link><guid>inc-1</guid>
<pubDate>Mon, 16 Sep 2024 10:02:00 GMT</pubDate><description>Between 08:51 UTC and 09:30 UTC some customers saw errors.</description></item>
<item><title>Dashboard latency</title><link>https://status.example.test/incidents/2</link><guid>inc-2</guid>
<pubDate>Sun, 15 Sep 2024 08:00:00 GMT</pubDate><description>Elevated latency.</description></item>
<item><title>Dashboard latency</title><link>https://status.example.test/incidents/2</link><guid>inc-2</guid>
<pubDate>Sun, 15 Sep 2024 08:00:00 GMT</pubDate><description>Elevated latency.</description></item>
</channel></rss>`

const statuspageIncidents = `{"page":{"id":"p1","name":"Example","url":"https://status.example.test","time_zone":"Etc/UTC","updated_at":"2024-09-16T17:00:00Z"},
"incidents":[{"id":"abc123","name":"Degraded performance for Actions","status":"resolved","created_at":"2024-09-16T10:05:00-07:00",
"updated_at":"2024-09-16T11:00:00-07:00","resolved_at":"2024-09-16T10:55:00-07:00","started_at":"2024-09-16T10:02:00-07:00","impact":"minor",
"shortlink":"https://stspg.io/abc","page_id":"p1",
"incident_updates":[{"id":"u2","status":"resolved","body":"This incident has been resolved.","created_at":"2024-09-16T10:55:00-07:00","display_at":"2024-09-16T10:55:00-07:00"},
{"id":"u1","status":"investigating","body":"We are investigating reports of degraded performance for Actions.","created_at":"2024-09-16T10:05:00-07:00","display_at":"2024-09-16T10:05:00-07:00"}],
"components":[{"id":"c1","name":"Actions","status":"operational"}]}]}`

const statuspageMaint = `{"page":{"id":"p1","name":"Example","url":"https://status.example.test"},"scheduled_maintenances":[]}`

const gcpIncidents = `[{"id":"g1","number":"123","begin":"2024-09-10T08:00:00+00:00","created":"2024-09-10T08:10:00+00:00",
"end":"2024-09-10T09:00:00+00:00","modified":"2024-09-10T09:05:00+00:00","external_desc":"Cloud Logging delays in us-east1",
"updates":[{"created":"2024-09-10T09:05:00+00:00","modified":"2024-09-10T09:05:00+00:00","when":"2024-09-10T09:05:00+00:00","text":"Resolved.","status":"AVAILABLE"}],
"most_recent_update":{"created":"2024-09-10T09:05:00+00:00","modified":"2024-09-10T09:05:00+00:00","when":"2024-09-10T09:05:00+00:00","text":"Resolved.","status":"AVAILABLE"},
"status_impact":"SERVICE_DISRUPTION","severity":"medium","service_key":"logging","service_name":"Cloud Logging",
"affected_products":[{"title":"Cloud Logging","id":"logging"}],"uri":"incidents/g1"}]`

// world is a tiny vendor world whose feed title can be edited and whose
// responses can be switched to failures.
type world struct {
	srv      *httptest.Server
	title    atomic.Value
	failFeed atomic.Bool
	feedHits atomic.Int32
	condHits atomic.Int32
}

func newWorld(t *testing.T) *world {
	w := &world{}
	w.title.Store("Sign-in failures")
	mux := http.NewServeMux()
	serve := func(ct string, body func() string) http.HandlerFunc {
		return func(rw http.ResponseWriter, r *http.Request) {
			b := body()
			etag := fmt.Sprintf(`"%x"`, len(b)*31+int(b[len(b)/2]))
			if r.Header.Get("If-None-Match") == etag {
				w.condHits.Add(1)
				rw.WriteHeader(http.StatusNotModified)
				return
			}
			rw.Header().Set("ETag", etag)
			rw.Header().Set("Content-Type", ct)
			fmt.Fprint(rw, b)
		}
	}
	feed := serve("application/rss+xml", func() string { return fmt.Sprintf(rssTmpl, w.title.Load()) })
	mux.HandleFunc("/feed.xml", func(rw http.ResponseWriter, r *http.Request) {
		w.feedHits.Add(1)
		if w.failFeed.Load() {
			http.Error(rw, "boom", http.StatusInternalServerError)
			return
		}
		feed(rw, r)
	})
	mux.HandleFunc("/sp/api/v2/incidents.json", serve("application/json", func() string { return statuspageIncidents }))
	mux.HandleFunc("/sp/api/v2/scheduled-maintenances.json", serve("application/json", func() string { return statuspageMaint }))
	mux.HandleFunc("/gcp/incidents.json", serve("application/json", func() string { return gcpIncidents }))
	mux.HandleFunc("/html", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html")
		fmt.Fprint(rw, "<!doctype html><html><body><h1>Not a feed</h1></body></html>")
	})
	w.srv = httptest.NewServer(mux)
	t.Cleanup(w.srv.Close)
	return w
}

func (w *world) sources() []notice.Source {
	return []notice.Source{
		{Name: "rss", Kind: notice.KindFeed, URL: w.srv.URL + "/feed.xml", Vendor: "Example", Interval: time.Minute, Enabled: true},
		{Name: "sp", Kind: notice.KindStatuspage, URL: w.srv.URL + "/sp", Vendor: "GitHub", Interval: time.Minute, Enabled: true},
		{Name: "gcp", Kind: notice.KindGCP, URL: w.srv.URL + "/gcp/incidents.json", Vendor: "Google Cloud", Interval: time.Minute, Enabled: true},
		{Name: "html", Kind: notice.KindFeed, URL: w.srv.URL + "/html", Interval: time.Minute, Enabled: true},
	}
}

func newCrawler(t *testing.T, srcs []notice.Source) (*crawler.Crawler, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SyncSources(ctx, srcs); err != nil {
		t.Fatal(err)
	}
	f := crawler.NewFetcher(crawler.FetchConfig{AllowPrivate: true, Timeout: 5 * time.Second})
	return crawler.New(f, st, crawler.Options{Workers: 3}), st
}

func TestCrawlFormatsAndRecrawl(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	c, st := newCrawler(t, w.sources())

	sum := c.Crawl(ctx, w.sources(), nil)
	if got := sum.String(); got != "sources: 3 ok, 0 not modified, 1 failed; notices: 4 new, 0 updated, 0 unchanged" {
		t.Fatalf("first crawl: %s", got)
	}
	states, err := st.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range states {
		if s.Source.Name == "html" && (s.State.ConsecutiveErrors != 1 || s.State.LastError == "") {
			t.Fatalf("html source state = %+v; want its error recorded", s.State)
		}
	}

	// Unchanged data, crawled again: 304 everywhere, nothing changes.
	for i := 0; i < 10; i++ {
		sum = c.Crawl(ctx, w.sources(), nil)
		if got := sum.String(); got != "sources: 0 ok, 3 not modified, 1 failed; notices: 0 new, 0 updated, 0 unchanged" {
			t.Fatalf("recrawl %d: %s", i, got)
		}
	}
	_, total, err := st.RecentNotices(ctx, 100, 0)
	if err != nil || total != 4 {
		t.Fatalf("total = %d, %v", total, err)
	}

	// Edit one item: one new version, the old one kept.
	w.title.Store("Sign-in failures (resolved)")
	sum = c.Crawl(ctx, w.sources()[:1], nil)
	if got := sum.String(); got != "sources: 1 ok, 0 not modified, 0 failed; notices: 0 new, 1 updated, 1 unchanged" {
		t.Fatalf("after edit: %s", got)
	}
	list, _, err := st.RecentNotices(ctx, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	var edited notice.Notice
	for _, n := range list {
		if n.Item.Source == "rss" && n.Item.ItemID == "inc-1" {
			edited = n
		}
	}
	vs, err := st.Versions(ctx, edited.ID)
	if err != nil || len(vs) != 2 || vs[0].Item.Title != "Sign-in failures" || vs[1].Item.Title != "Sign-in failures (resolved)" {
		t.Fatalf("versions = %+v, %v", vs, err)
	}

	// Structured windows and products survive into the stored notice.
	for _, n := range list {
		if n.Item.Source == "sp" {
			if len(n.Extraction.Windows) != 1 || n.Extraction.Windows[0].Start != time.Date(2024, 9, 16, 17, 2, 0, 0, time.UTC) {
				t.Fatalf("statuspage windows = %+v", n.Extraction.Windows)
			}
			if len(n.Extraction.Products) != 1 || n.Extraction.Products[0].Name != "Actions" {
				t.Fatalf("statuspage products = %+v", n.Extraction.Products)
			}
		}
	}
}

func TestFailingSourceDoesNotStopOthers(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.failFeed.Store(true)
	c, st := newCrawler(t, w.sources()[:3])
	var results []crawler.Result
	sum := c.Crawl(ctx, w.sources()[:3], func(r crawler.Result) { results = append(results, r) })
	if sum.OK != 2 || sum.Failed != 1 || len(results) != 3 {
		t.Fatalf("summary = %s, %d results", sum, len(results))
	}
	s, err := st.Source(ctx, "rss")
	if err != nil {
		t.Fatal(err)
	}
	if s.State.LastStatus != 500 || !strings.Contains(s.State.LastError, "500") {
		t.Fatalf("state = %+v", s.State)
	}
	if !s.State.NextCheck.After(time.Now()) {
		t.Fatalf("next check %v should be in the future", s.State.NextCheck)
	}
}

// TestDuplicateAcrossEndpointsKeepsNewer: an id served by both Statuspage
// endpoints is stored from the copy updated last, whichever endpoint is
// read last.
func TestDuplicateAcrossEndpointsKeepsNewer(t *testing.T) {
	entry := func(key, name, updated string) string {
		return fmt.Sprintf(`{"page":{"url":"https://status.example.test"},%q:[{"id":"dup","name":%q,"status":"resolved",`+
			`"created_at":"2024-09-16T10:00:00Z","updated_at":%q}]}`, key, name, updated)
	}
	for _, tc := range []struct {
		name, incident, maintenance string
	}{
		{"newer incident", "2024-09-16T12:00:00Z", "2024-09-16T11:00:00Z"},
		{"newer maintenance", "2024-09-16T11:00:00Z", "2024-09-16T12:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			mux := http.NewServeMux()
			mux.HandleFunc("/sp/api/v2/incidents.json", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, entry("incidents", "incident "+tc.incident, tc.incident))
			})
			mux.HandleFunc("/sp/api/v2/scheduled-maintenances.json", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, entry("scheduled_maintenances", "maintenance "+tc.maintenance, tc.maintenance))
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			src := notice.Source{Name: "sp", Kind: notice.KindStatuspage, URL: srv.URL + "/sp", Interval: time.Minute, Enabled: true}
			c, st := newCrawler(t, []notice.Source{src})
			if sum := c.Crawl(ctx, []notice.Source{src}, nil); sum.OK != 1 || sum.Notices.New != 1 {
				t.Fatalf("crawl: %s", sum)
			}
			list, _, err := st.RecentNotices(ctx, 10, 0)
			if err != nil || len(list) != 1 {
				t.Fatalf("notices: %v %v", list, err)
			}
			if got := list[0].Item.Title; !strings.HasSuffix(got, "12:00:00Z") {
				t.Fatalf("stored %q, want the copy updated at 12:00", got)
			}
		})
	}
}

// TestMalformedEntrySkippedAndCounted: a GCP payload with one broken
// incident still stores the good one, and the result counts the skip.
func TestMalformedEntrySkippedAndCounted(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"id":"bad","begin":"last tuesday"},{"id":"good","begin":"2024-09-10T08:00:00Z","external_desc":"Logging delays"}]`)
	}))
	defer srv.Close()
	src := notice.Source{Name: "gcp", Kind: notice.KindGCP, URL: srv.URL + "/incidents.json", Interval: time.Minute, Enabled: true}
	c, st := newCrawler(t, []notice.Source{src})
	r := c.CrawlSource(ctx, src)
	if r.Err != nil || r.Outcome != notice.OutcomeOK || r.Counts.New != 1 || r.Skipped != 1 {
		t.Fatalf("result = %+v; want ok, 1 new, 1 skipped", r)
	}
	list, _, err := st.RecentNotices(ctx, 10, 0)
	if err != nil || len(list) != 1 || list[0].Item.ItemID != "good" {
		t.Fatalf("notices: %+v %v", list, err)
	}
}

// panicky is an extractor that panics on one source's items, standing in
// for any library that panics on hostile input.
type panicky struct{ source string }

func (p panicky) ExtractItem(it notice.Item) notice.Extraction {
	if it.Source == p.source {
		panic("hostile input")
	}
	return notice.Extraction{Vendor: it.Vendor}
}

// TestPanickingSourceDoesNotStopOthers: a panic while crawling one source
// is recorded as that source's error; the others are crawled and saved.
func TestPanickingSourceDoesNotStopOthers(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	srcs := w.sources()[:3]
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SyncSources(ctx, srcs); err != nil {
		t.Fatal(err)
	}
	f := crawler.NewFetcher(crawler.FetchConfig{AllowPrivate: true, Timeout: 5 * time.Second})
	c := crawler.New(f, st, crawler.Options{Workers: 3, Extractor: panicky{source: "gcp"}})
	var failed []crawler.Result
	sum := c.Crawl(ctx, srcs, func(r crawler.Result) {
		if r.Err != nil {
			failed = append(failed, r)
		}
	})
	if sum.OK != 2 || sum.Failed != 1 || len(failed) != 1 || failed[0].Source != "gcp" {
		t.Fatalf("summary = %s, failed %+v", sum, failed)
	}
	s, err := st.Source(ctx, "gcp")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.State.LastError, "panic") || !strings.Contains(s.State.LastError, "hostile input") || s.State.ConsecutiveErrors != 1 {
		t.Fatalf("gcp state = %+v; want the panic recorded", s.State)
	}
	// Direct calls are protected too.
	if r := c.CrawlSource(ctx, srcs[2]); r.Outcome != notice.OutcomeFailed || r.Err == nil {
		t.Fatalf("CrawlSource = %+v", r)
	}
}

func TestSummaryFormat(t *testing.T) {
	s := crawler.Summary{OK: 6, NotModified: 0, Failed: 9, Notices: notice.CrawlCounts{New: 198, Unchanged: 5}}
	if got, want := s.String(), "sources: 6 ok, 0 not modified, 9 failed; notices: 198 new, 0 updated, 5 unchanged"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}
