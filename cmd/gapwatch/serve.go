package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/crawler"
)

func newServeCmd(g *globals) *cobra.Command {
	var listen string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the crawler on its schedule and the HTTP API",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer a.close()
			if err := a.syncSources(ctx, true); err != nil {
				return err
			}
			if listen != "" {
				a.cfg.Listen = listen
			}
			ln, err := net.Listen("tcp", a.cfg.Listen)
			if err != nil {
				return fmt.Errorf("listen %s: %w", a.cfg.Listen, err)
			}
			srv := &http.Server{
				Handler:           api.New(api.Deps{Store: a.store, Logger: a.log}),
				ReadHeaderTimeout: 10 * time.Second,
				ReadTimeout:       30 * time.Second,
				WriteTimeout:      60 * time.Second,
				IdleTimeout:       2 * time.Minute,
			}
			fmt.Fprintf(g.stdout, "gapwatch listening on http://%s (data in %s)\n", ln.Addr(), a.cfg.DataDir)
			if a.world != nil {
				fmt.Fprintf(g.stdout, "demo vendor world on %s with %d sources\n", a.world.URL, len(a.world.Sources))
			}
			crawlDone := make(chan error, 1)
			go func() {
				crawlDone <- a.crawler.Run(ctx, a.sources, 10*time.Second, func(s crawler.Summary) {
					a.log.Info("crawl cycle done", "summary", s.String())
				})
			}()
			serveErr := make(chan error, 1)
			go func() { serveErr <- srv.Serve(ln) }()
			select {
			case err = <-serveErr:
			case <-ctx.Done():
			}
			shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			_ = srv.Shutdown(shutCtx)
			if err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			if ctx.Err() == nil {
				return nil
			}
			<-crawlDone
			return nil
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "host:port to listen on (overrides the configuration)")
	return cmd
}
