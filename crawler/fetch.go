package crawler

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// Defaults applied by NewFetcher to zero (or negative) FetchConfig fields.
const (
	fetchDefaultTimeout        = 20 * time.Second
	fetchDefaultConnectTimeout = 10 * time.Second
	fetchDefaultHeaderTimeout  = 15 * time.Second
	fetchDefaultMaxBody        = 10 << 20
	fetchDefaultPerHost        = 2
	fetchDefaultMaxRedirects   = 5
	fetchDefaultUserAgent      = "gapwatch/0.1 (+https://github.com/gapwatch/gapwatch)"

	// fetchAccept prefers the formats the parsers understand (feeds, JSON
	// APIs) while still accepting anything, since many vendors serve feeds
	// as text/xml or text/html.
	fetchAccept = "application/feed+json, application/atom+xml, application/rss+xml, " +
		"application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
	// fetchDrainLimit is how much of an error body is read so the connection
	// can be reused; larger bodies just close the connection.
	fetchDrainLimit = 4 << 10
)

// ErrBodyTooLarge is returned (wrapped) when a response body, compressed or
// decompressed, exceeds FetchConfig.MaxBody; it protects workers from huge
// responses and gzip bombs.
var ErrBodyTooLarge = errors.New("response body too large")

// ErrTooManyRedirects is returned (wrapped) when a fetch follows more than
// FetchConfig.MaxRedirects redirects, which also ends redirect loops.
var ErrTooManyRedirects = errors.New("too many redirects")

// FetchConfig configures a Fetcher. Zero values get defaults (Timeout 20s,
// ConnectTimeout 10s, HeaderTimeout 15s, MaxBody 10 MiB, PerHost 2,
// MaxRedirects 5, a descriptive gapwatch UserAgent) so that the zero value
// is a safe production configuration.
type FetchConfig struct {
	Timeout        time.Duration // whole request including reading the body
	ConnectTimeout time.Duration // TCP connect, and separately the TLS handshake
	HeaderTimeout  time.Duration // from request written to response headers read
	MaxBody        int64         // cap on the DECOMPRESSED body, in bytes
	PerHost        int           // max concurrent requests per host
	MaxRedirects   int
	AllowPrivate   bool // allow loopback/private/link-local/unspecified targets
	UserAgent      string
	// Resolve maps "host:port" to the "ip:port" to dial instead (like curl
	// --resolve), for the offline demo world; the SSRF guard still applies
	// to the address dialled.
	Resolve map[string]string
}

// withDefaults returns cfg with zero or negative fields set to the defaults.
func (cfg FetchConfig) withDefaults() FetchConfig {
	if cfg.Timeout <= 0 {
		cfg.Timeout = fetchDefaultTimeout
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = fetchDefaultConnectTimeout
	}
	if cfg.HeaderTimeout <= 0 {
		cfg.HeaderTimeout = fetchDefaultHeaderTimeout
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = fetchDefaultMaxBody
	}
	if cfg.PerHost <= 0 {
		cfg.PerHost = fetchDefaultPerHost
	}
	if cfg.MaxRedirects <= 0 {
		cfg.MaxRedirects = fetchDefaultMaxRedirects
	}
	if strings.TrimSpace(cfg.UserAgent) == "" {
		cfg.UserAgent = fetchDefaultUserAgent
	}
	return cfg
}

// Fetcher performs conditional HTTP GETs of source URLs with body caps,
// timeouts, a per-host concurrency limit and an SSRF guard at dial time.
// It is safe for concurrent use and holds no package-level state, so tests
// and several crawlers can each own one.
type Fetcher struct {
	cfg    FetchConfig
	client *http.Client
	hosts  *hostLimiter
}

// NewFetcher returns a Fetcher for cfg, with defaults for zero fields.
func NewFetcher(cfg FetchConfig) *Fetcher {
	allow := publicAddrPort
	if cfg.AllowPrivate {
		allow = func(netip.AddrPort) bool { return true }
	}
	return newFetcher(cfg, allow)
}

// resolvingDial dials the override address for hosts listed in resolve
// (like curl --resolve); the guard still checks the address dialled.
func resolvingDial(d *net.Dialer, resolve map[string]string) func(context.Context, string, string) (net.Conn, error) {
	if len(resolve) == 0 {
		return d.DialContext
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if to, ok := resolve[addr]; ok {
			addr = to
		}
		return d.DialContext(ctx, network, addr)
	}
}

// newFetcher builds a Fetcher whose dialer accepts only addresses allowed by
// allow; tests use it to admit one loopback server and refuse another.
func newFetcher(cfg FetchConfig, allow func(netip.AddrPort) bool) *Fetcher {
	cfg = cfg.withDefaults()
	dialer := &net.Dialer{
		Timeout:   cfg.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		Control:   dialGuard(allow),
	}
	transport := &http.Transport{
		Proxy:                  nil, // an environment proxy would dial on our behalf and bypass the guard
		DialContext:            resolvingDial(dialer, cfg.Resolve),
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    cfg.ConnectTimeout,
		ResponseHeaderTimeout:  cfg.HeaderTimeout,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    cfg.PerHost,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 1 << 20,
		// gzip is negotiated and decoded in readBody so the cap applies to
		// both the compressed and the decompressed stream.
		DisableCompression: true,
	}
	maxRedirects := cfg.MaxRedirects
	client := &http.Client{
		Transport: transport,
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("%w: stopped after %d", ErrTooManyRedirects, maxRedirects)
			}
			return nil
		},
	}
	return &Fetcher{cfg: cfg, client: client, hosts: newHostLimiter(cfg.PerHost)}
}

