package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// fetchTestFetcher returns a Fetcher that may dial the loopback test servers.
func fetchTestFetcher(cfg FetchConfig) *Fetcher {
	cfg.AllowPrivate = true
	return NewFetcher(cfg)
}

func TestFetchOKWithValidators(t *testing.T) {
	sent := make(chan http.Header, 1)
	srv := newFetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		sent <- r.Header.Clone()
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 01 Apr 2025 10:00:00 GMT")
		_, _ = w.Write([]byte("<feed/>"))
	})
	resp, err := fetchTestFetcher(FetchConfig{}).Fetch(context.Background(), srv.URL+"/feed", notice.Validators{})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	want := Response{
		URL:         srv.URL + "/feed",
		StatusCode:  200,
		Body:        []byte("<feed/>"),
		ContentType: "application/atom+xml; charset=utf-8",
		Validators:  notice.Validators{ETag: `"v1"`, LastModified: "Tue, 01 Apr 2025 10:00:00 GMT"},
	}
	if resp.URL != want.URL || resp.StatusCode != want.StatusCode || resp.NotModified ||
		!bytes.Equal(resp.Body, want.Body) || resp.ContentType != want.ContentType || resp.Validators != want.Validators {
		t.Errorf("Fetch = %+v, want %+v", *resp, want)
	}
	got := <-sent
	for _, h := range []string{"If-None-Match", "If-Modified-Since"} {
		if _, ok := got[h]; ok {
			t.Errorf("%s sent without stored validators", h)
		}
	}
	if ua := got.Get("User-Agent"); !strings.HasPrefix(ua, "gapwatch/") {
		t.Errorf("User-Agent = %q, want gapwatch/...", ua)
	}
	if acc := got.Get("Accept"); !strings.Contains(acc, "application/rss+xml") || !strings.Contains(acc, "application/json") {
		t.Errorf("Accept = %q, want feed and JSON types", acc)
	}
}

func TestFetchConditional(t *testing.T) {
	const etag, lm = `"abc"`, "Tue, 01 Apr 2025 10:00:00 GMT"
	tests := []struct {
		name         string
		sent         notice.Validators
		wantINM      string
		wantIMS      string
		wantNotMod   bool
		wantValidity notice.Validators
	}{
		{"none stored", notice.Validators{}, "", "", false, notice.Validators{ETag: etag, LastModified: lm}},
		{"etag only", notice.Validators{ETag: etag}, etag, "", true, notice.Validators{ETag: etag}},
		{"last-modified only", notice.Validators{LastModified: lm}, "", lm, true, notice.Validators{LastModified: lm}},
		{"both", notice.Validators{ETag: etag, LastModified: lm}, etag, lm, true, notice.Validators{ETag: etag, LastModified: lm}},
		{"stale etag", notice.Validators{ETag: `"old"`}, `"old"`, "", false, notice.Validators{ETag: etag, LastModified: lm}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sent := make(chan [2]string, 1)
			srv := newFetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
				sent <- [2]string{inm, ims}
				if inm == etag || (inm == "" && ims == lm) {
					w.WriteHeader(http.StatusNotModified) // no validators repeated
					return
				}
				w.Header().Set("ETag", etag)
				w.Header().Set("Last-Modified", lm)
				_, _ = w.Write([]byte("{}"))
			})
			resp, err := fetchTestFetcher(FetchConfig{}).Fetch(context.Background(), srv.URL, tt.sent)
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if got := <-sent; got != [2]string{tt.wantINM, tt.wantIMS} {
				inm, ims := got[0], got[1]
				t.Errorf("sent If-None-Match %q If-Modified-Since %q, want %q %q", inm, ims, tt.wantINM, tt.wantIMS)
			}
			if resp.NotModified != tt.wantNotMod {
				t.Errorf("NotModified = %v, want %v", resp.NotModified, tt.wantNotMod)
			}
			if tt.wantNotMod && (resp.StatusCode != http.StatusNotModified || len(resp.Body) != 0) {
				t.Errorf("304: StatusCode %d, %d body bytes", resp.StatusCode, len(resp.Body))
			}
			if resp.Validators != tt.wantValidity {
				t.Errorf("Validators = %+v, want %+v", resp.Validators, tt.wantValidity)
			}
		})
	}
}

