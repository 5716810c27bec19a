package extract

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// utc parses an RFC 3339 time for test tables.
func utc(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

// structuredWindow is a window as a Statuspage or GCP parser states it.
func structuredWindow(t *testing.T, start, end string) notice.Window {
	t.Helper()
	return notice.Window{Start: utc(t, start), End: notice.TimePtr(utc(t, end)), Precision: notice.PrecisionMinute, Origin: notice.OriginStructured}
}

// windowSpans renders windows as "start..end origin" for comparison.
func windowSpans(ws []notice.Window) []string {
	out := []string{}
	for _, w := range ws {
		end := "open"
		if w.End != nil {
			end = w.End.Format(time.RFC3339)
		}
		out = append(out, w.Start.Format(time.RFC3339)+".."+end+" "+string(w.Origin))
	}
	return out
}

func TestExtractMergesWindows(t *testing.T) {
	pub := utc(t, "2024-10-15T18:00:00Z")
	sw := structuredWindow(t, "2024-10-15T10:00:00Z", "2024-10-15T11:00:00Z")
	cases := []struct {
		name       string
		text       string
		structured []notice.Window
		want       []string
	}{
		{"overlapping text window is dropped",
			"Between 10:05 and 10:50 UTC on 15 October 2024, Amazon S3 returned elevated errors.",
			[]notice.Window{sw},
			[]string{"2024-10-15T10:00:00Z..2024-10-15T11:00:00Z structured"}},
		{"non-overlapping text window is added after the structured one",
			"Between 14:00 and 15:30 UTC on 15 October 2024, Amazon S3 returned elevated errors.",
			[]notice.Window{sw},
			[]string{"2024-10-15T10:00:00Z..2024-10-15T11:00:00Z structured", "2024-10-15T14:00:00Z..2024-10-15T15:30:00Z text"}},
		{"open structured window swallows later text windows",
			"Between 14:00 and 15:30 UTC on 15 October 2024, Amazon S3 returned elevated errors.",
			[]notice.Window{{Start: utc(t, "2024-10-15T10:00:00Z"), Precision: notice.PrecisionMinute, Origin: notice.OriginStructured}},
			[]string{"2024-10-15T10:00:00Z..open structured"}},
		{"no structured windows keeps the text ones",
			"Between 14:00 and 15:30 UTC on 15 October 2024, Amazon S3 returned elevated errors.",
			nil,
			[]string{"2024-10-15T14:00:00Z..2024-10-15T15:30:00Z text"}},
		{"no windows at all is an empty list",
			"Amazon S3 returned elevated errors.",
			nil,
			[]string{}},
	}
	ex := New(testCatalog(t))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ex.Extract(Input{Text: tc.text, Published: pub, SourceVendor: "AWS", Windows: tc.structured})
			if spans := windowSpans(got.Windows); !reflect.DeepEqual(spans, tc.want) {
				t.Errorf("windows = %q, want %q", spans, tc.want)
			}
			if len(tc.structured) > 0 && !reflect.DeepEqual(got.Windows[0], tc.structured[0]) {
				t.Errorf("structured window changed: %+v", got.Windows[0])
			}
		})
	}
}

func TestExtractStructuredProducts(t *testing.T) {
	cases := []struct {
		name   string
		vendor string
		in     []notice.ProductRef
		want   []notice.ProductRef
	}{
		{"component mapped to the source vendor's product", "GitHub",
			[]notice.ProductRef{{Name: "Actions"}},
			[]notice.ProductRef{{Name: "GitHub Actions", Vendor: "GitHub", Matched: "structured: Actions"}}},
		{"full catalog name", "GitHub",
			[]notice.ProductRef{{Name: "GitHub Pages"}},
			[]notice.ProductRef{{Name: "GitHub Pages", Vendor: "GitHub", Matched: "structured: GitHub Pages"}}},
		{"unknown component kept as stated", "GitHub",
			[]notice.ProductRef{{Name: "Copilot Workspace Preview"}},
			[]notice.ProductRef{{Name: "Copilot Workspace Preview", Matched: "structured"}}},
		{"another vendor's product is not taken", "GitHub",
			[]notice.ProductRef{{Name: "Amazon S3"}},
			[]notice.ProductRef{{Name: "Amazon S3", Matched: "structured"}}},
		{"component vendor used on a news feed", "",
			[]notice.ProductRef{{Name: "Actions", Vendor: "GitHub"}},
			[]notice.ProductRef{{Name: "GitHub Actions", Vendor: "GitHub", Matched: "structured: Actions"}}},
		{"platform inferred from the source vendor without structured products", "GitHub",
			nil,
			[]notice.ProductRef{{Name: "GitHub.com", Vendor: "GitHub", Matched: "inferred from vendor GitHub"}}},
		{"duplicates folded", "GitHub",
			[]notice.ProductRef{{Name: "Actions"}, {Name: "GitHub Actions"}, {Name: "actions"}},
			[]notice.ProductRef{{Name: "GitHub Actions", Vendor: "GitHub", Matched: "structured: Actions"}}},
	}
	ex := New(testCatalog(t))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ex.Extract(Input{Title: "Incident", Text: "We are investigating.", SourceVendor: tc.vendor, Products: tc.in})
			if !reflect.DeepEqual(got.Products, tc.want) {
				t.Errorf("products = %+v, want %+v", got.Products, tc.want)
			}
		})
	}
}

