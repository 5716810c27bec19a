package demo_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/demo"
	"github.com/gapwatch/gapwatch/notice"
	"golang.org/x/text/encoding/charmap"
)

// today is the demo world's "now": no notice may be dated after it.
var (
	earliest = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	today    = time.Date(2026, 11, 27, 23, 59, 59, 0, time.UTC)
)

// current is the world the test helpers talk to (tests are sequential).
var current *demo.World

// startWorld starts a world that is closed when the test ends.
func startWorld(t *testing.T) *demo.World {
	t.Helper()
	w, err := demo.Start(t.Context())
	current = w
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	current = w
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return w
}

// rawClient does not negotiate gzip on its own, so tests see exactly what
// the server sends.
func rawClient() *http.Client {
	return current.Client()
}

// fetch GETs u with extra headers and returns the response and its body.
func fetch(t *testing.T, u string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatalf("new request %s: %v", u, err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := rawClient().Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", u, err)
	}
	return resp, body
}

// fetchOK GETs u and fails the test unless it answers 200.
func fetchOK(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	resp, body := fetch(t, u, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200", u, resp.StatusCode)
	}
	return resp, body
}

// payloadURLs returns the URLs a crawler fetches for a source.
func payloadURLs(s notice.Source) []string {
	if s.Kind == notice.KindStatuspage {
		return []string{s.URL + "/api/v2/incidents.json", s.URL + "/api/v2/scheduled-maintenances.json"}
	}
	return []string{s.URL}
}

// decodeBody returns body as UTF-8, decoding ISO-8859-1 when the
// Content-Type says so.
func decodeBody(t *testing.T, resp *http.Response, body []byte) string {
	t.Helper()
	if !strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "iso-8859-1") {
		return string(body)
	}
	out, err := charmap.ISO8859_1.NewDecoder().Bytes(body)
	if err != nil {
		t.Fatalf("decode ISO-8859-1: %v", err)
	}
	return string(out)
}

func TestStartServesOnLoopback(t *testing.T) {
	w, err := demo.Start(t.Context())
	current = w
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	u, err := url.Parse("http://" + w.Addr)
	if err != nil {
		t.Fatalf("parse addr %q: %v", w.Addr, err)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		t.Fatalf("world listens on %q, want a loopback IP", u.Host)
	}
	_, body := fetchOK(t, w.URL+"/")
	for _, s := range w.Sources {
		if !bytes.Contains(body, []byte(s.URL)) {
			t.Errorf("index page does not list %s", s.URL)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if resp, err := rawClient().Get(w.URL + "/"); err == nil {
		resp.Body.Close()
		t.Fatalf("GET after Close succeeded with status %d", resp.StatusCode)
	}
}

func TestStartStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	w, err := demo.Start(ctx)
	current = w
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	fetchOK(t, w.URL+"/")
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := rawClient().Get(w.URL + "/")
		if err != nil {
			break
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("server still answering 5s after its context ended")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := w.Close(); err != nil {
		t.Errorf("Close after context end: %v", err)
	}
}

func TestSourcesConfig(t *testing.T) {
	w := startWorld(t)
	names := map[string]bool{}
	languages := map[string]bool{}
	for _, s := range w.Sources {
		t.Run(s.Name, func(t *testing.T) {
			if names[s.Name] {
				t.Errorf("duplicate source name")
			}
			names[s.Name] = true
			languages[s.Language] = true
			if !s.Kind.Valid() {
				t.Errorf("kind %q is not valid", s.Kind)
			}
			if !strings.HasPrefix(s.URL, w.URL+"/") {
				t.Errorf("URL %q is not on the world server %s", s.URL, w.URL)
			}
			if s.Interval != 5*time.Minute || !s.Enabled {
				t.Errorf("interval %v enabled %v, want 5m and enabled", s.Interval, s.Enabled)
			}
			if news := s.Vendor == ""; news != s.FetchArticle {
				t.Errorf("vendor %q with FetchArticle %v: news feeds (no vendor) and only they fetch articles", s.Vendor, s.FetchArticle)
			}
			if s.Timezone != "" {
				if _, err := time.LoadLocation(s.Timezone); err != nil {
					t.Errorf("timezone: %v", err)
				}
			}
		})
	}
	for _, lang := range []string{"en", "fr"} {
		if !languages[lang] {
			t.Errorf("no %q source", lang)
		}
	}
}

func TestTenantGapsCSVServed(t *testing.T) {
	w := startWorld(t)
	resp, body := fetchOK(t, w.URL+"/tenant/gaps.csv")
	if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/csv") {
		t.Errorf("Content-Type %q, want text/csv", got)
	}
	if !bytes.Equal(body, demo.TenantGapsCSV()) {
		t.Error("served gaps.csv differs from TenantGapsCSV()")
	}
}

func TestGzip(t *testing.T) {
	w := startWorld(t)
	for _, s := range w.Sources {
		u := payloadURLs(s)[0]
		t.Run(s.Name, func(t *testing.T) {
			_, plain := fetchOK(t, u)
			resp, zipped := fetch(t, u, map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("status %d Content-Encoding %q, want 200 gzip", resp.StatusCode, resp.Header.Get("Content-Encoding"))
			}
			if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q lacks Accept-Encoding", resp.Header.Get("Vary"))
			}
			zr, err := gzip.NewReader(bytes.NewReader(zipped))
			if err != nil {
				t.Fatalf("gzip reader: %v", err)
			}
			unzipped, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("gunzip: %v", err)
			}
			if !bytes.Equal(unzipped, plain) {
				t.Error("gzip body does not decompress to the identity body")
			}
			resp, _ = fetch(t, u, map[string]string{"Accept-Encoding": "gzip;q=0, identity"})
			if enc := resp.Header.Get("Content-Encoding"); enc != "" {
				t.Errorf("Content-Encoding %q when gzip is refused", enc)
			}
		})
	}
}

func TestUnknownAndHiddenPaths(t *testing.T) {
	w := startWorld(t)
	for _, p := range []string{
		"/nope",
		"/status/aws/rss/missing.rss",
		"/news/securitywire/_layout.html",
		"/README.md",
		"/statuspage/github/api/v2/summary.json",
		"/../../etc/passwd",
	} {
		t.Run(p, func(t *testing.T) {
			resp, _ := fetch(t, w.URL+p, nil)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("status %d, want 404", resp.StatusCode)
			}
		})
	}
	t.Run("POST", func(t *testing.T) {
		resp, err := rawClient().Post(w.Sources[0].URL, "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatalf("POST: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") == "" {
			t.Errorf("status %d Allow %q, want 405 with Allow", resp.StatusCode, resp.Header.Get("Allow"))
		}
	})
}
