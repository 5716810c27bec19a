package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/index"
)

func TestParseFlags(t *testing.T) {
	for _, c := range []struct {
		name    string
		args    []string
		only    []string
		wantErr string
	}{
		{"defaults", nil, phases(), ""},
		{"only some", []string{"-only", "windows, http"}, []string{"windows", "http"}, ""},
		{"unknown measurement", []string{"-only", "search,speed"}, nil, `unknown measurement "speed"`},
		{"nothing selected", []string{"-only", ","}, nil, "no measurement selected"},
		{"reuse without dir", []string{"-reuse"}, nil, "-reuse needs -dir"},
		{"zero notices", []string{"-n", "0"}, nil, "must be positive"},
		{"stray argument", []string{"extra"}, nil, "unexpected arguments"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := parseFlags(c.args)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cfg.only, c.only) {
				t.Errorf("only = %v, want %v", cfg.only, c.only)
			}
		})
	}
}

func TestFormatting(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{groupThousands(0), "0"},
		{groupThousands(999), "999"},
		{groupThousands(15000), "15,000"},
		{groupThousands(1234567), "1,234,567"},
		{fmtDur(1500 * time.Microsecond), "1.5 ms"},
		{fmtDur(2 * time.Microsecond), "2 µs"},
		{fmtSpeedup(25), "25.00× faster"},
		{fmtSpeedup(0.5), "2.00× slower"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	ds := []time.Duration{5, 1, 4, 2, 3, 6, 7, 8, 9, 10}
	if p := percentile(ds, 0.5); p != 6 {
		t.Errorf("p50 = %v, want 6", p)
	}
	if p := percentile(ds, 0.99); p != 10 {
		t.Errorf("p99 = %v, want 10", p)
	}
}

// TestRunSmall runs every measurement over a tiny corpus, then again
// reusing it: the real runs are the same code at -n 100000 and more.
func TestRunSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a corpus and serves HTTP")
	}
	dir := t.TempDir()
	cfg := config{n: 300, seed: 5, only: phases(), dir: dir, batch: 100, workers: 2, queries: 40, lookups: 200,
		httpDuration: 300 * time.Millisecond, conns: 8, httpRate: 500}
	rep, err := run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep, []string{"indexing: extract → store → index", "search c=1 p99", "search c=8 p50",
		"window lookup c=1 p99", "highest rate", "at 500 req/s"})
	if _, err := os.Stat(filepath.Join(dir, figuresFile)); err != nil {
		t.Fatalf("figures not saved: %v", err)
	}

	cfg.reuse, cfg.only = true, []string{"windows"}
	rep, err = run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep, []string{"[measured", "window lookup c=1 p99"})
	for _, x := range rep.rows {
		if strings.HasPrefix(x.measure, "search") || strings.HasPrefix(x.measure, "HTTP") {
			t.Errorf("row %q of a measurement not asked for", x.measure)
		}
	}

	// An index to rebuild (a new mapping, or none) is rebuilt from the
	// store: the corpus is kept, and its indexing figures say which
	// mapping they were measured with.
	figures := filepath.Join(dir, figuresFile)
	b, err := os.ReadFile(figures)
	if err != nil {
		t.Fatal(err)
	}
	var f buildFigures
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	f.Mapping = "gapwatch-index-0"
	if b, err = json.Marshal(f); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(figures, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	if rep, err = run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	checkReport(t, rep, []string{"when the corpus was built, with index mapping gapwatch-index-0]", "window lookup c=1 p99"})
	if b, err := os.ReadFile(figures); err != nil || !strings.Contains(string(b), "gapwatch-index-0") {
		t.Fatalf("the corpus was built again instead of reused: %v", err)
	}
	found := false
	for _, n := range rep.notes {
		found = found || strings.Contains(n, "gapwatch index") && strings.Contains(n, "(mapping "+index.MappingVersion+")")
	}
	if !found {
		t.Errorf("the index size is not said to be the rebuilt index's: %v", rep.notes)
	}
}

// checkReport fails unless every wanted measure has a row with a figure,
// and no HTTP error was noted.
func checkReport(t *testing.T, rep *report, want []string) {
	t.Helper()
	for _, w := range want {
		found := false
		for _, x := range rep.rows {
			if strings.Contains(x.measure, w) {
				found = true
				if x.ours == "" || strings.HasPrefix(x.ours, "0 ") {
					t.Errorf("row %q has no figure: %q", x.measure, x.ours)
				}
			}
		}
		if !found {
			t.Errorf("no row for %q", w)
		}
	}
	for _, n := range rep.notes {
		if strings.HasPrefix(n, "HTTP error") || strings.Contains(n, "success 0") {
			t.Errorf("note: %s", n)
		}
	}
	var sb strings.Builder
	rep.print(&sb)
	if !strings.Contains(sb.String(), "| measure") {
		t.Errorf("printed report has no table:\n%s", sb.String())
	}
}
