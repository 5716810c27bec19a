package gaps

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// addFixtures seeds a fuzz corpus with the testdata files matching pattern.
func addFixtures(f *testing.F, pattern string) {
	names, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkImport asserts the all-or-nothing contract of an import.
func checkImport(t *testing.T, gs []notice.Gap, err error, now time.Time) {
	if err != nil {
		if gs != nil {
			t.Fatalf("gaps returned with an error: %v", err)
		}
		var ie *ImportError
		if errors.As(err, &ie) && (len(ie.Rows) == 0 || !errors.Is(err, notice.ErrInvalid)) {
			t.Fatalf("import error without rows or not ErrInvalid: %v", err)
		}
		return
	}
	seen := map[string]bool{}
	for _, g := range gs {
		if g.Source == "" || !g.End.After(g.Start) || g.End.After(now.Add(futureSlack)) || seen[Key(g)] {
			t.Fatalf("bad gap accepted: %+v", g)
		}
		seen[Key(g)] = true
	}
}

func FuzzParseCSV(f *testing.F) {
	addFixtures(f, "gaps_*.csv")
	res := Resolver{Catalog: testCatalog(f)}
	now := time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte) {
		gs, err := ParseCSV(bytes.NewReader(b), time.UTC, res, Limits{MaxRows: 50}, now)
		checkImport(t, gs, err, now)
	})
}

func FuzzParseJSON(f *testing.F) {
	addFixtures(f, "gaps_*.json")
	res := Resolver{Catalog: testCatalog(f)}
	now := time.Date(2024, 10, 15, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte) {
		gs, err := ParseJSON(bytes.NewReader(b), time.UTC, res, Limits{MaxRows: 50}, now)
		checkImport(t, gs, err, now)
	})
}

func FuzzTelemetry(f *testing.F) {
	addFixtures(f, "telemetry_*.csv")
	f.Fuzz(func(t *testing.T, b []byte) {
		counts, err := ParseTelemetry(bytes.NewReader(b), time.UTC, Limits{MaxRows: 50})
		if err != nil {
			return
		}
		for _, g := range Detect(counts, DetectConfig{MinBuckets: 1}, time.UTC) {
			if !g.End.After(g.Start) || !g.Detected {
				t.Fatalf("bad detected gap %+v", g)
			}
		}
	})
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2024-09-03T10:00:00Z", "2024-09-03 10:00 Europe/Paris", "2024-09-03 10:00:00.5+02:00", "2024-09-03t10:00-0930"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseTime(s, time.UTC, zoneCache{})
		if err == nil && v.Location() != time.UTC {
			t.Fatalf("parseTime(%q) not in UTC: %v", s, v)
		}
	})
}