func TestFetchRemoteError(t *testing.T) {
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		wantMin    time.Duration
		wantMax    time.Duration
	}{
		{"429 seconds", http.StatusTooManyRequests, "120", 120 * time.Second, 120 * time.Second},
		{"503 http-date", http.StatusServiceUnavailable, date, 85 * time.Second, 90 * time.Second},
		{"500 no header", http.StatusInternalServerError, "", 0, 0},
		{"404", http.StatusNotFound, "", 0, 0},
		{"503 garbage", http.StatusServiceUnavailable, "soon", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFetchTestServer(t, func(w http.ResponseWriter, _ *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte("try later"))
			})
			resp, err := fetchTestFetcher(FetchConfig{}).Fetch(context.Background(), srv.URL+"/x", notice.Validators{})
			var re *RemoteError
			if !errors.As(err, &re) {
				t.Fatalf("Fetch = %v, %v; want *RemoteError", resp, err)
			}
			if re.StatusCode != tt.status || re.URL != srv.URL+"/x" {
				t.Errorf("RemoteError = %+v, want status %d URL %s/x", re, tt.status, srv.URL)
			}
			if re.RetryAfter < tt.wantMin || re.RetryAfter > tt.wantMax {
				t.Errorf("RetryAfter = %v, want in [%v, %v]", re.RetryAfter, tt.wantMin, tt.wantMax)
			}
			if !strings.Contains(re.Error(), strconv.Itoa(tt.status)) {
				t.Errorf("Error() = %q, want the status code", re.Error())
			}
		})
	}
}

func fetchTestGzip(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFetchGzip(t *testing.T) {
	body := strings.Repeat(`{"incident":"degraded performance"}`, 200)
	compressed := fetchTestGzip(t, body)
	srv := newFetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("Accept-Encoding = %q, want gzip", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(compressed)))
		_, _ = w.Write(compressed)
	})
	tests := []struct {
		name    string
		maxBody int64
		wantErr error
	}{
		{"fits", int64(len(body)), nil},
		{"decompressed over cap", int64(len(body)) - 1, ErrBodyTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := fetchTestFetcher(FetchConfig{MaxBody: tt.maxBody}).Fetch(context.Background(), srv.URL, notice.Validators{})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if string(resp.Body) != body {
				t.Errorf("body = %d bytes, want the %d decompressed bytes", len(resp.Body), len(body))
			}
		})
	}
}

func TestFetchGzipBomb(t *testing.T) {
	const bomb = 1 << 30 // 1 GiB of zeros, compressed on the fly
	var produced atomic.Int64
	srv := newFetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		chunk := make([]byte, 64<<10)
		for produced.Load() < bomb && r.Context().Err() == nil {
			if _, err := zw.Write(chunk); err != nil {
				return
			}
			produced.Add(int64(len(chunk)))
		}
		_ = zw.Close()
	})
	start := time.Now()
	_, err := fetchTestFetcher(FetchConfig{MaxBody: 1 << 20}).Fetch(context.Background(), srv.URL, notice.Validators{})
	elapsed := time.Since(start)
	if !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("error = %v, want ErrBodyTooLarge", err)
	}
	srv.Close() // wait for the handler to notice the client went away
	if p := produced.Load(); p >= bomb {
		t.Errorf("server produced the whole %d bytes; the client read past the cap", p)
	}
	t.Logf("Fetch stopped after %v; server produced %d MiB of zeros before noticing", elapsed, produced.Load()>>20)
}

func TestFetchOversizePlain(t *testing.T) {
	const limit = 1000
	tests := []struct {
		name    string
		size    int
		chunked bool // no Content-Length: the cap must hit while reading
		wantErr bool
	}{
		{"at cap", limit, false, false},
		{"content-length over cap", limit + 1, false, true},
		{"chunked at cap", limit, true, false},
		{"chunked over cap", 5 * limit, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFetchTestServer(t, func(w http.ResponseWriter, _ *http.Request) {
				if !tt.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(tt.size))
				}
				for i := 0; i < tt.size; i += 100 {
					_, _ = w.Write(bytes.Repeat([]byte("x"), min(100, tt.size-i)))
					w.(http.Flusher).Flush()
				}
			})
			resp, err := fetchTestFetcher(FetchConfig{MaxBody: limit}).Fetch(context.Background(), srv.URL, notice.Validators{})
			if tt.wantErr {
				if !errors.Is(err, ErrBodyTooLarge) {
					t.Fatalf("error = %v, want ErrBodyTooLarge", err)
				}
				return
			}
			if err != nil || len(resp.Body) != tt.size {
				t.Fatalf("Fetch = %d bytes, %v; want %d bytes", len(resp.Body), err, tt.size)
			}
		})
	}
}

