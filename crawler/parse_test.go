package crawler

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// updateParseGolden rewrites testdata/parse/golden/*.golden from the current
// parser output: go test ./crawler/ -run TestParseGolden -update-parse
var updateParseGolden = flag.Bool("update-parse", false, "rewrite the parser golden files")

// parseFixtureCase names a fixture and how it is parsed.
type parseFixtureCase struct {
	file  string
	parse func([]byte, notice.Source) ([]notice.Item, error)
	src   notice.Source
}

// parseFixtures lists every well-formed fixture with its parser and source.
func parseFixtures() []parseFixtureCase {
	feed := func(name, tz string) notice.Source {
		return notice.Source{Name: name, Kind: notice.KindFeed, Vendor: "", Timezone: tz, URL: "https://feeds.example/" + name}
	}
	sp := notice.Source{Name: "lumen", Kind: notice.KindStatuspage, Vendor: "Lumen Payments", Language: "en", URL: "https://status.lumenpay.example"}
	gcp := notice.Source{Name: "gcp", Kind: notice.KindGCP, Vendor: "Google Cloud", Language: "en", URL: "https://status.cloud.google.com/incidents.json"}
	history := func(name, vendor string) notice.Source {
		return notice.Source{Name: name, Kind: notice.KindFeed, Vendor: vendor, Language: "en", URL: "https://status." + name + ".example/history.rss"}
	}
	return []parseFixtureCase{
		{"rss20.xml", ParseFeed, feed("nimbus", "Europe/Paris")},
		{"rss091.xml", ParseFeed, feed("quillmail", "")},
		{"atom10.xml", ParseFeed, feed("ferrodb", "")},
		{"jsonfeed11.json", ParseFeed, feed("parcelbird", "")},
		{"latin1_fr.xml", ParseFeed, feed("hebergix", "Europe/Paris")},
		{"statuspage_history.rss", ParseFeed, history("brightchat", "BrightChat")},
		{"statuspage_history.atom", ParseFeed, history("kitestore", "KiteStore")},
		{"statuspage_incidents.json", ParseStatuspageIncidents, sp},
		{"statuspage_maintenances.json", ParseStatuspageMaintenances, sp},
		{"gcp_incidents.json", ParseGCP, gcp},
	}
}

// readParseFixture loads testdata/parse/name.
func readParseFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "parse", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// itemByID finds an item or fails the test.
func itemByID(t *testing.T, items []notice.Item, id string) notice.Item {
	t.Helper()
	for _, it := range items {
		if it.ItemID == id {
			return it
		}
	}
	t.Fatalf("no item %q among %d items", id, len(items))
	return notice.Item{}
}

// mustTime parses an RFC 3339 time for expectations.
func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

// checkWindow asserts an item has exactly one structured window with the
// given bounds (end "" for open).
func checkWindow(t *testing.T, it notice.Item, start, end string) {
	t.Helper()
	if len(it.Windows) != 1 {
		t.Fatalf("%s: got %d windows, want 1: %+v", it.ItemID, len(it.Windows), it.Windows)
	}
	w := it.Windows[0]
	if err := w.Validate(); err != nil {
		t.Errorf("%s: invalid window: %v", it.ItemID, err)
	}
	if w.Origin != notice.OriginStructured || w.Precision != notice.PrecisionMinute || w.Evidence == "" {
		t.Errorf("%s: window origin/precision/evidence = %q/%q/%q", it.ItemID, w.Origin, w.Precision, w.Evidence)
	}
	if !w.Start.Equal(mustTime(t, start)) || w.Start.Location() != time.UTC {
		t.Errorf("%s: window start = %v, want %s (UTC)", it.ItemID, w.Start, start)
	}
	switch {
	case end == "" && w.End != nil:
		t.Errorf("%s: window end = %v, want open", it.ItemID, *w.End)
	case end != "" && w.End == nil:
		t.Errorf("%s: window is open, want end %s", it.ItemID, end)
	case end != "" && (!w.End.Equal(mustTime(t, end)) || w.End.Location() != time.UTC):
		t.Errorf("%s: window end = %v, want %s (UTC)", it.ItemID, *w.End, end)
	}
}

