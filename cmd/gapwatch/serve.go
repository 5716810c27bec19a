package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/gapwatch/gapwatch/crawler"
)

func newServeCmd(g *globals) *cobra.Command {
	var listen string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the crawler on its schedule, keep the index up to date and serve the HTTP API and web UI",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := context.WithCancel(cmd.Context())
			defer cancel()
			a, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer a.close()
			if url := findRunning(ctx, a.cfg.DataDir); url != "" {
				return fmt.Errorf("gapwatch serve is already running on this data at %s", url)
			}
			if err := a.syncSources(ctx, true); err != nil {
				return err
			}
			if listen != "" {
				a.cfg.Listen = listen
			}
			a.cfg.ApplyGC(g.env)
			if err := a.openIndex(ctx, nil); err != nil {
				return err
			}
			if a.world != nil {
				if err := a.setupDemo(ctx, g); err != nil {
					return err
				}
			}
			digests, err := a.openDigest()
			if err != nil {
				return err
			}
			deps := a.apiDeps()
			deps.Digest = digests
			handler, err := a.handler(deps, g.env)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", a.cfg.Listen)
			if err != nil {
				return fmt.Errorf("listen %s: %w", a.cfg.Listen, err)
			}
			srv := newHTTPServer(handler)
			base := "http://" + ln.Addr().String()
			if err := writeRunning(a.cfg.DataDir, base); err != nil {
				return err
			}
			defer removeRunning(a.cfg.DataDir)
			fmt.Fprintf(g.stdout, "gapwatch listening on %s (data in %s)\n", base, a.cfg.DataDir)
			fmt.Fprintf(g.stdout, "web UI at %s/\n", base)
			if a.world != nil {
				fmt.Fprintf(g.stdout, "demo: sign in at %s/signin with the demo tenant's key to see its gaps on a timeline\n", base)
				fmt.Fprintf(g.stdout, "demo vendor world at %s (%s) with %d sources\n", a.world.URL, a.world.Addr, len(a.world.Sources))
			}
			var wg sync.WaitGroup
			wg.Add(3)
			go func() {
				defer wg.Done()
				_ = a.crawler.Run(ctx, a.sources, 10*time.Second, func(s crawler.Summary) {
					a.metrics.CrawlSources.WithLabelValues("ok").Add(float64(s.OK))
					a.metrics.CrawlSources.WithLabelValues("not modified").Add(float64(s.NotModified))
					a.metrics.CrawlSources.WithLabelValues("failed").Add(float64(s.Failed))
					a.metrics.CrawlNotices.WithLabelValues("new").Add(float64(s.Notices.New))
					a.metrics.CrawlNotices.WithLabelValues("updated").Add(float64(s.Notices.Updated))
					a.metrics.CrawlNotices.WithLabelValues("unchanged").Add(float64(s.Notices.Unchanged))
				})
			}()
			go func() {
				defer wg.Done()
				a.follower.Run(ctx, 2*time.Second)
			}()
			go func() {
				defer wg.Done()
				digests.Run(ctx, time.Minute) // sends on start-up what is overdue
			}()
			serveErr := make(chan error, 1)
			go func() { serveErr <- srv.Serve(ln) }()
			select {
			case err = <-serveErr:
			case <-ctx.Done():
			}
			cancel()
			shutCtx, stop := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer stop()
			_ = srv.Shutdown(shutCtx)
			wg.Wait() // the crawler and follower finish before the store closes
			if err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "host:port to listen on (overrides the configuration)")
	return cmd
}

// maxHeaderBytes bounds a request's header block: the API's largest
// legitimate header is a bearer key of a few dozen bytes, and Go's 1 MiB
// default lets each connection hold far more.
const maxHeaderBytes = 64 << 10

// newHTTPServer is the server gapwatch serve listens with: every read and
// write has a deadline and headers a size limit, so slow or oversized
// clients cannot hold connections or memory.
func newHTTPServer(handler http.Handler) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}
