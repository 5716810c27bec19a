package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// update rewrites golden files: go test ./crawler/extract -run Golden -update
var update = flag.Bool("update", false, "rewrite testdata golden files")

// windowFixture is one notice of testdata/windows: "key: value" header
// lines (published, language, vendor, timezone), a blank line, the text.
type windowFixture struct {
	hints WindowHints
	text  string
}

func loadWindowFixture(t testing.TB, path string) windowFixture {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	head, text, ok := strings.Cut(string(b), "\n\n")
	if !ok {
		t.Fatalf("%s: no blank line after the header", path)
	}
	var f windowFixture
	f.text = text
	for _, line := range strings.Split(head, "\n") {
		k, v, _ := strings.Cut(line, ":")
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "published":
			p, err := time.Parse(time.RFC3339, v)
			if err != nil {
				t.Fatalf("%s: published: %v", path, err)
			}
			f.hints.Published = p.UTC()
		case "language":
			f.hints.Language = v
		case "vendor":
			f.hints.Vendor = v
		case "timezone":
			f.hints.Timezone = v
		}
	}
	return f
}

func windowFixtures(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "windows", "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no window fixtures: %v", err)
	}
	return paths
}

// TestExtractWindowsGolden checks whole notices against their golden
// windows (testdata/windows/*.golden.json).
func TestExtractWindowsGolden(t *testing.T) {
	for _, path := range windowFixtures(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".txt")
		t.Run(name, func(t *testing.T) {
			f := loadWindowFixture(t, path)
			checkGolden(t, strings.TrimSuffix(path, ".txt")+".golden.json", ExtractWindows(f.text, f.hints))
		})
	}
}

// checkGolden compares v, as indented JSON, with a golden file, or rewrites
// the file under -update.
func checkGolden(t *testing.T, golden string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("result differs from %s:\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
}
