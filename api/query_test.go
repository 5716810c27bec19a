package api_test

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/notice"
)

// TestSearchQueriesBleveRefuses checks that query text Bleve refuses only
// when searching is the client's error (400 naming q), not a 500.
func TestSearchQueriesBleveRefuses(t *testing.T) {
	e := newEnv(t)
	for _, q := range []string{"foo~3", "title:/(a+)+$/", `/a\b/`, "/[a-z]{1,200}x[a-z]{1,200}/"} {
		t.Run(q, func(t *testing.T) {
			var p api.Problem
			resp := get(t, e.srv.URL+"/api/v1/notices?q="+url.QueryEscape(q), &p)
			if resp.StatusCode != http.StatusBadRequest || p.Status != http.StatusBadRequest || p.Param != "q" {
				t.Fatalf("got %d %+v, want 400 naming q", resp.StatusCode, p)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type %q", ct)
			}
		})
	}
}

// TestMalformedQueryString checks that a pair url.Values would drop (bad
// escape, ';') is refused naming its key instead of silently ignored.
func TestMalformedQueryString(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct{ query, param string }{
		{"from=%ZZ", "from"},
		{"vendor=AWS&from=2024-01-01%", "from"},
		{"q=a;b", "q"},
		{"si%ze=10", "si%ze"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			var p api.Problem
			resp := get(t, e.srv.URL+"/api/v1/notices?"+tc.query, &p)
			if resp.StatusCode != http.StatusBadRequest || p.Param != tc.param {
				t.Fatalf("got %d %+v, want 400 naming %q", resp.StatusCode, p, tc.param)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type %q", ct)
			}
		})
	}
	var res api.SearchResponse
	if resp := get(t, e.srv.URL+"/api/v1/notices?q=%22lost+logs%22&vendor=Microsoft", &res); resp.StatusCode != http.StatusOK {
		t.Fatalf("a well-formed query: %d", resp.StatusCode)
	}
}

func TestCheckQuery(t *testing.T) {
	for raw, want := range map[string]string{
		"":                 "",
		"a=1&b=%20&c":      "",
		"a=1&b=%ZZ":        "b",
		"a%2=1":            "a%2",
		"x=1;y=2":          "x",
		"a=%E2%82%AC&b=%G": "b",
	} {
		err := api.CheckQuery(raw)
		var pe *notice.ParamError
		switch {
		case want == "" && err != nil:
			t.Errorf("CheckQuery(%q) = %v, want nil", raw, err)
		case want != "" && (!errors.As(err, &pe) || pe.Param != want):
			t.Errorf("CheckQuery(%q) = %v, want a ParamError naming %q", raw, err, want)
		}
	}
}