// TestParseGolden compares each fixture's parsed items with its golden
// file, so that any change in any field is seen in review.
func TestParseGolden(t *testing.T) {
	for _, tc := range parseFixtures() {
		t.Run(tc.file, func(t *testing.T) {
			items, err := tc.parse(readParseFixture(t, tc.file), tc.src)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(items, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "parse", "golden", tc.file+".golden")
			if *updateParseGolden {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update-parse to create)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update-parse to accept):\n%s", path, got)
			}
		})
	}
}

// TestParseInvariants checks what must hold for every item of every
// fixture: identity, UTC times, valid structured windows, Raw set, and
// structured products tagged as such.
func TestParseInvariants(t *testing.T) {
	for _, tc := range parseFixtures() {
		t.Run(tc.file, func(t *testing.T) {
			items, err := tc.parse(readParseFixture(t, tc.file), tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) == 0 {
				t.Fatal("no items")
			}
			seen := map[string]bool{}
			for _, it := range items {
				if it.ItemID == "" || seen[it.ItemID] {
					t.Errorf("item id %q empty or repeated", it.ItemID)
				}
				seen[it.ItemID] = true
				if it.Source != tc.src.Name || it.Vendor != tc.src.Vendor {
					t.Errorf("%s: source/vendor = %q/%q", it.ItemID, it.Source, it.Vendor)
				}
				if it.Title == "" || it.Text == "" || len(it.Raw) == 0 || !json.Valid(it.Raw) {
					t.Errorf("%s: title %q, text %d bytes, raw %d bytes (valid %v)", it.ItemID, it.Title, len(it.Text), len(it.Raw), json.Valid(it.Raw))
				}
				for _, ts := range []time.Time{it.Published, it.Updated} {
					if !ts.IsZero() && ts.Location() != time.UTC {
						t.Errorf("%s: time %v not UTC", it.ItemID, ts)
					}
				}
				for _, w := range it.Windows {
					if err := w.Validate(); err != nil || w.Origin != notice.OriginStructured {
						t.Errorf("%s: window %+v: %v", it.ItemID, w, err)
					}
				}
				for _, p := range it.Products {
					if p.Matched != "structured" || p.Vendor != tc.src.Vendor || p.Name == "" {
						t.Errorf("%s: product %+v", it.ItemID, p)
					}
				}
				if strings.Contains(it.Text, "<p>") || strings.Contains(it.Text, "&amp;") {
					t.Errorf("%s: text still holds markup: %q", it.ItemID, it.Text)
				}
			}
		})
	}
}

// TestParseDeterministic parses every fixture twice and expects identical
// items, Raw included.
func TestParseDeterministic(t *testing.T) {
	for _, tc := range parseFixtures() {
		t.Run(tc.file, func(t *testing.T) {
			body := readParseFixture(t, tc.file)
			a, errA := tc.parse(body, tc.src)
			b, errB := tc.parse(bytes.Clone(body), tc.src)
			if errA != nil || errB != nil {
				t.Fatal(errA, errB)
			}
			if !reflect.DeepEqual(a, b) {
				t.Error("two parses of the same body differ")
			}
		})
	}
}