func TestExtractStructuredProductsComeFirst(t *testing.T) {
	ex := New(testCatalog(t))
	got := ex.Extract(Input{
		Title: "Incident with Pages", Text: "GitHub Pages builds were delayed.", SourceVendor: "GitHub",
		Products: []notice.ProductRef{{Name: "Actions"}, {Name: "Pages"}},
	})
	var names []string
	for _, p := range got.Products {
		names = append(names, p.Name+" ("+p.Matched+")")
	}
	want := []string{"GitHub Actions (structured: Actions)", "GitHub Pages (structured: Pages)"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("products = %q, want %q", names, want)
	}
}

func TestExtractStripsHTML(t *testing.T) {
	const body = `<p>Between <strong>10:00</strong> and 11:30 UTC on 15 October 2024, <em>Amazon S3</em> requests returned elevated errors.</p><p>The issue is resolved.</p>`
	cases := []struct {
		name string
		in   Input
	}{
		{"declared HTML", Input{Title: "<b>Increased error rates</b>", Text: body, HTML: true}},
		{"markup detected", Input{Title: "Increased error rates", Text: body}},
	}
	ex := New(testCatalog(t))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.SourceVendor, tc.in.Published = "AWS", utc(t, "2024-10-15T12:00:00Z")
			got := ex.Extract(tc.in)
			if len(got.Windows) != 1 {
				t.Fatalf("windows = %v, want one", windowSpans(got.Windows))
			}
			w := got.Windows[0]
			if strings.ContainsAny(w.Evidence, "<>") || !strings.Contains(w.Evidence, "10:00") {
				t.Errorf("evidence %q should be plain text", w.Evidence)
			}
			if !w.Start.Equal(utc(t, "2024-10-15T10:00:00Z")) || w.End == nil || !w.End.Equal(utc(t, "2024-10-15T11:30:00Z")) {
				t.Errorf("window = %v", windowSpans(got.Windows))
			}
			if len(got.Products) == 0 || got.Products[0].Name != "Amazon S3" {
				t.Errorf("products = %+v, want Amazon S3 first", got.Products)
			}
		})
	}
}

