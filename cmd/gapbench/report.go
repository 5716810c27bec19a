package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// row is one line of the results table: a gapwatch figure beside its
// baseline from the same run, their ratio, the target and whether it is
// met ("" when the row has no target).
type row struct {
	measure, ours, base, ratio, target, met string
}

// report collects the rows and notes of a run.
type report struct {
	header []string
	rows   []row
	notes  []string
}

// latencyTarget is a bound on one percentile: max latency and/or minimum
// speedup over the baseline (zero: no bound).
type latencyTarget struct {
	p       float64
	max     time.Duration
	speedup float64
}

func (r *report) add(x row)                  { r.rows = append(r.rows, x) }
func (r *report) note(s string)              { r.notes = append(r.notes, s) }
func (r *report) headerf(f string, a ...any) { r.header = append(r.header, fmt.Sprintf(f, a...)) }

// latencyRows adds one row per percentile of ps.
func (r *report) latencyRows(name string, ps pairs, baseName string, targets []latencyTarget) {
	for _, t := range targets {
		ours, base := percentile(ps.ours, t.p), percentile(ps.base, t.p)
		speedup := float64(base) / float64(max(ours, 1))
		var goals []string
		met := true
		if t.max > 0 {
			goals = append(goals, "≤ "+fmtDur(t.max))
			met = met && ours <= t.max
		}
		if t.speedup > 0 {
			goals = append(goals, fmt.Sprintf("≥ %.0f× faster", t.speedup))
			met = met && speedup >= t.speedup
		}
		x := row{measure: fmt.Sprintf("%s p%.0f (%d ops)", name, t.p*100, len(ps.ours)), ours: fmtDur(ours),
			base: fmtDur(base) + " (" + baseName + ")", ratio: fmtSpeedup(speedup), target: strings.Join(goals, ", ")}
		if len(goals) > 0 {
			x.met = yesNo(met)
		}
		r.add(x)
	}
}

// fmtSpeedup renders baseline/gapwatch latency as "N× faster" or, below
// one, "N× slower".
func fmtSpeedup(s float64) string {
	if s >= 1 {
		return fmt.Sprintf("%.2f× faster", s)
	}
	return fmt.Sprintf("%.2f× slower", 1/s)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// print writes the header, a Markdown table of the rows and the notes.
func (r *report) print(w io.Writer) {
	for _, h := range r.header {
		fmt.Fprintln(w, h)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| measure\t gapwatch\t baseline (same run)\t ratio\t target\t met\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t")
	for _, x := range r.rows {
		fmt.Fprintf(tw, "| %s\t %s\t %s\t %s\t %s\t %s\t\n", x.measure, x.ours, x.base, x.ratio, x.target, x.met)
	}
	tw.Flush()
	if len(r.notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range r.notes {
			fmt.Fprintln(w, "- "+n)
		}
	}
}

// machine describes the machine and toolchain the run measured.
func machine() string {
	model, mem := "unknown CPU", "unknown RAM"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
					mem = fmt.Sprintf("%.1f GiB RAM", kb/(1<<20))
				}
			}
		}
	}
	gogc := debug.SetGCPercent(-1) // read the current value back
	debug.SetGCPercent(gogc)
	return fmt.Sprintf("%d CPUs (%s), GOMAXPROCS %d, GOGC %d, %s, %s %s/%s", runtime.NumCPU(), model,
		runtime.GOMAXPROCS(0), gogc, mem, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// fmtDur renders a latency with three significant digits.
func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.3g s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.3g ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.3g µs", float64(d)/float64(time.Microsecond))
}

// fmtRate renders a rate per second with thousands separators.
func fmtRate(perSecond float64, unit string) string {
	return groupThousands(int64(perSecond+0.5)) + " " + unit + "/s"
}

func groupThousands(v int64) string {
	s := strconv.FormatInt(v, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// fmtBytes renders a size in MiB or GiB.
func fmtBytes(b int64) string {
	if b >= 1<<30 {
		return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30))
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}
