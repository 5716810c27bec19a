package index

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

func TestMonthsOf(t *testing.T) {
	n := func(ws ...notice.Window) []string {
		return monthsOf(mergedSpans(&notice.Notice{Extraction: notice.Extraction{Windows: ws}}))
	}
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"one month", n(win("2024-09-02T00:00:00Z", "2024-09-19T00:00:00Z", notice.PrecisionMinute)), []string{"m2024-09"}},
		{"day precision widens into the previous month", n(win("2024-09-01T00:00:00Z", "2024-09-01T00:00:00Z", notice.PrecisionDay)), []string{"m2024-08", "m2024-09"}},
		{"two windows, months once each", n(win("2024-01-30T00:00:00Z", "2024-02-02T00:00:00Z", notice.PrecisionMinute),
			win("2024-02-20T00:00:00Z", "2024-04-01T00:00:00Z", notice.PrecisionMinute)), []string{"m2024-01", "m2024-02", "m2024-03", "m2024-04"}},
		{"too long to list", n(win("1990-01-01T00:00:00Z", "2024-01-01T00:00:00Z", notice.PrecisionDay)), []string{monthsLong}},
		{"no windows", n(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !slices.Equal(tt.got, tt.want) {
				t.Fatalf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

// TestSearchLongWindow: a window too long for month terms is still found
// by the overlap filter, and only where it overlaps.
func TestSearchLongWindow(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	long := fixtureNotices()[0]
	long.ID = 99
	long.Extraction.Windows = []notice.Window{win("1990-01-01T00:00:00Z", "2020-01-01T00:00:00Z", notice.PrecisionDay)}
	if err := ix.Index([]notice.Notice{long}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from string
		want []notice.ID
	}{{"2005-06-01T00:00:00Z", []notice.ID{99}}, {"2021-06-01T00:00:00Z", nil}} {
		q := notice.Query{From: at(tc.from), To: at(tc.from)}
		if got := ids(mustSearch(t, ix, q)); !slices.Equal(got, tc.want) {
			t.Fatalf("%s: got %v, want %v", tc.from, got, tc.want)
		}
	}
}

func TestDaysOf(t *testing.T) {
	n := func(ws ...notice.Window) []string {
		return daysOf(mergedSpans(&notice.Notice{Extraction: notice.Extraction{Windows: ws}}))
	}
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"within a day", n(win("2024-09-02T08:00:00Z", "2024-09-02T09:00:00Z", notice.PrecisionMinute)), []string{"d2024-09-02"}},
		{"ending at midnight touches the next day", n(win("2024-09-02T23:00:00Z", "2024-09-03T00:00:00Z", notice.PrecisionMinute)), []string{"d2024-09-02", "d2024-09-03"}},
		{"day precision widens by the zones", n(win("2024-09-01T00:00:00Z", "2024-09-01T00:00:00Z", notice.PrecisionDay)), []string{"d2024-08-31", "d2024-09-01", "d2024-09-02"}},
		{"too long to list", n(win("2024-01-01T00:00:00Z", "2024-06-01T00:00:00Z", notice.PrecisionDay)), []string{daysLong}},
		{"no windows", n(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !slices.Equal(tt.got, tt.want) {
				t.Fatalf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

// TestSearchOverlapRandom checks the time filter against a plain overlap
// test of every notice's spans, over random windows (minute to years long,
// open ones, every precision) and random ranges, many of them aligned on
// the day and month boundaries where the filter switches between terms
// taken outright and candidates it checks.
func TestSearchOverlapRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	base := at("2023-09-01T00:00:00Z") // ranges and windows cross years
	instant := func() time.Time {
		t := base.Add(time.Duration(r.Int64N(int64(240 * 24 * time.Hour)))).Truncate(time.Minute)
		switch r.IntN(6) {
		case 0: // midnight
			return utcDay(t)
		case 1: // last instant of a day
			return utcDay(t).Add(-time.Nanosecond)
		case 2: // a month's first instant
			return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		case 3: // a month's last instant
			return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
		}
		return t
	}
	const count = 100 // one page of MaxSize holds every hit
	ns := make([]notice.Notice, count)
	for i := range ns {
		n := notice.Notice{ID: notice.ID(i + 1), Item: notice.Item{Title: "notice", Text: "text", Published: instant()}}
		for range r.IntN(4) {
			s := instant()
			var long time.Duration
			switch r.IntN(10) {
			case 0:
				long = time.Duration(r.Int64N(int64(400 * 24 * time.Hour))) // often too long for days
			case 1:
				long = 30 * 365 * 24 * time.Hour // too long for months
			case 2: // about as long as day terms go
				long = time.Duration(58+r.IntN(8)) * 24 * time.Hour
			default:
				long = time.Duration(r.Int64N(int64(5 * 24 * time.Hour)))
			}
			w := notice.Window{Start: s, Precision: []notice.Precision{notice.PrecisionMinute, notice.PrecisionHour, notice.PrecisionDay}[r.IntN(3)]}
			if r.IntN(8) != 0 {
				w.End = notice.TimePtr(s.Add(long))
			}
			n.Extraction.Windows = append(n.Extraction.Windows, w)
		}
		ns[i] = n
	}
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Index(ns); err != nil {
		t.Fatal(err)
	}
	for range 500 {
		from, to := instant(), instant()
		if from.After(to) {
			from, to = to, from
		}
		switch r.IntN(10) {
		case 0:
			from = time.Time{}
		case 1:
			to = time.Time{}
		case 2:
			to = from
		case 3: // bounds beyond what the index stores are clamped
			from = at("1650-01-01T00:00:00Z")
		case 4:
			to = at("2300-01-01T00:00:00Z")
		}
		lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
		if !from.IsZero() {
			lo = nanos(from)
		}
		if !to.IsZero() {
			hi = nanos(to)
		}
		var want []notice.ID
		for _, n := range ns {
			for _, s := range mergedSpans(&n) {
				if s.lo <= hi && s.hi >= lo {
					want = append(want, n.ID)
					break
				}
			}
		}
		got := sorted(ids(mustSearch(t, ix, notice.Query{From: from, To: to})))
		if !slices.Equal(got, want) {
			t.Fatalf("[%v, %v] (%+v): got %v, want %v", from, to, bucketsOf(from, to), got, want)
		}
	}
}
