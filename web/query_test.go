package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSearchQueriesBleveRefuses checks that query text Bleve refuses only
// when searching shows the search form's error, not the 500 page.
func TestSearchQueriesBleveRefuses(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	for _, q := range []string{"foo~3", "title:/(a+)+$/", `/a\b/`, "/[a-z]{1,200}x[a-z]{1,200}/"} {
		t.Run(q, func(t *testing.T) {
			p := c.get(t, "/?q="+url.QueryEscape(q))
			if p.status != http.StatusBadRequest || !strings.Contains(p.body, `id="search-error"`) || !strings.Contains(p.body, "invalid parameter q") {
				t.Fatalf("status %d, want 400 with the search error", p.status)
			}
		})
	}
}

// TestMalformedQueryStringPage checks that a pair url.Values would drop is
// refused with a 400 page naming its key, not ignored.
func TestMalformedQueryStringPage(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	for _, tc := range []struct{ path, key string }{
		{"/?from=%ZZ", "from"},
		{"/?vendor=AWS;year=2024", "vendor"},
		{"/gaps?from=%", "from"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			p := c.get(t, tc.path)
			if p.status != http.StatusBadRequest || !strings.Contains(p.body, "Invalid "+tc.key) {
				t.Fatalf("status %d, want 400 naming %s:\n%.600s", p.status, tc.key, p.body)
			}
		})
	}
	if p := c.get(t, "/?vendor=AWS&year=2024"); p.status != http.StatusOK {
		t.Fatalf("a well-formed query: %d", p.status)
	}
}
