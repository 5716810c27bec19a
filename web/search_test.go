package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

var totalRe = regexp.MustCompile(`data-total="(\d+)"`)

// total reads the result count of a search page.
func total(t *testing.T, p response) string {
	t.Helper()
	m := totalRe.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no result count (%d)", p.status)
	}
	return m[1]
}

func TestSearchFilters(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	cases := []struct {
		name, query, want string
	}{
		{"everything", "", "7"},
		{"french phrase", "q=" + url.QueryEscape("journaux de sécurité"), "1"},
		{"vendor", "vendor=GitHub", "2"},
		{"two vendors", "vendor=GitHub&vendor=AWS", "3"},
		{"category", "category=data-loss", "2"},
		{"product alias", "product=" + url.QueryEscape("Entra ID"), "2"},
		{"affected time", "from=2024-06-01&to=2024-06-30", "1"},
		{"year", "year=2024", "3"},
		{"year and text", "year=2024&q=Microsoft", "2"},
		{"year and vendor", "year=2025&vendor=GitHub", "2"},
		{"years", "year=2023&year=2025", "4"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := c.get(t, "/?"+tc.query)
			if p.status != 200 || total(t, p) != tc.want {
				t.Fatalf("%s: %d, %s results; want %s", tc.query, p.status, total(t, p), tc.want)
			}
		})
	}
}

func TestSearchBadParameters(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	cases := map[string]string{
		"category=nonsense":             "unknown category",
		"from=yesterday":                "from must be an RFC 3339 time",
		"from=2024-02-01&to=2024-01-01": "must not be before",
		"sort=random":                   "sort must be relevance",
		"page=0":                        "page must be an integer",
		"year=twenty":                   "year must be a year",
		"q=" + url.QueryEscape(`title:"unclosed`): "invalid parameter q",
	}
	for q, want := range cases {
		t.Run(q, func(t *testing.T) {
			p := c.get(t, "/?"+q)
			if p.status != http.StatusBadRequest || !strings.Contains(p.body, `id="search-error"`) || !strings.Contains(p.body, want) {
				t.Fatalf("status %d, want 400 with %q", p.status, want)
			}
		})
	}
}

func TestSearchPagesKeepTheQuery(t *testing.T) {
	var extra []fixture
	for i := range 25 {
		extra = append(extra, fixture{
			Item: notice.Item{ItemID: fmt.Sprintf("bulk-%02d", i), Title: fmt.Sprintf("Bulk notice %02d", i), Text: "Queue delays.",
				Published: time.Date(2025, 2, 1+i, 0, 0, 0, 0, time.UTC)},
			Extraction: notice.Extraction{Vendor: "Bulk Co", Language: "en", Category: notice.CategoryDegradation},
		})
	}
	w := newWorld(t, extra...)
	c := w.client()
	p := c.get(t, "/?vendor=Bulk+Co")
	if total(t, p) != "25" || strings.Count(p.body, `class="hit"`) != 20 || !strings.Contains(p.body, "Page 1 of 2") {
		t.Fatalf("first page: %s results, %d shown", total(t, p), strings.Count(p.body, `class="hit"`))
	}
	next := regexp.MustCompile(`rel="next" href="([^"]+)"`).FindStringSubmatch(p.body)
	if next == nil {
		t.Fatal("no next link")
	}
	u := html.UnescapeString(next[1])
	if !strings.Contains(u, "vendor=Bulk+Co") || !strings.Contains(u, "page=2") {
		t.Fatalf("next link %q loses the query", u)
	}
	p2 := c.get(t, u)
	if strings.Count(p2.body, `class="hit"`) != 5 || !strings.Contains(p2.body, `rel="prev"`) || strings.Contains(p2.body, `rel="next"`) {
		t.Fatalf("second page shows %d", strings.Count(p2.body, `class="hit"`))
	}
	if !strings.Contains(p.body, "Bulk notice 24") || !strings.Contains(p2.body, "Bulk notice 00") {
		t.Fatal("pages are not newest first")
	}
}

func TestSignInOutAndAdmin(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	tok := c.csrf(t, "/signin")
	if p := c.post(t, "/signin", url.Values{"csrf": {tok}, "key": {"gw_wrong"}}); p.status != 401 || !strings.Contains(p.body, "This key is not valid") {
		t.Fatalf("wrong key: %d", p.status)
	}
	if p := c.get(t, "/sources"); p.status != http.StatusSeeOther {
		t.Fatalf("anonymous sources: %d", p.status)
	}
	c.signIn(t, w.keyA)
	if p := c.get(t, "/sources"); p.status != 403 {
		t.Fatalf("tenant on sources: %d", p.status)
	}
	tok = c.csrf(t, "/gaps")
	if p := c.post(t, "/signout", url.Values{"csrf": {tok}}); p.status != http.StatusSeeOther || p.header.Get("Location") != "/" {
		t.Fatalf("sign-out: %d", p.status)
	}
	if p := c.get(t, "/gaps"); p.status != http.StatusSeeOther {
		t.Fatalf("gaps after sign-out: %d", p.status)
	}
	c.signIn(t, adminKey)
	p := c.get(t, "/sources")
	if p.status != 200 || !strings.Contains(p.body, "https://s.example.test/feed") || !strings.Contains(p.body, ">administrator<") {
		t.Fatalf("admin sources: %d", p.status)
	}
}

func TestSignInIsRateLimited(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	tok := c.csrf(t, "/signin")
	var last int
	for range 12 {
		last = c.post(t, "/signin", url.Values{"csrf": {tok}, "key": {"gw_guess"}}).status
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("12th quick attempt: %d, want 429", last)
	}
}
