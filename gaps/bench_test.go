package gaps

import (
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// benchSize reads a benchmark size from the environment, so quick runs can
// use smaller worlds than the targets (100k gaps, 1M notices).
func benchSize(b *testing.B, env string, def int) int {
	if v := os.Getenv(env); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("%s=%q: want a positive number", env, v)
		}
		return n
	}
	return def
}

// benchSpec is the world the benchmarks link: five years of notices over
// the whole catalog, shaped as randomNotice and randomGap describe, with
// open windows only for incidents of the last week. (Open windows are
// taken to run forever, so an old notice left open would link every later
// gap of its product; a world full of those measures that rule, not the
// index.)
func benchSpec(seed uint64, notices, gaps int) worldSpec {
	return worldSpec{seed: seed, notices: notices, gaps: gaps, from: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		span: 5 * 365 * 24 * time.Hour, oddities: true, recentOpen: true}
}

// BenchmarkLinkAllGaps links every gap against the windows of every notice
// through IndexNotices and LinksFor (target: 100k gaps, 1M notices, ≤ 10 s
// including the index build), beside the plain scan (Links) timed on a
// sample of gaps and extrapolated.
func BenchmarkLinkAllGaps(b *testing.B) {
	cat := testCatalog(b)
	nGaps := benchSize(b, "GAPWATCH_BENCH_GAPS", 100_000)
	nNotices := benchSize(b, "GAPWATCH_BENCH_NOTICES", 1_000_000)
	w := randomWorld(cat, benchSpec(7, nNotices, nGaps))
	l := NewLinker(cat)
	var build, link time.Duration
	links, iters := 0, 0
	for b.Loop() {
		t0 := time.Now()
		x := l.IndexNotices(w.notices)
		t1 := time.Now()
		for _, g := range w.gaps {
			links += len(x.LinksFor(g))
		}
		build, link = build+t1.Sub(t0), link+time.Since(t1)
		iters++
	}
	sample := min(len(w.gaps), 20)
	t0 := time.Now()
	for _, g := range w.gaps[:sample] {
		l.Links(g, w.notices)
	}
	naive := time.Since(t0).Seconds() / float64(sample) * float64(len(w.gaps))
	indexed := (build + link).Seconds() / float64(iters)
	b.ReportMetric(build.Seconds()/float64(iters), "index-s")
	b.ReportMetric(link.Seconds()/float64(iters), "link-s")
	b.ReportMetric(indexed, "total-s")
	b.ReportMetric(float64(links)/float64(iters*len(w.gaps)), "links/gap")
	b.ReportMetric(naive, "naive-est-s")
	b.ReportMetric(naive/indexed, "speedup-x")
}

// BenchmarkLinkOneNotice links one new notice against every gap through a
// GapIndex (target: 100k gaps, ≤ 10 ms a notice), beside the plain scan of
// every gap with Links.
func BenchmarkLinkOneNotice(b *testing.B) {
	cat := testCatalog(b)
	nGaps := benchSize(b, "GAPWATCH_BENCH_GAPS", 100_000)
	w := randomWorld(cat, benchSpec(7, 0, nGaps))
	probes := randomWorld(cat, benchSpec(8, 1000, 0)).notices
	l := NewLinker(cat)
	t0 := time.Now()
	x := l.IndexGaps(w.gaps)
	built := time.Since(t0)
	var took []time.Duration
	links := 0
	for i := 0; b.Loop(); i++ {
		t := time.Now()
		links += len(x.LinksFor(probes[i%len(probes)]))
		took = append(took, time.Since(t))
	}
	slices.Sort(took)
	var sum time.Duration
	for _, d := range took {
		sum += d
	}
	sample := min(len(probes), 10)
	t1 := time.Now()
	for _, n := range probes[:sample] {
		one := []notice.Notice{n}
		for _, g := range w.gaps {
			l.Links(g, one)
		}
	}
	naive := time.Since(t1).Seconds() * 1e3 / float64(sample)
	mean := sum.Seconds() * 1e3 / float64(len(took))
	b.ReportMetric(built.Seconds()*1e3, "index-ms")
	b.ReportMetric(mean, "ms/notice")
	b.ReportMetric(took[len(took)*99/100].Seconds()*1e3, "p99-ms")
	b.ReportMetric(float64(links)/float64(len(took)), "links/notice")
	b.ReportMetric(naive, "naive-ms/notice")
	b.ReportMetric(naive/mean, "speedup-x")
}
