package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	gwconfig "github.com/gapwatch/gapwatch/config"
)

// phases returns the measurements gapbench knows, in the order it runs
// them.
func phases() []string { return []string{"indexing", "search", "windows", "http"} }

// config is one run's settings.
type config struct {
	n     int
	seed  uint64
	only  []string
	dir   string
	reuse bool
	// batch is how many items one SaveCrawls call stores.
	batch int
	// workers extract in parallel, as the crawler's workers do.
	workers      int
	queries      int
	lookups      int
	httpDuration time.Duration
	conns        int
	httpRate     int
	gcPercent    int
	cpuProfile   string
	// progress receives progress lines (nil: none).
	progress io.Writer
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "gapbench:", err)
		os.Exit(2)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(cfg.gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := run(ctx, cfg)
	if rep != nil {
		rep.print(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gapbench:", err)
		os.Exit(1)
	}
}

// parseFlags reads the command line.
func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("gapbench", flag.ContinueOnError)
	cfg := config{progress: os.Stderr}
	var only string
	fs.IntVar(&cfg.n, "n", 100000, "number of synthetic notices")
	fs.Uint64Var(&cfg.seed, "seed", 1, "corpus seed")
	fs.StringVar(&only, "only", strings.Join(phases(), ","), "comma-separated measurements to run: "+strings.Join(phases(), ", "))
	fs.StringVar(&cfg.dir, "dir", "", "folder for the corpus (default: a temporary folder, removed at exit)")
	fs.BoolVar(&cfg.reuse, "reuse", false, "reuse the corpus in -dir when it is complete for this -n and -seed")
	fs.IntVar(&cfg.batch, "batch", 1000, "items per store transaction (SaveCrawls)")
	fs.IntVar(&cfg.workers, "workers", runtime.GOMAXPROCS(0), "extraction workers")
	fs.IntVar(&cfg.queries, "queries", 2000, "searches per concurrency level")
	fs.IntVar(&cfg.lookups, "lookups", 5000, "window lookups")
	fs.DurationVar(&cfg.httpDuration, "http-duration", 15*time.Second, "duration of each HTTP attack")
	fs.IntVar(&cfg.conns, "conns", 64, "concurrent HTTP connections")
	fs.IntVar(&cfg.gcPercent, "gc-percent", gwconfig.DefaultGCPercent, "GOGC for the run, as gapwatch serve sets it (the GOGC variable wins)")
	fs.IntVar(&cfg.httpRate, "http-rate", 15000, "request rate (per second) of the fixed-rate (open-loop) HTTP attacks, measured beside the closed-loop ones")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile-prefix", "", "write CPU profiles of the pipeline and of each measurement to PREFIX-phase.pprof")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, p := range strings.Split(only, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !slices.Contains(phases(), p) {
			return cfg, fmt.Errorf("-only: unknown measurement %q (want %s)", p, strings.Join(phases(), ", "))
		}
		cfg.only = append(cfg.only, p)
	}
	switch {
	case len(cfg.only) == 0:
		return cfg, errors.New("-only: no measurement selected")
	case cfg.n <= 0 || cfg.batch <= 0 || cfg.workers <= 0 || cfg.queries <= 0 || cfg.lookups <= 0 || cfg.conns <= 0 || cfg.httpRate <= 0:
		return cfg, errors.New("-n, -batch, -workers, -queries, -lookups, -conns and -http-rate must be positive")
	case cfg.reuse && cfg.dir == "":
		return cfg, errors.New("-reuse needs -dir")
	}
	return cfg, nil
}

// wants reports whether the measurement is selected.
func (c config) wants(phase string) bool { return slices.Contains(c.only, phase) }

// logf writes a progress line.
func (c config) logf(format string, args ...any) {
	if c.progress != nil {
		fmt.Fprintf(c.progress, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
	}
}