func TestFetchSlow(t *testing.T) {
	tests := []struct {
		name    string
		cfg     FetchConfig
		handler http.HandlerFunc
	}{
		{"trickling body", FetchConfig{Timeout: 300 * time.Millisecond}, func(w http.ResponseWriter, r *http.Request) {
			for {
				_, _ = w.Write([]byte("x"))
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(2 * time.Second):
				}
			}
		}},
		{"slow headers", FetchConfig{Timeout: 10 * time.Second, HeaderTimeout: 200 * time.Millisecond}, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFetchTestServer(t, tt.handler)
			start := time.Now()
			_, err := fetchTestFetcher(tt.cfg).Fetch(context.Background(), srv.URL, notice.Validators{})
			if err == nil {
				t.Fatal("Fetch succeeded, want a timeout")
			}
			if elapsed := time.Since(start); elapsed > 1500*time.Millisecond {
				t.Errorf("Fetch took %v, want it cut near the timeout", elapsed)
			}
			var ne interface{ Timeout() bool }
			if !errors.Is(err, context.DeadlineExceeded) && !(errors.As(err, &ne) && ne.Timeout()) {
				t.Errorf("error = %v, want a timeout", err)
			}
		})
	}
}

func TestFetchRedirects(t *testing.T) {
	const maxRedirects = 3
	tests := []struct {
		name    string
		path    string
		wantErr bool
		wantURL string
	}{
		{"loop", "/loop/a", true, ""},
		{"chain at limit", fmt.Sprintf("/chain/%d", maxRedirects), false, "/chain/0"},
		{"chain over limit", fmt.Sprintf("/chain/%d", maxRedirects+1), true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.URL.Path == "/loop/a":
					http.Redirect(w, r, "/loop/b", http.StatusFound)
				case r.URL.Path == "/loop/b":
					http.Redirect(w, r, "/loop/a", http.StatusMovedPermanently)
				case r.URL.Path == "/chain/0":
					_, _ = w.Write([]byte("end"))
				default:
					n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/chain/"))
					http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusTemporaryRedirect)
				}
			})
			resp, err := fetchTestFetcher(FetchConfig{MaxRedirects: maxRedirects}).Fetch(context.Background(), srv.URL+tt.path, notice.Validators{})
			if tt.wantErr {
				if !errors.Is(err, ErrTooManyRedirects) {
					t.Fatalf("error = %v, want ErrTooManyRedirects", err)
				}
				if n := srv.hits.Load(); n != maxRedirects+1 {
					t.Errorf("server saw %d requests, want %d", n, maxRedirects+1)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if resp.URL != srv.URL+tt.wantURL || string(resp.Body) != "end" {
				t.Errorf("Fetch = %s %q, want %s%s \"end\"", resp.URL, resp.Body, srv.URL, tt.wantURL)
			}
		})
	}
}

func TestFetchRejectsBadURL(t *testing.T) {
	f := fetchTestFetcher(FetchConfig{})
	for _, u := range []string{"", "ftp://127.0.0.1/x", "file:///etc/passwd", "/relative", "http://", "http://%zz"} {
		t.Run(u, func(t *testing.T) {
			if _, err := f.Fetch(context.Background(), u, notice.Validators{}); err == nil {
				t.Errorf("Fetch(%q) succeeded, want an error", u)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 4, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"120", 2 * time.Minute},
		{" 5 ", 5 * time.Second},
		{"-5", 0},
		{"+5", 0},
		{"1.5", 0},
		{"soon", 0},
		{"Tue, 01 Apr 2025 10:01:30 GMT", 90 * time.Second},
		{"Tuesday, 01-Apr-25 10:01:30 GMT", 90 * time.Second}, // obsolete RFC 850 form
		{"Tue Apr  1 10:01:30 2025", 90 * time.Second},        // asctime form
		{"Tue, 01 Apr 2025 09:00:00 GMT", 0},                  // in the past
		{"99999999999999999999999", time.Duration(1<<63-1) / time.Second * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ParseRetryAfter(tt.in, now); got != tt.want {
				t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "Tue, 01 Apr 2025 10:01:30 GMT", "-1", "", "9999999999999999999"} {
		f.Add(s)
	}
	now := time.Date(2025, 4, 1, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if d := ParseRetryAfter(s, now); d < 0 {
			t.Errorf("ParseRetryAfter(%q) = %v, want >= 0", s, d)
		}
	})
}