// Response is the outcome of a successful (2xx) or not-modified (304) fetch.
type Response struct {
	URL         string // final URL after redirects
	StatusCode  int
	NotModified bool // 304: Body is empty and the stored copy is still current
	Body        []byte
	ContentType string
	// Validators are the ETag / Last-Modified of the response, to store for
	// the next conditional fetch. On 304 they are the ones sent, updated by
	// any the server repeated (RFC 9110 §15.4.5).
	Validators notice.Validators
}

// RemoteError is the one typed error for a remote failure: any final status
// other than 2xx or 304. RetryAfter carries the server's Retry-After so the
// scheduler can back off (429, 503); it is 0 when absent or invalid.
type RemoteError struct {
	URL        string
	StatusCode int
	RetryAfter time.Duration
}

// Error describes the failure with its status and any requested delay.
func (e *RemoteError) Error() string {
	msg := fmt.Sprintf("crawler: fetch %s: HTTP %d %s", e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// Fetch does a GET of rawURL (http or https only). v may be zero; its ETag
// and Last-Modified are sent as If-None-Match / If-Modified-Since only when
// set (RFC 9110 §13.1). Waiting for a per-host slot honours ctx but does not
// count towards FetchConfig.Timeout, which bounds the request itself,
// including reading the body.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, v notice.Validators) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("crawler: fetch %q: %w", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" {
		return nil, fmt.Errorf("crawler: fetch %q: only absolute http(s) URLs are fetched", rawURL)
	}
	release, err := f.hosts.acquire(ctx, strings.ToLower(u.Hostname()))
	if err != nil {
		return nil, fmt.Errorf("crawler: fetch %s: waiting for host slot: %w", rawURL, err)
	}
	defer release()

	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("crawler: fetch %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", fetchAccept)
	req.Header.Set("Accept-Encoding", "gzip")
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("crawler: fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	return f.handle(ctx, resp, v)
}

// handle turns a response into a Response or a *RemoteError.
func (f *Fetcher) handle(ctx context.Context, resp *http.Response, sent notice.Validators) (*Response, error) {
	out := &Response{
		URL:         resp.Request.URL.String(),
		StatusCode:  resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		Validators: notice.Validators{
			ETag:         resp.Header.Get("ETag"),
			LastModified: resp.Header.Get("Last-Modified"),
		},
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		if out.Validators.ETag == "" {
			out.Validators.ETag = sent.ETag
		}
		if out.Validators.LastModified == "" {
			out.Validators.LastModified = sent.LastModified
		}
		return out, nil
	case resp.StatusCode >= 200 && resp.StatusCode <= 299:
		body, err := f.readBody(resp)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
				err = fmt.Errorf("%w (%w)", err, ctxErr)
			}
			return nil, fmt.Errorf("crawler: fetch %s: read body: %w", out.URL, err)
		}
		out.Body = body
		return out, nil
	default:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, fetchDrainLimit))
		return nil, &RemoteError{
			URL:        out.URL,
			StatusCode: resp.StatusCode,
			RetryAfter: ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		}
	}
}

// readBody reads the body, decoding gzip itself so that MaxBody caps the
// bytes on the wire and the decompressed bytes alike: a gzip bomb stops
// after MaxBody+1 decompressed bytes, never allocating more.
func (f *Fetcher) readBody(resp *http.Response) ([]byte, error) {
	limit := f.cfg.MaxBody
	if resp.ContentLength > limit {
		return nil, fmt.Errorf("%w: Content-Length %d exceeds %d", ErrBodyTooLarge, resp.ContentLength, limit)
	}
	var r io.Reader = &bodyCapReader{r: resp.Body, left: limit}
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		gz, err := gzip.NewReader(r)
		if errors.Is(err, io.EOF) {
			return []byte{}, nil // empty body despite the header (e.g. 204)
		}
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer gz.Close()
		r = &bodyCapReader{r: gz, left: limit}
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", enc)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return body, nil
}

// bodyCapReader reads at most left bytes from r and fails with
// ErrBodyTooLarge as soon as one more byte is available. Unlike
// io.LimitReader it distinguishes "exactly at the cap" from "over it".
type bodyCapReader struct {
	r    io.Reader
	left int64
}

func (c *bodyCapReader) Read(p []byte) (int, error) {
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1] // room for one byte past the cap, to detect overflow
	}
	n, err := c.r.Read(p)
	if int64(n) > c.left {
		c.left = -1
		return 0, ErrBodyTooLarge
	}
	c.left -= int64(n)
	return n, err
}

// ParseRetryAfter reads an RFC 9110 §10.2.3 Retry-After value, either
// delay-seconds or an HTTP-date, relative to now. It returns 0 when the value
// is absent, invalid or in the past, so callers can use it unconditionally.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if strings.Trim(v, "0123456789") == "" { // delay-seconds = 1*DIGIT: no sign, no fraction
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > math.MaxInt64/int64(time.Second) {
			return time.Duration(math.MaxInt64 / int64(time.Second) * int64(time.Second))
		}
		return time.Duration(secs) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	if d := t.Sub(now); d > 0 {
		return d
	}
	return 0
}
