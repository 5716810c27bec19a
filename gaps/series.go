package gaps

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// maxSeriesSpan bounds one series (ParseTelemetry allows far less), so
// that no duration arithmetic overflows.
const maxSeriesSpan = 100 * 365 * 24 * time.Hour

// series is one source's counts on a regular grid of buckets.
type series struct {
	source string
	t0     time.Time
	step   time.Duration
	vals   []float64
}

// buildSeries places a source's stamps on its grid, up to the bucket that
// holds end. It fails when no bucket size can be inferred.
func buildSeries(source string, ss []stamp, end time.Time, fallback time.Duration) (series, bool) {
	if len(ss) == 0 {
		return series{}, false
	}
	m := map[time.Duration]int{}
	stepCounts(ss, m)
	step := mostCommon(m)
	if step == 0 {
		step = fallback
	}
	if step <= 0 {
		return series{}, false
	}
	t0 := ss[0].at
	if end.Sub(t0) > maxSeriesSpan || step > maxSeriesSpan {
		return series{}, false // beyond what a time.Duration holds safely
	}
	if step >= time.Minute {
		t0 = t0.Round(time.Minute) // jittered clocks: 10:00:02 is the 10:00 bucket
	}
	last := ss[len(ss)-1].at
	if end.Before(last) {
		end = last
	}
	idx := func(t time.Time) int { return int((t.Sub(t0) + step/2) / step) }
	n := 0
	for {
		n = max(idx(last), int(end.Sub(t0)/step)) + 1
		if n <= maxBuckets {
			break
		}
		step *= 2
	}
	s := series{source: source, t0: t0, step: step, vals: make([]float64, n)}
	for _, st := range ss {
		s.vals[idx(st.at)] += st.count
	}
	return s, true
}

// run is a stretch of consecutive low buckets being scanned.
type run struct {
	first, n   int
	typical    float64
	hasTypical bool
	maxCount   float64
}

// scan walks the series and returns the gaps: runs of at least MinBuckets
// low, non-quiet buckets.
func (s series) scan(cfg DetectConfig, rules []quietRule) []notice.Gap {
	var out []notice.Gap
	hist := make([]float64, 0, cfg.Window+1)
	var cur run
	flush := func() {
		if cur.n >= cfg.MinBuckets {
			out = append(out, s.gap(cur, cfg))
		}
		cur = run{}
	}
	for i, v := range s.vals {
		at := s.t0.Add(time.Duration(i) * s.step)
		if quiet(rules, s.source, at) {
			flush()
			continue
		}
		typ, has := median(hist)
		if v == 0 || (has && v < cfg.Fraction*typ) {
			if cur.n == 0 {
				cur = run{first: i, typical: typ, hasTypical: has}
			}
			cur.n++
			cur.maxCount = max(cur.maxCount, v)
			continue
		}
		flush()
		if hist = append(hist, v); len(hist) > cfg.Window {
			hist = hist[1:]
		}
	}
	flush()
	return out
}

// gap turns a run into a detected gap with a note saying why.
func (s series) gap(r run, cfg DetectConfig) notice.Gap {
	start := s.t0.Add(time.Duration(r.first) * s.step)
	buckets := fmt.Sprintf("%d bucket", r.n)
	if r.n != 1 {
		buckets += "s"
	}
	buckets += " of " + humanDuration(s.step)
	var note string
	switch {
	case r.maxCount == 0 && r.hasTypical:
		note = fmt.Sprintf("count 0 for %s; typical %s", buckets, formatCount(r.typical))
	case r.maxCount == 0:
		note = fmt.Sprintf("count 0 for %s", buckets)
	default:
		note = fmt.Sprintf("count at most %s (below %s of typical %s) for %s",
			formatCount(r.maxCount), formatPercent(cfg.Fraction), formatCount(r.typical), buckets)
	}
	return notice.Gap{
		Source: s.source, Start: start.UTC(), End: start.Add(time.Duration(r.n) * s.step).UTC(),
		Note: note, Detected: true,
	}
}

// quiet reports whether any rule declares the bucket a lull.
func quiet(rules []quietRule, source string, at time.Time) bool {
	for _, r := range rules {
		if r.covers(source, at) {
			return true
		}
	}
	return false
}

// median returns the median of xs (the mean of the middle two for an even
// count), and false when xs is empty.
func median(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m], true
	}
	return (s[m-1] + s[m]) / 2, true
}

// formatCount prints a count without needless decimals.
func formatCount(v float64) string {
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// humanDuration prints a bucket size compactly: 1h, 15m, 1d, 1h30m.
func humanDuration(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	if d <= 0 || d%time.Second != 0 {
		return d.String()
	}
	var b strings.Builder
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if n := d / u.unit; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10) + u.name)
			d -= n * u.unit
		}
	}
	return b.String()
}
