package index

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	"github.com/blevesearch/vellum/regexp"

	"github.com/gapwatch/gapwatch/notice"
)

// TestSearchRefusedQueries checks that query text Bleve refuses only when
// searching (fuzziness past its maximum, regexps its automaton cannot
// compile) is a parameter error naming q, and that what it accepts still
// searches.
func TestSearchRefusedQueries(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	if maxFuzziness != searcher.MaxFuzziness {
		t.Fatalf("maxFuzziness %d, Bleve's searcher.MaxFuzziness %d", maxFuzziness, searcher.MaxFuzziness)
	}
	for _, tc := range []struct {
		text    string
		refused bool
	}{
		{"foo~3", true},
		{"foo~100", true},
		{"title:/(a+)+$/", true},
		{`/a\b/`, true},
		{`/\bx/`, true},
		{"/a+?/", true},
		{"/[a-z]{1,200}x[a-z]{1,200}/", true},
		{"foo~2", false},
		{"foo~", false},
		{"title:/out.*/", false},
		{"/(?i)outage/", false},
		{"/a{2,10}/", false},
	} {
		t.Run(tc.text, func(t *testing.T) {
			_, err := ix.Search(context.Background(), notice.Query{Text: tc.text})
			var pe *ParamError
			switch {
			case tc.refused && (!errors.As(err, &pe) || pe.Param != "q"):
				t.Errorf("error %v (%T), want a ParamError naming q", err, err)
			case !tc.refused && err != nil:
				t.Errorf("error %v, want none", err)
			}
		})
	}
}

// TestRewriteRefusesBeforeSearching checks the refusals come from parsing,
// not from the search-time safety net.
func TestRewriteRefusesBeforeSearching(t *testing.T) {
	for _, text := range []string{"foo~3", `/a\b/`, "title:/(a+)+$/", "/[a-z]{1,200}x[a-z]{1,200}/"} {
		var pe *ParamError
		if _, err := parseText(text); !errors.As(err, &pe) || pe.Param != "q" {
			t.Errorf("parseText(%q): error %v, want a ParamError naming q", text, err)
		}
	}
}

// TestQueryRefused checks the safety net tells Bleve's refusals of a query
// from other search failures.
func TestQueryRefused(t *testing.T) {
	// Bleve's own refusal, as its fuzzy searcher words it.
	_, fuzzyErr := searcher.NewFuzzySearcher(context.Background(), nil, "foo", 0, 3, "title", 1, search.SearcherOptions{})
	if fuzzyErr == nil {
		t.Fatal("Bleve accepted fuzziness 3")
	}
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("index: %w", regexp.ErrNoWordBoundary), true},
		{regexp.ErrTooManyStates, true},
		{fmt.Errorf("index: search: %w", fuzzyErr), true},
		{context.Canceled, false},
		{errors.New("disk on fire"), false},
	} {
		if got := queryRefused(tc.err); got != tc.want {
			t.Errorf("queryRefused(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
