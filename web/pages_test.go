package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

// goneGaps is the store as seen right after every gap was deleted: links
// still name them, but no gap is found.
type goneGaps struct{ *store.Store }

func (goneGaps) Gap(context.Context, notice.TenantID, notice.GapID) (notice.Gap, error) {
	return notice.Gap{}, fmt.Errorf("test: gap deleted: %w", notice.ErrNotFound)
}

// TestNoticeSkipsMissingGaps: a linked gap that is gone is left out of the
// notice page instead of turning it into a 404.
func TestNoticeSkipsMissingGaps(t *testing.T) {
	w := newWorldWith(t, worldConfig{tenants: func(s *store.Store) api.TenantStore { return goneGaps{s} }})
	c := w.client()
	c.signIn(t, w.keyA)
	if p := c.upload(t, "testdata/gaps.csv"); p.status != http.StatusSeeOther {
		t.Fatalf("upload: %d", p.status)
	}
	id := w.ids["ms-logs-fr"]
	if ls, err := w.st.TenantNoticeLinks(t.Context(), 1, id); err != nil || len(ls) == 0 {
		t.Fatalf("precondition: the upload links a gap to the notice (%d links, %v)", len(ls), err)
	}
	p := c.get(t, "/notices/"+strconv.FormatInt(int64(id), 10))
	if p.status != 200 || !strings.Contains(p.body, `id="notice-title"`) || strings.Contains(p.body, `href="/gaps/`) ||
		strings.Contains(p.body, "Your gaps this notice explains") {
		t.Fatalf("notice with a deleted gap: %d, or it still links the gap", p.status)
	}
}

// openNotice is a notice whose window has no end yet.
var openNotice = fixture{
	Item: notice.Item{ItemID: "open-1", Title: "Queue delays in Example Queue", Text: "Messages are delayed since 08:00 UTC.",
		URL: "https://status.example.test/open-1", Published: time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)},
	Extraction: notice.Extraction{Vendor: "Example", Language: "en", Category: notice.CategoryDegradation,
		Windows: []notice.Window{{Start: time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC), Precision: notice.PrecisionMinute, Origin: notice.OriginText}}},
}

// TestNoticeTimeline: an open window is drawn up to the horizon linking
// assumes (published + notice.OpenHorizon), labelled as such, fading; the
// axis is said to be in UTC; bars are named for assistive technology.
func TestNoticeTimeline(t *testing.T) {
	w := newWorld(t, openNotice)
	p := w.client().get(t, "/notices/"+strconv.FormatInt(int64(w.ids["open-1"]), 10))
	if p.status != 200 {
		t.Fatalf("status %d", p.status)
	}
	until := openNotice.Item.Published.Add(notice.OpenHorizon).Format("2006-01-02 15:04 UTC")
	for _, want := range []string{
		`class="bar win win-minute open"`,
		"ongoing, assumed until " + until,
		"2025-05-01 08:00 UTC → ongoing, assumed until " + until + " (minute precision)",
		"Axis in UTC.",
		`role="group" aria-label="Affected windows of this notice (axis in UTC)"`,
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("notice page lacks %q", want)
		}
	}
	x, width := barGeometry(t, p.body, "bar win win-minute open")
	if x+width > 960-16-1 {
		t.Errorf("the open window (x %v, width %v) runs to the right edge instead of its assumed end", x, width)
	}
}

var barRe = regexp.MustCompile(`<rect class="([^"]+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"`)

// barGeometry returns the x and width of the first bar with class.
func barGeometry(t *testing.T, body, class string) (x, width float64) {
	t.Helper()
	for _, m := range barRe.FindAllStringSubmatch(body, -1) {
		if m[1] == class {
			x, _ = strconv.ParseFloat(m[2], 64)
			width, _ = strconv.ParseFloat(m[3], 64)
			return x, width
		}
	}
	t.Fatalf("no bar of class %q", class)
	return 0, 0
}

