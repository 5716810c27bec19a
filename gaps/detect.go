package gaps

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// Detection defaults.
const (
	defaultMinBuckets = 2
	defaultFraction   = 0.1
	defaultWindow     = 24
	// maxBuckets bounds one source's series; a longer one is read at a
	// coarser step (doubled until it fits).
	maxBuckets = 1 << 20
)

// DetectConfig tunes gap detection from event counts. Zero values take the
// defaults.
type DetectConfig struct {
	// MinBuckets is how many consecutive low buckets make a gap (default
	// 2), so a single slow bucket is not reported.
	MinBuckets int `json:"min_buckets,omitempty"`
	// Fraction: a bucket is low when its count is below Fraction × the
	// typical count (default 0.1). A zero count is always low.
	Fraction float64 `json:"fraction,omitempty"`
	// Window is how many earlier buckets define "typical": the median of
	// the previous Window buckets that were neither quiet nor low
	// (default 24). Low buckets are left out so that a long outage does
	// not lower the level it is measured against.
	Window int `json:"window,omitempty"`
	// Quiet declares expected lulls: buckets inside are never gaps and do
	// not count toward typical.
	Quiet []QuietRule `json:"quiet,omitempty"`
}

// Validate checks the configuration, so that a tenant learns of a bad
// quiet rule when saving it; Detect skips rules Validate refuses.
func (c DetectConfig) Validate() error {
	switch {
	case c.MinBuckets < 0:
		return fmt.Errorf("%w: detect: min_buckets %d is negative", notice.ErrInvalid, c.MinBuckets)
	case c.Fraction < 0 || c.Fraction > 1:
		return fmt.Errorf("%w: detect: fraction %g: want 0 to 1", notice.ErrInvalid, c.Fraction)
	case c.Window < 0:
		return fmt.Errorf("%w: detect: window %d is negative", notice.ErrInvalid, c.Window)
	}
	zones := zoneCache{}
	for i, q := range c.Quiet {
		if err := q.validate(zones); err != nil {
			return fmt.Errorf("%w: detect: quiet rule %d: %s", notice.ErrInvalid, i+1, err)
		}
	}
	return nil
}

// withDefaults fills the zero fields.
func (c DetectConfig) withDefaults() DetectConfig {
	if c.MinBuckets <= 0 {
		c.MinBuckets = defaultMinBuckets
	}
	if c.Fraction <= 0 || c.Fraction > 1 {
		c.Fraction = defaultFraction
	}
	if c.Window <= 0 {
		c.Window = defaultWindow
	}
	return c
}

// Detect finds gaps in event counts, per source. It infers each source's
// bucket size (the most common step between its timestamps, rounded to the
// minute), places every count in the nearest bucket of that grid (anchored
// at its first count, rounded to the minute; counts landing in one bucket
// are added), and treats a missing bucket as zero, from the
// source's first count to the last timestamp of the whole upload (a SIEM
// export has no rows for empty buckets, so a source that went silent
// simply stops). A run of at least MinBuckets low, non-quiet buckets is a
// gap from the start of its first bucket to the end of its last; quiet
// buckets end a run. Gaps come back sorted by source and start, marked
// Detected, with a Note saying why; Product and Vendor are left for the
// caller to resolve (Resolver.Fill).
func Detect(counts []Count, cfg DetectConfig, loc *time.Location) []notice.Gap {
	if loc == nil {
		loc = time.UTC
	}
	cfg = cfg.withDefaults()
	rules := compileQuiet(cfg.Quiet, loc)
	bySource := map[string][]Count{}
	var end time.Time
	for _, c := range counts {
		src := strings.TrimSpace(c.Source)
		if src == "" {
			continue
		}
		bySource[src] = append(bySource[src], c)
		if c.At.After(end) {
			end = c.At
		}
	}
	names := make([]string, 0, len(bySource))
	stamps := map[string][]stamp{}
	for name, cs := range bySource {
		names = append(names, name)
		stamps[name] = mergeStamps(cs)
	}
	sort.Strings(names)
	fallback := modeStep(stamps)
	var out []notice.Gap
	for _, name := range names {
		s, ok := buildSeries(name, stamps[name], end, fallback)
		if !ok {
			continue
		}
		out = append(out, s.scan(cfg, rules)...)
	}
	return out
}

// stamp is one distinct timestamp of a source with its summed count.
type stamp struct {
	at    time.Time
	count float64
}

// mergeStamps sorts a source's counts and adds those sharing a timestamp
// (an export split by a further dimension, such as host).
func mergeStamps(cs []Count) []stamp {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].At.Before(cs[j].At) })
	var out []stamp
	for _, c := range cs {
		if n := len(out); n > 0 && out[n-1].at.Equal(c.At) {
			out[n-1].count += c.Count
			continue
		}
		out = append(out, stamp{at: c.At, count: c.Count})
	}
	return out
}

// roundStep rounds a step to the minute (to the second below a minute), so
// that jittered timestamps (10:00:02, 11:00:01) agree on the bucket size.
func roundStep(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Minute)
	}
	return d.Round(time.Second)
}

// stepCounts tallies the rounded steps between consecutive stamps.
func stepCounts(ss []stamp, into map[time.Duration]int) {
	for i := 1; i < len(ss); i++ {
		if d := roundStep(ss[i].at.Sub(ss[i-1].at)); d > 0 {
			into[d]++
		}
	}
}

// mostCommon returns the most frequent step, the smaller on a tie, or 0.
func mostCommon(m map[time.Duration]int) time.Duration {
	var best time.Duration
	for d, n := range m {
		if best == 0 || n > m[best] || (n == m[best] && d < best) {
			best = d
		}
	}
	return best
}

// modeStep is the most common step over every source: the bucket size of
// a source seen only once.
func modeStep(stamps map[string][]stamp) time.Duration {
	m := map[time.Duration]int{}
	for _, ss := range stamps {
		stepCounts(ss, m)
	}
	return mostCommon(m)
}
