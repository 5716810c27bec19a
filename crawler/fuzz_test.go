package crawler

import (
	"reflect"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gapwatch/gapwatch/crawler/htmltext"
	"github.com/gapwatch/gapwatch/notice"
)

// Fuzz targets for the source parsers: whatever the payload, they must not
// panic, must return either items or an error (never both), must produce
// only well-formed windows, and must be deterministic. Run one with e.g.
//
//	go test ./crawler/ -run XXX -fuzz FuzzParseFeed -fuzztime 20s

// seedParseFuzz adds the named fixtures to the corpus.
func seedParseFuzz(f *testing.F, files ...string) {
	for _, name := range files {
		f.Add(readParseFixture(f, name))
	}
}

// checkParsed asserts the invariants every parser result must meet.
func checkParsed(t *testing.T, items []notice.Item, err error, again func() ([]notice.Item, error)) {
	t.Helper()
	if err != nil {
		if items != nil {
			t.Fatalf("error %v returned together with %d items", err, len(items))
		}
		return
	}
	for _, it := range items {
		if it.ItemID == "" {
			t.Fatalf("item without id: %+v", it)
		}
		for _, w := range it.Windows {
			if w.End != nil && w.End.Before(w.Start) {
				t.Fatalf("%s: window ends %v before it starts %v", it.ItemID, *w.End, w.Start)
			}
			if err := w.Validate(); err != nil {
				t.Fatalf("%s: %v", it.ItemID, err)
			}
		}
	}
	items2, err2 := again()
	if err2 != nil || !reflect.DeepEqual(items, items2) {
		t.Fatalf("second parse differs (err %v)", err2)
	}
}

func FuzzParseFeed(f *testing.F) {
	seedParseFuzz(f, "rss20.xml", "rss091.xml", "atom10.xml", "jsonfeed11.json", "latin1_fr.xml",
		"statuspage_history.rss", "statuspage_history.atom", "not_a_feed.html", "broken.xml")
	src := notice.Source{Name: "fuzz", Vendor: "V", Timezone: "Europe/Paris", URL: "https://feeds.example/x.xml"}
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := ParseFeed(body, src)
		checkParsed(t, items, err, func() ([]notice.Item, error) { return ParseFeed(body, src) })
	})
}

func FuzzParseStatuspage(f *testing.F) {
	seedParseFuzz(f, "statuspage_incidents.json", "statuspage_maintenances.json")
	f.Add([]byte(`{"incidents":[{"id":"a","started_at":"2024-01-01T12:00:00Z","resolved_at":"2024-01-01T11:00:00Z"}]}`))
	src := notice.Source{Name: "fuzz", Vendor: "V", URL: "https://status.example"}
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := ParseStatuspageIncidents(body, src)
		checkParsed(t, items, err, func() ([]notice.Item, error) { return ParseStatuspageIncidents(body, src) })
		items, err = ParseStatuspageMaintenances(body, src)
		checkParsed(t, items, err, func() ([]notice.Item, error) { return ParseStatuspageMaintenances(body, src) })
	})
}

func FuzzParseGCP(f *testing.F) {
	seedParseFuzz(f, "gcp_incidents.json")
	f.Add([]byte(`[{"id":"b","begin":"2024-01-02T00:00:00+00:00","end":"2024-01-01T00:00:00+00:00"}]`))
	src := notice.Source{Name: "fuzz", Vendor: "V", URL: "https://status.cloud.google.com/incidents.json"}
	f.Fuzz(func(t *testing.T, body []byte) {
		items, err := ParseGCP(body, src)
		checkParsed(t, items, err, func() ([]notice.Item, error) { return ParseGCP(body, src) })
	})
}

func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{
		"<p>a</p><p>b &amp; c</p>",
		"<ul><li>x</li></ul><script>bad()</script><pre>k\nl</pre>",
		"<p><small>Dec <var data-var='date'> 9</var>, <var data-var='time'>14:05</var> CET</small><br><strong>Resolved</strong> - ok</p>",
		"plain < text & more",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := htmltext.Text(s)
		_ = htmltext.LooksLikeHTML(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("valid input gave invalid UTF-8 output %q", out)
		}
		if out != htmltext.Text(s) {
			t.Fatal("Text is not deterministic")
		}
		// The history reader must never panic on any fragment either.
		if h, ok := parseStatuspageHistory(s, stampClock{ref: time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)}); ok {
			if w, ok := h.window(); ok && w.Validate() != nil {
				t.Fatalf("invalid window %+v", w)
			}
		}
	})
}
