package gaps

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/crawler/extract"
)

// testCatalog loads the built-in catalog.
func testCatalog(t testing.TB) *extract.Catalog {
	t.Helper()
	cat, err := extract.DefaultCatalog()
	if err != nil {
		t.Fatalf("catalog: %v", err)
	}
	return cat
}

// mustZone loads an IANA zone.
func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("zone %s: %v", name, err)
	}
	return loc
}

// openFixture opens a file under testdata.
func openFixture(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// ts parses an RFC 3339 time for fixtures.
func ts(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
