package gaps

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// hourly builds one count per hour for source from start, skipping the
// hours where skip says so (missing rows).
func hourly(t *testing.T, source, start string, vals []float64, skip func(i int) bool) []Count {
	t0 := ts(t, start)
	var out []Count
	for i, v := range vals {
		if skip != nil && skip(i) {
			continue
		}
		out = append(out, Count{At: t0.Add(time.Duration(i) * time.Hour), Source: source, Count: v})
	}
	return out
}

// level returns n buckets of v, with the buckets in [from, to) set to low.
func level(n int, v float64, from, to int, low float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
		if i >= from && i < to {
			out[i] = low
		}
	}
	return out
}

// wantGap is a detected gap in RFC 3339 with part of its note.
type wantGap struct {
	source, start, end, note string
}

func TestDetect(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	// 2024-09-02 is a Monday; the fortnight runs to Sunday 15 Sep.
	const monday = "2024-09-01T22:00:00Z" // Monday 00:00 in Paris
	business := func(i int) float64 {
		at := ts(t, monday).Add(time.Duration(i) * time.Hour).In(paris)
		if at.Weekday() == time.Saturday || at.Weekday() == time.Sunday {
			return 0
		}
		return 1000
	}
	fortnight := make([]float64, 14*24)
	for i := range fortnight {
		fortnight[i] = business(i)
	}
	weekend := QuietRule{Weekdays: []time.Weekday{time.Saturday, time.Sunday}}
	tests := []struct {
		name   string
		counts []Count
		cfg    DetectConfig
		want   []wantGap
	}{
		{name: "zero run", counts: hourly(t, "SigninLogs", "2024-09-02T00:00:00Z", level(48, 1200, 30, 35, 0), nil),
			want: []wantGap{{"SigninLogs", "2024-09-03T06:00:00Z", "2024-09-03T11:00:00Z", "count 0 for 5 buckets of 1h; typical 1200"}}},
		{name: "below fraction run", counts: hourly(t, "SigninLogs", "2024-09-02T00:00:00Z", level(48, 1200, 30, 34, 50), nil),
			want: []wantGap{{"SigninLogs", "2024-09-03T06:00:00Z", "2024-09-03T10:00:00Z", "count at most 50 (below 10% of typical 1200) for 4 buckets of 1h"}}},
		{name: "above fraction is no gap", counts: hourly(t, "SigninLogs", "2024-09-02T00:00:00Z", level(48, 1200, 30, 34, 200), nil)},
		{name: "custom fraction", counts: hourly(t, "SigninLogs", "2024-09-02T00:00:00Z", level(48, 1200, 30, 34, 200), nil),
			cfg:  DetectConfig{Fraction: 0.5},
			want: []wantGap{{"SigninLogs", "2024-09-03T06:00:00Z", "2024-09-03T10:00:00Z", "below 50% of typical 1200"}}},
		{name: "too short run ignored", counts: hourly(t, "SigninLogs", "2024-09-02T00:00:00Z", level(48, 1200, 30, 31, 0), nil)},
		{name: "min buckets raised", counts: hourly(t, "SigninLogs", "2024-09-02T00:00:00Z", level(48, 1200, 30, 35, 0), nil),
			cfg: DetectConfig{MinBuckets: 6}},
		{name: "missing buckets count as zero",
			counts: hourly(t, "SigninLogs", "2024-09-02T00:00:00Z", level(48, 900, 0, 0, 0), func(i int) bool { return i >= 10 && i < 14 }),
			want:   []wantGap{{"SigninLogs", "2024-09-02T10:00:00Z", "2024-09-02T14:00:00Z", "count 0 for 4 buckets of 1h; typical 900"}}},
		{name: "weekend lull undeclared is a gap", counts: hourly(t, "AuditLogs", monday, fortnight, nil),
			want: []wantGap{
				{"AuditLogs", "2024-09-06T22:00:00Z", "2024-09-08T22:00:00Z", "count 0 for 48 buckets of 1h; typical 1000"},
				{"AuditLogs", "2024-09-13T22:00:00Z", "2024-09-15T22:00:00Z", "count 0 for 48 buckets"},
			}},
		{name: "weekend lull declared quiet", counts: hourly(t, "AuditLogs", monday, fortnight, nil),
			cfg: DetectConfig{Quiet: []QuietRule{weekend}}},
		{name: "quiet rule of another source does not apply", counts: hourly(t, "AuditLogs", monday, fortnight, nil),
			cfg: DetectConfig{Quiet: []QuietRule{{Source: "SigninLogs", Weekdays: weekend.Weekdays}}},
			want: []wantGap{
				{"AuditLogs", "2024-09-06T22:00:00Z", "2024-09-08T22:00:00Z", ""},
				{"AuditLogs", "2024-09-13T22:00:00Z", "2024-09-15T22:00:00Z", ""},
			}},
		{name: "quiet rule in its own zone", counts: hourly(t, "AuditLogs", monday, fortnight, nil),
			// A UTC weekend starts two hours after the Paris one: Friday
			// 22:00–24:00 UTC is not quiet and stays a gap.
			cfg: DetectConfig{Quiet: []QuietRule{{Weekdays: weekend.Weekdays, Zone: "UTC"}}},
			want: []wantGap{
				{"AuditLogs", "2024-09-06T22:00:00Z", "2024-09-07T00:00:00Z", "count 0 for 2 buckets of 1h"},
				{"AuditLogs", "2024-09-13T22:00:00Z", "2024-09-14T00:00:00Z", "count 0 for 2 buckets of 1h"},
			}},
		{name: "quiet hours outage still found on weekdays", counts: hourly(t, "AuditLogs", monday, withOutage(fortnight, 30, 36), nil),
			cfg:  DetectConfig{Quiet: []QuietRule{weekend}},
			want: []wantGap{{"AuditLogs", "2024-09-03T04:00:00Z", "2024-09-03T10:00:00Z", "count 0 for 6 buckets of 1h; typical 1000"}}},
		{name: "source silent to the end of the upload",
			counts: append(hourly(t, "SigninLogs", "2024-09-02T00:00:00Z", level(20, 500, 0, 0, 0), nil),
				hourly(t, "AuditLogs", "2024-09-02T00:00:00Z", level(24, 80, 0, 0, 0), nil)...),
			want: []wantGap{{"SigninLogs", "2024-09-02T20:00:00Z", "2024-09-03T00:00:00Z", "count 0 for 4 buckets of 1h; typical 500"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			checkGaps(t, Detect(tt.counts, tt.cfg, paris), tt.want)
		})
	}
}

// withOutage copies vals with the buckets [from, to) set to zero.
func withOutage(vals []float64, from, to int) []float64 {
	out := append([]float64(nil), vals...)
	for i := from; i < to; i++ {
		out[i] = 0
	}
	return out
}

// checkGaps compares detected gaps with the wanted ones.
func checkGaps(t *testing.T, got []notice.Gap, want []wantGap) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d gaps, want %d:\n%+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Source != w.source || !g.Start.Equal(ts(t, w.start)) || !g.End.Equal(ts(t, w.end)) || !g.Detected ||
			!strings.Contains(g.Note, w.note) {
			t.Errorf("gap %d = %s %s–%s %q detected=%v, want %s %s–%s %q", i, g.Source,
				g.Start.Format(time.RFC3339), g.End.Format(time.RFC3339), g.Note, g.Detected, w.source, w.start, w.end, w.note)
		}
	}
}

func TestDetectIrregularInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	t0 := ts(t, "2024-09-02T00:00:00Z")
	var counts []Count
	for i := range 96 {
		// 15-minute buckets with a few seconds of jitter, split by host
		// (two rows per bucket to add up), an outage at buckets 40–47.
		if i >= 40 && i < 48 {
			continue
		}
		at := t0.Add(time.Duration(i)*15*time.Minute + time.Duration(rng.IntN(7)-3)*time.Second)
		counts = append(counts, Count{At: at, Source: "Firewall", Count: 60}, Count{At: at, Source: "Firewall", Count: 40})
	}
	// An hourly source beside it, and one bucket off the grid.
	for i := range 24 {
		counts = append(counts, Count{At: t0.Add(time.Duration(i) * time.Hour), Source: "SigninLogs", Count: 1000})
	}
	counts = append(counts, Count{At: t0.Add(5*time.Hour + 20*time.Minute), Source: "SigninLogs", Count: 3})
	rng.Shuffle(len(counts), func(i, j int) { counts[i], counts[j] = counts[j], counts[i] })
	// The upload ends at 23:45; SigninLogs's last bucket (23:00) is whole.
	checkGaps(t, Detect(counts, DetectConfig{}, time.UTC), []wantGap{
		{"Firewall", "2024-09-02T10:00:00Z", "2024-09-02T12:00:00Z", "count 0 for 8 buckets of 15m; typical 100"},
	})
}

func TestDetectDegenerate(t *testing.T) {
	one := []Count{{At: ts(t, "2024-09-02T00:00:00Z"), Source: "A", Count: 5}}
	if got := Detect(one, DetectConfig{}, nil); len(got) != 0 {
		t.Errorf("a single count gave gaps: %+v", got)
	}
	if got := Detect(nil, DetectConfig{}, nil); len(got) != 0 {
		t.Errorf("no counts gave gaps: %+v", got)
	}
	// A source seen once takes the step of the others, and its silence
	// after that is a gap.
	counts := append(hourly(t, "B", "2024-09-02T00:00:00Z", level(6, 10, 0, 0, 0), nil), one...)
	checkGaps(t, Detect(counts, DetectConfig{}, nil), []wantGap{{"A", "2024-09-02T01:00:00Z", "2024-09-02T06:00:00Z", "count 0 for 5 buckets of 1h; typical 5"}})
}

func TestDetectConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  DetectConfig
		ok   bool
	}{
		{"defaults", DetectConfig{}, true},
		{"overnight rule", DetectConfig{Quiet: []QuietRule{{FromHour: 22, ToHour: 6, Zone: "Europe/Paris"}}}, true},
		{"negative min buckets", DetectConfig{MinBuckets: -1}, false},
		{"fraction above one", DetectConfig{Fraction: 1.5}, false},
		{"negative window", DetectConfig{Window: -2}, false},
		{"hour 25", DetectConfig{Quiet: []QuietRule{{FromHour: 0, ToHour: 25}}}, false},
		{"empty hours", DetectConfig{Quiet: []QuietRule{{FromHour: 5, ToHour: 5}}}, false},
		{"weekday 7", DetectConfig{Quiet: []QuietRule{{Weekdays: []time.Weekday{7}}}}, false},
		{"unknown zone", DetectConfig{Quiet: []QuietRule{{Zone: "Europe/Atlantis"}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, notice.ErrInvalid)) {
				t.Errorf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestQuietRuleJSON(t *testing.T) {
	tests := []struct {
		in   string
		want []time.Weekday
		ok   bool
	}{
		{`{"weekdays": ["sat", "Sunday"], "from_hour": 0, "to_hour": 24}`, []time.Weekday{time.Saturday, time.Sunday}, true},
		{`{"weekdays": [6, 0]}`, []time.Weekday{time.Saturday, time.Sunday}, true},
		{`{"weekdays": ["someday"]}`, nil, false},
		{`{"weekdays": ["su"]}`, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var q QuietRule
			err := q.UnmarshalJSON([]byte(tt.in))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && (len(q.Weekdays) != len(tt.want) || q.Weekdays[0] != tt.want[0] || q.Weekdays[1] != tt.want[1]) {
				t.Errorf("weekdays %v, want %v", q.Weekdays, tt.want)
			}
		})
	}
}

func TestQuietRuleCovers(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	rules := compileQuiet([]QuietRule{{Source: "signinlogs", FromHour: 22, ToHour: 6}}, paris)
	tests := []struct {
		source, at string
		want       bool
	}{
		{"SigninLogs", "2024-09-02T20:30:00Z", true},  // 22:30 Paris
		{"SigninLogs", "2024-09-03T03:59:00Z", true},  // 05:59 Paris
		{"SigninLogs", "2024-09-03T04:00:00Z", false}, // 06:00 Paris
		{"SigninLogs", "2024-09-02T19:00:00Z", false}, // 21:00 Paris
		{"AuditLogs", "2024-09-02T20:30:00Z", false},
	}
	for _, tt := range tests {
		if got := quiet(rules, tt.source, ts(t, tt.at)); got != tt.want {
			t.Errorf("quiet(%s, %s) = %v, want %v", tt.source, tt.at, got, tt.want)
		}
	}
}

func TestParseTelemetry(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	got, err := ParseTelemetry(openFixture(t, "telemetry_good.csv"), paris, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Count{
		{At: ts(t, "2024-09-01T22:00:00Z"), Source: "SigninLogs", Count: 1200},
		{At: ts(t, "2024-09-01T23:00:00Z"), Source: "SigninLogs", Count: 1180},
		{At: ts(t, "2024-09-02T00:00:00Z"), Source: "SigninLogs", Count: 0},
		{At: ts(t, "2024-09-02T00:00:00Z"), Source: "AuditLogs", Count: 12.5},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if !got[i].At.Equal(want[i].At) || got[i].Source != want[i].Source || got[i].Count != want[i].Count {
			t.Errorf("count %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, tt := range []struct {
		name, fixture, input string
		lim                  Limits
		want                 []string
	}{
		{name: "bad rows", fixture: "telemetry_bad.csv", want: []string{"3:source", "4:count", "5:count", "6:timestamp", "7:count"}},
		{name: "missing column", input: "timestamp,source\n2024-09-02 00:00,A\n", want: []string{"1:count"}},
		{name: "span too long", input: "timestamp,source,count\n2024-09-02 00:00,A,1\n2028-09-02 01:00,A,1\n", want: []string{"0:timestamp"}},
		{name: "too many rows", input: "timestamp,source,count\n2024-09-02 00:00,A,1\n2024-09-02 01:00,A,1\n", lim: Limits{MaxRows: 1}, want: []string{"3:"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var r = strings.NewReader(tt.input)
			var err error
			if tt.fixture != "" {
				_, err = ParseTelemetry(openFixture(t, tt.fixture), paris, tt.lim)
			} else {
				_, err = ParseTelemetry(r, paris, tt.lim)
			}
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v, want *ImportError", err)
			}
			if got := strings.Join(rowKeys(ie.Rows), " "); got != strings.Join(tt.want, " ") {
				t.Errorf("bad rows %s, want %v\n%v", got, tt.want, ie.Rows)
			}
		})
	}
}

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Hour: "1h", 15 * time.Minute: "15m", 24 * time.Hour: "1d", 90 * time.Minute: "1h30m", 30 * time.Second: "30s",
		48 * time.Hour: "2d", 25 * time.Hour: "25h",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