// TestTimelineLinksAreNamed: every link in a timeline carries the bar's
// title as its accessible name, inside an SVG that is a group (an img
// would hide them).
func TestTimelineLinksAreNamed(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	c.signIn(t, w.keyA)
	if p := c.upload(t, "testdata/gaps.csv"); p.status != http.StatusSeeOther {
		t.Fatalf("upload: %d", p.status)
	}
	doc, err := html.Parse(strings.NewReader(c.get(t, "/gaps").body))
	if err != nil {
		t.Fatal(err)
	}
	links := 0
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if n.Data == "svg" && attr(n, "role") != "group" {
			t.Errorf("timeline role %q, want group", attr(n, "role"))
		}
		if n.Data == "a" && n.Parent != nil && n.Parent.Data == "svg" {
			links++
			if attr(n, "aria-label") == "" {
				t.Errorf("timeline link to %s has no accessible name", attr(n, "href"))
			}
		}
	}
	if links < 3 {
		t.Fatalf("%d links in the timeline, want the two gaps and a vendor window", links)
	}
}

// attr is an element's attribute value.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestSearchPastTheLastPage: a page number past the last answers a
// readable 404 leading back.
func TestSearchPastTheLastPage(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	cases := []struct{ path, text, link string }{
		{"/?page=50", "has 1 page(s) of results; page 50 is past the last one", `href="/?page=1" id="error-link">Go to the last page (1)<`},
		{"/?vendor=Nobody&page=2", "no results any more", `href="/?page=1&amp;vendor=Nobody" id="error-link">Back to the search<`},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			p := c.get(t, tc.path)
			if p.status != 404 || !strings.Contains(p.body, tc.text) || !strings.Contains(p.body, tc.link) {
				t.Fatalf("%d, want 404 with %q and %s", p.status, tc.text, tc.link)
			}
		})
	}
	if p := c.get(t, "/?vendor=Nobody"); p.status != 200 || !strings.Contains(p.body, "No notice matches") {
		t.Fatalf("first page without results: %d", p.status)
	}
}

// TestSearchFormControls: the sort menu shows the order asked for, the
// default (relevance with words, newest without) staying the default when
// words are typed next; only facet checkboxes submit by themselves.
func TestSearchFormControls(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	cases := []struct{ query, selected string }{
		{"", `<option value="" selected>Best match (newest first without words)</option>`},
		{"q=logs", `<option value="" selected>Best match (newest first without words)</option>`},
		{"q=logs&sort=relevance", `<option value="relevance" selected>Relevance</option>`},
		{"q=logs&sort=published", `<option value="published" selected>Newest published</option>`},
		{"sort=window_start", `<option value="window_start" selected>Latest affected window</option>`},
	}
	for _, tc := range cases {
		p := c.get(t, "/?"+tc.query)
		if !strings.Contains(p.body, tc.selected) || strings.Count(p.body, " selected>") != 1 {
			t.Errorf("?%s: sort menu does not show %s alone", tc.query, tc.selected)
		}
	}
	doc, err := html.Parse(strings.NewReader(c.get(t, "/").body))
	if err != nil {
		t.Fatal(err)
	}
	boxes := 0
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || !hasAttr(n, "data-autosubmit") {
			continue
		}
		if n.Data != "input" || attr(n, "type") != "checkbox" {
			t.Errorf("<%s type=%q name=%q> submits by itself", n.Data, attr(n, "type"), attr(n, "name"))
		}
		boxes++
	}
	if boxes == 0 {
		t.Fatal("no facet checkbox submits by itself")
	}
}

// hasAttr reports whether an element has the attribute.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// TestGapsFilterRange: a filter ending before it starts is refused in
// words, like the search's.
func TestGapsFilterRange(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	c.signIn(t, w.keyA)
	p := c.get(t, "/gaps?from=2024-02-01&to=2024-01-01")
	if p.status != 400 || !strings.Contains(p.body, "must not be before its start") {
		t.Fatalf("reversed range: %d", p.status)
	}
	if p := c.get(t, "/gaps?from=2024-01-01&to=2024-01-01"); p.status != 200 {
		t.Fatalf("one-day range: %d", p.status)
	}
}
