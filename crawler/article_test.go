package crawler_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

const articlePage = `<!doctype html><html><head><title>Logs lost</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About us</a></nav>
<div class="sidebar"><h3>Popular</h3><ul><li><a href="/x">Other story</a></li></ul></div>
<article><h1>Microsoft lost two weeks of security logs</h1>
<p>Microsoft has told customers that a bug in its internal monitoring agents caused security logs to be lost
between September 2 and September 19, 2024, for services including Entra ID, Microsoft Sentinel and Defender for Cloud.</p>
<p>The company says the agents failed to upload log data to its logging platform, and that customers who rely on
these logs to detect threats may have had gaps in their SIEM data. The issue has been fixed.</p>
<p>Security teams are advised to review their detections for the affected period and to check for missing events.</p>
</article>
<footer>Copyright 2024 Example News. All rights reserved. Privacy policy. Cookie settings.</footer>
</body></html>`

func TestFetchArticleForShortItems(t *testing.T) {
	ctx := context.Background()
	var articleHits atomic.Int32
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>%[1]s</link><description>n</description>
<item><title>Microsoft lost security logs</title><link>%[1]s/article</link><guid>a1</guid><pubDate>Tue, 15 Oct 2024 09:00:00 GMT</pubDate>
<description>Two weeks of logs gone.</description></item>
<item><title>Long item</title><link>%[1]s/never</link><guid>a2</guid><pubDate>Tue, 15 Oct 2024 08:00:00 GMT</pubDate>
<description>%[2]s</description></item></channel></rss>`, srv.URL, strings.Repeat("A full story told in the feed itself. ", 40))
	})
	mux.HandleFunc("/article", func(w http.ResponseWriter, r *http.Request) {
		articleHits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, articlePage)
	})
	mux.HandleFunc("/never", func(w http.ResponseWriter, r *http.Request) {
		t.Error("article fetched for an item that carries its full text")
	})
	srv = httptest.NewServer(mux)
	defer srv.Close()
	src := notice.Source{Name: "news", Kind: notice.KindFeed, URL: srv.URL + "/feed.xml", Interval: time.Minute,
		Enabled: true, FetchArticle: true, Language: "en"}
	c, st := newCrawler(t, []notice.Source{src})
	if sum := c.Crawl(ctx, []notice.Source{src}, nil); sum.OK != 1 || sum.Notices.New != 2 {
		t.Fatalf("crawl: %s", sum)
	}
	list, _, err := st.RecentNotices(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	var n notice.Notice
	for _, x := range list {
		if x.Item.ItemID == "a1" {
			n = x
		}
	}
	if !strings.Contains(n.Item.Text, "between September 2 and September 19, 2024") || strings.Contains(n.Item.Text, "Cookie settings") {
		t.Fatalf("article text not extracted: %q", n.Item.Text)
	}
	if n.Item.Summary != "Two weeks of logs gone." {
		t.Fatalf("summary = %q", n.Item.Summary)
	}
	// The feed is unchanged (same bytes, though served without
	// validators): a re-crawl neither reparses it nor refetches the article.
	if sum := c.Crawl(ctx, []notice.Source{src}, nil); sum.NotModified != 1 {
		t.Fatalf("recrawl: %s", sum)
	}
	if got := articleHits.Load(); got != 1 {
		t.Fatalf("article fetched %d times, want 1", got)
	}
}

// TestArticleRetriedAfterFailure: a linked page that fails is fetched again
// on the next crawl, and its text then makes a new version, whether or not
// the feed answers conditional requests with 304 (a kept ETag or
// Last-Modified would otherwise hide the feed, and the retry, for good).
func TestArticleRetriedAfterFailure(t *testing.T) {
	const lastMod = "Tue, 15 Oct 2024 09:00:00 GMT"
	for _, tc := range []struct {
		name       string
		validators bool
		etag       bool
	}{
		{name: "no validators"},
		{name: "etag", validators: true, etag: true},
		{name: "last-modified", validators: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			var fail atomic.Bool
			var notModified, articleHits atomic.Int32
			fail.Store(true)
			var srv *httptest.Server
			mux := http.NewServeMux()
			mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
				if tc.validators && (r.Header.Get("If-None-Match") == `"v1"` || r.Header.Get("If-Modified-Since") == lastMod) {
					notModified.Add(1)
					w.WriteHeader(http.StatusNotModified)
					return
				}
				if tc.etag {
					w.Header().Set("ETag", `"v1"`)
				} else if tc.validators {
					w.Header().Set("Last-Modified", lastMod)
				}
				w.Header().Set("Content-Type", "application/rss+xml")
				fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><link>%[1]s</link><description>n</description>
<item><title>Microsoft lost security logs</title><link>%[1]s/article</link><guid>a1</guid><pubDate>Tue, 15 Oct 2024 09:00:00 GMT</pubDate>
<description>Two weeks of logs gone.</description></item></channel></rss>`, srv.URL)
			})
			mux.HandleFunc("/article", func(w http.ResponseWriter, r *http.Request) {
				articleHits.Add(1)
				if fail.Load() {
					http.Error(w, "busy", http.StatusServiceUnavailable)
					return
				}
				fmt.Fprint(w, articlePage)
			})
			srv = httptest.NewServer(mux)
			defer srv.Close()
			src := notice.Source{Name: "news", Kind: notice.KindFeed, URL: srv.URL + "/feed.xml", Interval: time.Minute,
				Enabled: true, FetchArticle: true}
			c, st := newCrawler(t, []notice.Source{src})
			text := func() string {
				list, _, err := st.RecentNotices(ctx, 10, 0)
				if err != nil || len(list) != 1 {
					t.Fatalf("notices: %v %v", list, err)
				}
				return list[0].Item.Text
			}
			if sum := c.Crawl(ctx, []notice.Source{src}, nil); sum.Notices.New != 1 || text() != "Two weeks of logs gone." {
				t.Fatalf("first crawl: %s, text %q", sum, text())
			}
			// Still failing: retried, nothing new stored.
			if sum := c.Crawl(ctx, []notice.Source{src}, nil); sum.Notices.Unchanged != 1 || articleHits.Load() != 2 {
				t.Fatalf("second crawl: %s, article hits %d, 304s %d", sum, articleHits.Load(), notModified.Load())
			}
			fail.Store(false)
			if sum := c.Crawl(ctx, []notice.Source{src}, nil); sum.Notices.Updated != 1 || !strings.Contains(text(), "September 2 and September 19") {
				t.Fatalf("after recovery: %s, text %q, 304s %d", sum, text(), notModified.Load())
			}
			// The article is in: validators are kept again, and a server
			// that honours them answers 304.
			if sum := c.Crawl(ctx, []notice.Source{src}, nil); sum.NotModified != 1 {
				t.Fatalf("after the article: %s", sum)
			}
			if tc.validators && notModified.Load() != 1 {
				t.Fatalf("304s = %d, want 1 (only after the article arrived)", notModified.Load())
			}
		})
	}
}