func TestExtractLanguage(t *testing.T) {
	const fr = "Le service de messagerie a été indisponible pour les utilisateurs en Europe pendant deux heures."
	cases := []struct {
		name, declared, text, want string
	}{
		{"declared language kept", "de", fr, "de"},
		{"detected when not declared", "", fr, "fr"},
		{"detected English", "", "The mail service was unavailable for users in Europe for two hours.", "en"},
		{"no letters gives none", "", "12:00 - 13:00", ""},
	}
	ex := New(testCatalog(t))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ex.Extract(Input{Text: tc.text, Language: tc.declared}).Language; got != tc.want {
				t.Errorf("language = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestExtractVersionAndDeterminism(t *testing.T) {
	ex := New(testCatalog(t))
	for _, path := range noticeFixtures(t) {
		t.Run(path, func(t *testing.T) {
			in := loadNoticeFixture(t, path).input()
			a, b := ex.Extract(in), ex.Extract(in)
			if a.Version != Version || Version == "" {
				t.Errorf("version = %q, want %q", a.Version, Version)
			}
			if !reflect.DeepEqual(a, b) {
				t.Errorf("two runs differ:\n%+v\n%+v", a, b)
			}
		})
	}
}

// TestExtractItem checks that a crawled item's structured fields reach
// the extraction.
func TestExtractItem(t *testing.T) {
	ex := New(testCatalog(t))
	sw := structuredWindow(t, "2024-10-15T10:00:00Z", "2024-10-15T11:00:00Z")
	it := notice.Item{
		Title: "Scheduled maintenance for Actions", Text: "<p>We will perform maintenance.</p>",
		Published: utc(t, "2024-10-14T09:00:00Z"), Vendor: "GitHub", Language: "en", Maintenance: true,
		Products: []notice.ProductRef{{Name: "Actions"}}, Windows: []notice.Window{sw},
	}
	got := ex.ExtractItem(it)
	if got.Vendor != "GitHub" || got.Language != "en" || got.Category != notice.CategoryMaintenance {
		t.Errorf("vendor, language, category = %q, %q, %q", got.Vendor, got.Language, got.Category)
	}
	if len(got.Products) == 0 || got.Products[0].Matched != "structured: Actions" {
		t.Errorf("products = %+v", got.Products)
	}
	if len(got.Windows) != 1 || !reflect.DeepEqual(got.Windows[0], sw) {
		t.Errorf("windows = %v", windowSpans(got.Windows))
	}
}

// TestExtractRules pins the general rules added while reviewing the whole
// notice goldens: a cue word inside a product name says nothing about
// impact, a "since" window is closed by a later Resolved update, and a
// weekday named without a date is a day of the publication's week.
func TestExtractRules(t *testing.T) {
	cases := []struct {
		name, vendor, published, title, text string
		products, notProducts                []string
		windows                              []string
	}{
		{"product named Issues listed as unaffected", "GitHub", "2024-10-16T00:00:00Z",
			"Incident with Actions", "Actions jobs were delayed. Git operations, Issues and Pull Requests were not impacted.",
			[]string{"GitHub Actions"}, []string{"GitHub Issues", "GitHub Git Operations", "GitHub Pull Requests"}, []string{}},
		{"since closed by the resolved update", "Slack", "2024-10-03T16:00:00Z",
			"Delayed messages", "Oct 3, 15:02 UTC\nResolved - This incident has been resolved.\n\nOct 3, 13:10 UTC\nMonitoring - Messages delayed since 12:40 UTC are now arriving.\n",
			nil, nil, []string{"2024-10-03T12:40:00Z..2024-10-03T15:02:00Z text"}},
		{"since without a resolution stays open", "Slack", "2024-10-03T16:00:00Z",
			"Delayed messages", "Oct 3, 13:10 UTC\nMonitoring - Messages delayed since 12:40 UTC are now arriving.\n",
			nil, nil, []string{"2024-10-03T12:40:00Z..open text"}},
		{"weekday without a date", "", "2025-10-20T21:05:00Z",
			"Cloud outage", "The AWS outage began at 11:49 PM PDT on Sunday. All services returned to normal operations at 3:01 PM PDT on Monday.",
			nil, nil, []string{"2025-10-20T06:49:00Z..2025-10-20T22:01:00Z text"}},
	}
	ex := New(testCatalog(t))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ex.Extract(Input{Title: tc.title, Text: tc.text, SourceVendor: tc.vendor, Published: utc(t, tc.published)})
			names := map[string]bool{}
			for _, p := range got.Products {
				names[p.Name] = true
			}
			for _, n := range tc.products {
				if !names[n] {
					t.Errorf("missing product %q in %+v", n, got.Products)
				}
			}
			for _, n := range tc.notProducts {
				if names[n] {
					t.Errorf("unexpected product %q", n)
				}
			}
			if tc.windows != nil && !reflect.DeepEqual(windowSpans(got.Windows), tc.windows) {
				t.Errorf("windows = %q, want %q", windowSpans(got.Windows), tc.windows)
			}
		})
	}
}

func TestWeekdayShift(t *testing.T) {
	cases := []struct {
		name   string
		pub    time.Weekday
		wd     int
		future bool
		want   int
	}{
		{"same day", time.Monday, 1, false, 0},
		{"yesterday", time.Monday, 7, false, -1},
		{"last week's Tuesday", time.Monday, 2, false, -6},
		{"Sunday from Saturday", time.Saturday, 7, false, -6},
		{"planned Saturday from Wednesday", time.Wednesday, 6, true, 3},
		{"planned same day", time.Friday, 5, true, 0},
		{"planned Monday from Sunday", time.Sunday, 1, true, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := weekdayShift(tc.pub, tc.wd, tc.future); got != tc.want {
				t.Errorf("weekdayShift(%v, %d, %v) = %d, want %d", tc.pub, tc.wd, tc.future, got, tc.want)
			}
		})
	}
}
