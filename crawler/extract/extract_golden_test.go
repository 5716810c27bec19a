package extract

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// noticeFixture is one whole notice of testdata/notices/NAME.json, in the
// shape of Input.
type noticeFixture struct {
	Title        string    `json:"title"`
	Text         string    `json:"text"`
	Published    time.Time `json:"published"`
	SourceVendor string    `json:"source_vendor"`
	HTML         bool      `json:"html"`
	Language     string    `json:"language"`
	Timezone     string    `json:"timezone"`
	Impact       string    `json:"impact"`
	Maintenance  bool      `json:"maintenance"`
}

// input turns the fixture into the extractor's Input.
func (f noticeFixture) input() Input {
	return Input{
		Title: f.Title, Text: f.Text, HTML: f.HTML, Published: f.Published,
		SourceVendor: f.SourceVendor, Language: f.Language, Timezone: f.Timezone,
		Impact: f.Impact, Maintenance: f.Maintenance,
	}
}

// noticeFixtures returns the paths of testdata/notices/*.json without their
// golden files.
func noticeFixtures(t testing.TB) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join("testdata", "notices", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, p := range all {
		if !strings.HasSuffix(p, ".golden.json") {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		t.Fatal("no notice fixtures in testdata/notices")
	}
	return paths
}

// loadNoticeFixture reads one fixture, refusing unknown fields so a typo
// in a fixture cannot silently drop an input.
func loadNoticeFixture(t testing.TB, path string) noticeFixture {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f noticeFixture
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

// TestExtractGolden checks the whole extraction of each notice of
// testdata/notices against NAME.golden.json. Refresh with
// go test ./crawler/extract -run Golden -update, then review the diff.
func TestExtractGolden(t *testing.T) {
	ex := New(testCatalog(t))
	for _, path := range noticeFixtures(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			f := loadNoticeFixture(t, path)
			checkGolden(t, strings.TrimSuffix(path, ".json")+".golden.json", ex.Extract(f.input()))
		})
	}
}