func TestUniqueItems(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	item := func(id, text string, updated time.Time) notice.Item {
		return notice.Item{ItemID: id, Text: text, Published: t0, Updated: updated}
	}
	tests := []struct {
		name     string
		in       []notice.Item
		wantIDs  []string
		wantText []string
	}{
		{"no repeats", []notice.Item{item("a", "1", t0), item("b", "2", t0)}, []string{"a", "b"}, []string{"1", "2"}},
		{"later fuller copy wins, first position kept",
			[]notice.Item{item("a", "short", t0), item("b", "x", t0), item("a", "longer text", t0)},
			[]string{"a", "b"}, []string{"longer text", "x"}},
		{"newer copy wins even if shorter",
			[]notice.Item{item("a", "long old text", t0.Add(time.Hour)), item("a", "short", t0)},
			[]string{"a"}, []string{"long old text"}},
		{"equally new and long: the later one", []notice.Item{item("a", "aaaa", t0), item("a", "bbbb", t0)}, []string{"a"}, []string{"bbbb"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := uniqueItems(tc.in)
			var ids, texts []string
			for _, it := range got {
				ids = append(ids, it.ItemID)
				texts = append(texts, it.Text)
			}
			if !reflect.DeepEqual(ids, tc.wantIDs) || !reflect.DeepEqual(texts, tc.wantText) {
				t.Errorf("got %v %v, want %v %v", ids, texts, tc.wantIDs, tc.wantText)
			}
		})
	}
}

func TestAbsURL(t *testing.T) {
	tests := []struct {
		ref   string
		bases []string
		want  string
	}{
		{"https://a.example/x", nil, "https://a.example/x"},
		{"/x/y", []string{"https://a.example/feed.xml"}, "https://a.example/x/y"},
		{"y", []string{"", "not a url", "https://a.example/dir/feed.xml"}, "https://a.example/dir/y"},
		{"/x", nil, ""},
		{"javascript:alert(1)", []string{"https://a.example/"}, ""},
		{"mailto:ops@a.example", nil, ""},
		{"  ", []string{"https://a.example/"}, ""},
		{"http://[::1", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			if got := absURL(tc.ref, tc.bases...); got != tc.want {
				t.Errorf("absURL(%q, %q) = %q, want %q", tc.ref, tc.bases, got, tc.want)
			}
		})
	}
}

func TestPlainAndTypedText(t *testing.T) {
	tests := []struct {
		name, in, plain, typed string
	}{
		{"plain", "a  b\r\n\r\n\r\nc ", "a b\n\nc", "a b\n\nc"},
		{"html", "<p>a</p><p>b &amp; c</p>", "a\n\nb & c", "a\n\nb & c"},
		{"text with a link keeps its lines", "Fixed.\nSee <a href=\"/x\">notes</a>.\n\nMonitoring.",
			"Fixed. See notes. Monitoring.", "Fixed.\nSee notes.\n\nMonitoring."},
		{"comparison is not markup", "p99 < 5 ms\nok", "p99 < 5 ms\nok", "p99 < 5 ms\nok"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := plainText(tc.in); got != tc.plain {
				t.Errorf("plainText = %q, want %q", got, tc.plain)
			}
			if got := typedText(tc.in); got != tc.typed {
				t.Errorf("typedText = %q, want %q", got, tc.typed)
			}
		})
	}
}

func TestStructuredProducts(t *testing.T) {
	got := structuredProducts([]string{"API", " ", "Webhooks", "api", " Git  Operations "}, "GitHub")
	want := []notice.ProductRef{
		{Name: "API", Vendor: "GitHub", Matched: "structured"},
		{Name: "Webhooks", Vendor: "GitHub", Matched: "structured"},
		{Name: "Git Operations", Vendor: "GitHub", Matched: "structured"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestStructuredWindowRejectsBadSpans(t *testing.T) {
	start := time.Date(2024, 5, 1, 10, 0, 0, 0, time.FixedZone("x", 7200))
	before := start.Add(-time.Minute)
	if _, ok := structuredWindow(start, &before, "e"); ok {
		t.Error("window ending before its start was accepted")
	}
	if _, ok := structuredWindow(time.Time{}, nil, "e"); ok {
		t.Error("window without start was accepted")
	}
	w, ok := structuredWindow(start, nil, "e")
	if !ok || !w.Open() || w.Start.Location() != time.UTC || !w.Start.Equal(start) {
		t.Errorf("open window = %+v, %v", w, ok)
	}
}
