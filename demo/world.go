package demo

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// embedded holds the demo world; "all:" keeps the _layout.html files.
//
//go:embed all:world
var embedded embed.FS

// shutdownTimeout bounds how long Close waits for in-flight requests.
const shutdownTimeout = 2 * time.Second

// World is a running demo vendor world on a loopback address.
type World struct {
	// URL is the world's base URL, on the reserved host Host whatever port
	// the server is on, so that demo items keep the same links (and so the
	// same identity and content) from one run to the next. Clients reach it
	// through Resolve.
	URL string
	// Sources are the demo sources, one per feed, with absolute URLs on
	// URL, ready to be crawled.
	Sources []notice.Source
	// Addr is the loopback address the server listens on.
	Addr string

	srv       *http.Server
	served    chan error // the result of srv.Serve
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// Host is the demo world's host name in every URL it serves. It is under
// the reserved .test top-level domain (RFC 2606), so it never resolves on a
// real network; clients dial the world's loopback address instead (Resolve).
const Host = "demo.gapwatch.test"

// Start serves the bundled demo feeds on 127.0.0.1 (random port) until ctx
// ends or Close is called. It binds to loopback only, so the demo never
// exposes anything to the network.
func Start(ctx context.Context) (*World, error) {
	return StartAt(ctx, "127.0.0.1:0")
}

// StartAt is Start on a given loopback address ("127.0.0.1:0" for any port).
func StartAt(ctx context.Context, addr string) (*World, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("demo: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("demo: address %q is not a loopback IP", addr)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("demo: listen: %w", err)
	}
	base := "http://" + Host
	s, err := buildSite(Files(), base)
	if err == nil {
		err = s.addIndex(base)
	}
	if err != nil {
		return nil, errors.Join(err, ln.Close())
	}
	w := &World{
		URL:     base,
		Addr:    ln.Addr().String(),
		Sources: sources(base),
		srv:     &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second},
		served:  make(chan error, 1),
		done:    make(chan struct{}),
	}
	go func() { w.served <- w.srv.Serve(ln) }()
	go func() {
		select {
		case <-ctx.Done():
			_ = w.Close() // the caller that cancelled has no one to report to
		case <-w.done:
		}
	}()
	return w, nil
}

// Close stops the server, waiting briefly for in-flight requests. It is safe
// to call more than once; later calls return the first result.
func (w *World) Close() error {
	w.closeOnce.Do(func() {
		close(w.done)
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		err := w.srv.Shutdown(ctx)
		if err != nil {
			err = errors.Join(err, w.srv.Close())
		}
		if serr := <-w.served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
		if err != nil {
			w.closeErr = fmt.Errorf("demo: close: %w", err)
		}
	})
	return w.closeErr
}

// TenantGapsCSV returns the bundled demo tenant's gap CSV (header
// `source,product,start,end,note`, times RFC 3339 UTC), whose gaps are
// explained by demo notices except one, which no notice explains.
func TenantGapsCSV() []byte {
	data, err := fs.ReadFile(Files(), "tenant/gaps.csv")
	if err != nil {
		panic("demo: embedded tenant/gaps.csv missing: " + err.Error()) // cannot happen: it is embedded
	}
	return data
}

// Files returns the embedded world (feeds, article fragments and layouts,
// tenant gaps) as stored, before base-URL substitution, for tests and
// inspection.
func Files() fs.FS {
	sub, err := fs.Sub(embedded, "world")
	if err != nil {
		panic("demo: embedded world missing: " + err.Error()) // cannot happen: it is embedded
	}
	return sub
}

// indexTemplate renders the world's home page, a map for a newcomer who
// opens the URL in a browser.
var indexTemplate = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gapwatch demo vendor world</title></head>
<body>
<h1>gapwatch demo vendor world</h1>
<p>Sample vendor status feeds and security news served offline for <code>gapwatch serve --demo</code>. The notices are illustrative, not the vendors' own communications.</p>
<table>
<tr><th>Source</th><th>Kind</th><th>Vendor</th><th>Language</th><th>URL</th></tr>
{{range .Sources}}<tr><td>{{.Name}}</td><td>{{.Kind}}</td><td>{{.Vendor}}</td><td>{{.Language}}</td><td><a href="{{.URL}}">{{.URL}}</a></td></tr>
{{end}}</table>
<p>Demo tenant gaps: <a href="{{.Base}}/tenant/gaps.csv">{{.Base}}/tenant/gaps.csv</a></p>
</body></html>
`))

// addIndex renders the home page, served at "/".
func (s *site) addIndex(base string) error {
	var buf bytes.Buffer
	data := struct {
		Base    string
		Sources []notice.Source
	}{base, sources(base)}
	if err := indexTemplate.Execute(&buf, data); err != nil {
		return fmt.Errorf("demo: render index: %w", err)
	}
	res, err := newResource(buf.Bytes(), "text/html; charset=utf-8")
	if err != nil {
		return fmt.Errorf("demo: index: %w", err)
	}
	s.resources["/index.html"] = res
	return nil
}

// Resolve maps the world's host:port to the address it listens on, for a
// fetcher's dial override.
func (w *World) Resolve() map[string]string {
	return map[string]string{Host + ":80": w.Addr}
}

// Client returns an HTTP client that reaches the world (and nothing else).
func (w *World) Client() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DisableCompression: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			to, ok := w.Resolve()[addr]
			if !ok {
				return nil, fmt.Errorf("demo client: %s is not the demo world", addr)
			}
			return d.DialContext(ctx, network, to)
		},
	}}
}
