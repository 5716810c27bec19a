package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/gapwatch/gapwatch/api"
)

func newSearchCmd(g *globals) *cobra.Command {
	var (
		asJSON                  bool
		products, vendors, cats []string
		from, to, sortBy        string
		page, size              int
	)
	cmd := &cobra.Command{
		Use:   "search [QUERY]",
		Short: "Search notices (through the running server when there is one)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q := url.Values{}
			if len(args) == 1 {
				q.Set("q", args[0])
			}
			for k, vs := range map[string][]string{"product": products, "vendor": vendors, "category": cats} {
				for _, v := range vs {
					q.Add(k, v)
				}
			}
			for k, v := range map[string]string{"from": from, "to": to, "sort": sortBy} {
				if v != "" {
					q.Set(k, v)
				}
			}
			q.Set("page", fmt.Sprint(page))
			q.Set("size", fmt.Sprint(size))
			status, body, err := g.apiGet(cmd.Context(), "/api/v1/notices?"+q.Encode())
			if err != nil {
				return err
			}
			if status != http.StatusOK {
				return problemError(status, body)
			}
			if asJSON {
				_, err := g.stdout.Write(body)
				return err
			}
			var res api.SearchResponse
			if err := json.Unmarshal(body, &res); err != nil {
				return fmt.Errorf("search: decode answer: %w", err)
			}
			return printHits(g.stdout, res)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print the API's JSON")
	f.StringArrayVar(&products, "product", nil, "product (canonical name or alias); repeatable")
	f.StringArrayVar(&vendors, "vendor", nil, "vendor; repeatable")
	f.StringArrayVar(&cats, "category", nil, "category; repeatable")
	f.StringVar(&from, "from", "", "affected time from (RFC 3339 or YYYY-MM-DD)")
	f.StringVar(&to, "to", "", "affected time to")
	f.StringVar(&sortBy, "sort", "", "relevance, published or window_start")
	f.IntVar(&page, "page", 1, "page")
	f.IntVar(&size, "size", 20, "results per page (max 100)")
	return cmd
}

// apiGet answers an API request through the running server on this data
// when there is one (it holds the index), else in-process on the same
// handler over the store and index opened here: the same answer either
// way.
func (g *globals) apiGet(ctx context.Context, path string) (int, []byte, error) {
	g.logLevel = slog.LevelWarn
	a, err := g.open(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer a.close()
	if base := findRunning(ctx, a.cfg.DataDir); base != "" {
		return httpGet(ctx, base+path)
	}
	if err := a.openIndex(ctx, nil); err != nil {
		return 0, nil, err
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	api.New(a.apiDeps()).ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes(), nil
}

func httpGet(ctx context.Context, u string) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("ask the running server: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	return resp.StatusCode, body, err
}

// problemError turns an API problem answer into a readable error.
func problemError(status int, body []byte) error {
	var p api.Problem
	if json.Unmarshal(body, &p) != nil || p.Title == "" {
		return fmt.Errorf("status %d: %s", status, strings.TrimSpace(string(body)))
	}
	if p.Param != "" {
		return fmt.Errorf("%s: %s (%s)", p.Param, p.Detail, p.Title)
	}
	return fmt.Errorf("%s: %s", p.Title, p.Detail)
}

func printHits(w io.Writer, res api.SearchResponse) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tPUBLISHED\tVENDOR\tCATEGORY\tAFFECTED\tTITLE\n")
	for _, h := range res.Hits {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", h.ID, h.Published.Format("2006-01-02"), truncate(h.Vendor, 16),
			h.Category, windowsText(h.Windows), truncate(h.Title, 70))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d of %d notices\n", len(res.Hits), res.Total)
	return err
}

// windowsText renders a hit's first window compactly, by its precision.
func windowsText(ws []api.WindowJSON) string {
	if len(ws) == 0 {
		return "-"
	}
	w := ws[0]
	layout := "2006-01-02 15:04Z"
	if w.Precision == "day" {
		layout = "2006-01-02"
	}
	end := "ongoing"
	if w.End != nil {
		end = w.End.Format(layout)
	}
	s := w.Start.Format(layout) + " → " + end
	if len(ws) > 1 {
		s += fmt.Sprintf(" (+%d)", len(ws)-1)
	}
	return s
}
