package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight/highlighter/html"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/vellum/levenshtein"
	"github.com/blevesearch/vellum/regexp"

	"github.com/gapwatch/gapwatch/notice"
)

// Page sizes and limits of Search.
const (
	// DefaultSize is the page size when the query leaves it zero.
	DefaultSize = 20
	// MaxSize is the largest page size accepted.
	MaxSize = 100
	// MaxOffset bounds how deep a search may page: Bleve collects every
	// hit before the requested page, so deep pages cost memory and time.
	MaxOffset = 10000
	// FacetSize is how many values each facet returns, most frequent first.
	FacetSize = 20
)

// The facet names of SearchResult.Facets.
const (
	FacetVendor   = "vendor"
	FacetProduct  = "product"
	FacetCategory = "category"
	FacetYear     = "year"
)

// ParamError is a search parameter the index rejects: malformed query
// syntax, a page out of range. It is the domain's notice.ParamError, which
// wraps notice.ErrInvalid and names the parameter as the API spells it
// ("q", "size", "page", "sort", "from").
type ParamError = notice.ParamError

// Search runs a notice search: full text in q.Text (Bleve query-string
// syntax, over title and text in every analysed language, titles boosted),
// keyword filters (values OR'ed within a filter, filters AND'ed), the
// affected-time filter, sorting (by date: the notice ID breaks ties, so
// pages are stable; by relevance: equal scores keep index order, stable
// while the index does not change — relevance pages of a live index can
// shift anyway, as scores follow the corpus), one page of hits with
// highlighted fragments, and facets when asked. Invalid parameters yield a
// *ParamError.
func (ix *Index) Search(ctx context.Context, q notice.Query) (notice.SearchResult, error) {
	req, textQ, err := buildRequest(q)
	if err != nil {
		return notice.SearchResult{}, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bi == nil {
		return notice.SearchResult{}, ErrClosed
	}
	key, gen := queryKey(q), ix.gen.Load()
	if out, ok := ix.cached(key, gen); ok {
		return out, nil
	}
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		if queryRefused(err) {
			return notice.SearchResult{}, &ParamError{Param: "q", Reason: err.Error()}
		}
		return notice.SearchResult{}, fmt.Errorf("index: search: %w", err)
	}
	if textQ != nil && len(res.Hits) > 0 {
		if err := ix.highlight(ctx, textQ, res.Hits); err != nil {
			return notice.SearchResult{}, err
		}
	}
	out, err := toResult(res, ix.facets)
	if err == nil {
		ix.remember(key, gen, out)
	}
	return out, err
}

// queryRefused reports whether a search failed because Bleve could not
// build a searcher for the query text (a regexp or fuzzy term it refuses),
// which parseText should have caught: the client's fault, not the
// index's. Other failures (I/O, a closed or canceled search) are not.
func queryRefused(err error) bool {
	var se *syntax.Error
	switch {
	case errors.As(err, &se),
		errors.Is(err, regexp.ErrNoEmpty), errors.Is(err, regexp.ErrNoWordBoundary),
		errors.Is(err, regexp.ErrNoBytes), errors.Is(err, regexp.ErrNoLazy),
		errors.Is(err, regexp.ErrCompiledTooBig), errors.Is(err, regexp.ErrTooManyStates),
		errors.Is(err, levenshtein.ErrTooManyStates):
		return true
	}
	// Bleve's fuzzy searcher and automaton return unexported, unwrapped
	// errors ("fuzziness exceeds max (2)", "... the max limit").
	return strings.Contains(err.Error(), "fuzziness")
}

// highlight fills the fragments of a page of hits. It is a second search
// restricted to those documents: asking Bleve to highlight in the main
// search makes it read term positions for every match, not just the page.
func (ix *Index) highlight(ctx context.Context, textQ query.Query, hits search.DocumentMatchCollection) error {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), textQ}), len(ids), 0, false)
	req.Highlight = bleve.NewHighlightWithStyle(html.Name)
	req.Highlight.AddField(fieldTitle)
	req.Highlight.AddField(fieldText)
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("index: highlight: %w", err)
	}
	byID := make(map[string]map[string][]string, len(res.Hits))
	for _, h := range res.Hits {
		byID[h.ID] = h.Fragments
	}
	for _, h := range hits {
		h.Fragments = byID[h.ID]
	}
	return nil
}

// buildRequest turns a notice query into a Bleve search request, and
// returns the text query (nil without text) for highlighting.
func buildRequest(q notice.Query) (*bleve.SearchRequest, query.Query, error) {
	page, size, err := pageBounds(q.Page, q.Size)
	if err != nil {
		return nil, nil, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.From.After(q.To) {
		return nil, nil, &ParamError{Param: "from", Reason: "from is after to"}
	}
	text := strings.TrimSpace(q.Text)
	sortBy, err := sortOrder(q.Sort, text != "")
	if err != nil {
		return nil, nil, err
	}
	var textQ query.Query
	if text != "" {
		if textQ, err = parseText(text); err != nil {
			return nil, nil, err
		}
	}
	// Filters join the text query in a conjunction, which skips ahead to
	// the documents they allow; their zero boost (filterBoost) leaves the
	// relevance score to the text alone.
	scored := textQ != nil && sortBy == notice.SortRelevance
	filters := filterQueries(q)
	var root query.Query
	switch {
	case textQ != nil:
		root = conjunction(append([]query.Query{textQ}, filters...))
	case len(filters) > 0:
		root = conjunction(filters)
	default:
		root = query.NewMatchAllQuery()
	}
	req := bleve.NewSearchRequestOptions(root, size, (page-1)*size, false)
	req.SortByCustom(sortFields(sortBy))
	if !scored {
		req.Score = "none"
	}
	if q.Facets {
		// One facet over every value; toResult splits it per facet.
		req.AddFacet(fieldFacets, bleve.NewFacetRequest(fieldFacets, facetValuesMax))
	}
	return req, textQ, nil
}

// pageBounds applies the defaults (page 1, DefaultSize) and limits.
func pageBounds(page, size int) (int, int, error) {
	switch {
	case page < 0:
		return 0, 0, &ParamError{Param: "page", Reason: "must be at least 1"}
	case size < 0:
		return 0, 0, &ParamError{Param: "size", Reason: "must be positive"}
	case size > MaxSize:
		return 0, 0, &ParamError{Param: "size", Reason: fmt.Sprintf("at most %d", MaxSize)}
	}
	if page == 0 {
		page = 1
	}
	if size == 0 {
		size = DefaultSize
	}
	if page-1 > MaxOffset/size {
		return 0, 0, &ParamError{Param: "page", Reason: fmt.Sprintf("results beyond the first %d cannot be paged to", MaxOffset)}
	}
	return page, size, nil
}

// sortOrder resolves the default sort: relevance with a text query,
// newest first without one (relevance means nothing then).
func sortOrder(s notice.Sort, hasText bool) (notice.Sort, error) {
	if s != "" && !s.Valid() {
		return "", &ParamError{Param: "sort", Reason: fmt.Sprintf("unknown sort %q", s)}
	}
	if s == "" || (s == notice.SortRelevance && !hasText) {
		if hasText {
			return notice.SortRelevance, nil
		}
		return notice.SortPublished, nil
	}
	return s, nil
}

// sortFields is the Bleve sort for s. The sort keys end with the notice
// ID, so equal dates keep a stable order across pages; relevance sorts by
// score alone (Bleve breaks ties in index order), as reading a tie-break
// key would cost a doc-value read for every match.
func sortFields(s notice.Sort) search.SortOrder {
	switch s {
	case notice.SortRelevance:
		return search.SortOrder{&search.SortScore{Desc: true}}
	case notice.SortWindowStart:
		return search.SortOrder{&search.SortField{Field: fieldWindowStart, Type: search.SortFieldAsString, Desc: true}}
	default:
		return search.SortOrder{&search.SortField{Field: fieldPublishedAt, Type: search.SortFieldAsString, Desc: true}}
	}
}

// filterBoost weighs filter leaves: zero, so that a filter narrows the
// match without changing its relevance score.
const filterBoost = 0

// filterQueries builds the keyword and time filters of q.
func filterQueries(q notice.Query) []query.Query {
	const boost = filterBoost
	var fs []query.Query
	if f := anyTerm(fieldVendor, q.Vendors, boost); f != nil {
		fs = append(fs, f)
	}
	if f := anyTerm(fieldProducts, q.Products, boost); f != nil {
		fs = append(fs, f)
	}
	cats := make([]string, len(q.Categories))
	for i, c := range q.Categories {
		cats[i] = string(c)
	}
	if f := anyTerm(fieldCategory, cats, boost); f != nil {
		fs = append(fs, f)
	}
	years := make([]string, len(q.Years))
	for i, y := range q.Years {
		years[i] = strconv.Itoa(y)
	}
	if f := anyTerm(fieldYear, years, boost); f != nil {
		fs = append(fs, f)
	}
	if f := overlapQuery(q.From, q.To, boost); f != nil {
		fs = append(fs, f)
	}
	return fs
}

// anyTerm matches documents whose keyword field equals one of values.
func anyTerm(field string, values []string, boost float64) query.Query {
	var qs []query.Query
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			t := query.NewTermQuery(v)
			t.SetField(field)
			t.SetBoost(boost)
			qs = append(qs, t)
		}
	}
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// conjunction avoids wrapping a single query.
func conjunction(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

// toResult converts Bleve's answer, merging per-language highlight fields
// into "title" and "text".
func toResult(res *bleve.SearchResult, dict *facetDict) (notice.SearchResult, error) {
	out := notice.SearchResult{Total: int(res.Total), Hits: make([]notice.SearchHit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		id, err := strconv.ParseInt(h.ID, 10, 64)
		if err != nil {
			return notice.SearchResult{}, fmt.Errorf("index: search: document id %q: %w", h.ID, err)
		}
		hit := notice.SearchHit{ID: notice.ID(id), Score: h.Score}
		for field, frags := range h.Fragments {
			if hit.Highlights == nil {
				hit.Highlights = make(map[string][]string, 2)
			}
			name, _, _ := strings.Cut(field, "_") // title_fr -> title
			hit.Highlights[name] = append(hit.Highlights[name], frags...)
		}
		out.Hits = append(out.Hits, hit)
	}
	if f := res.Facets[fieldFacets]; f != nil {
		out.Facets = splitFacets(f, dict)
	}
	return out, nil
}

// facetValuesMax bounds the values the combined facet returns: more than
// every vendor, product, category and year the catalog and six decades of
// notices hold, so that each facet's top FacetSize are exact.
const facetValuesMax = 100000

// splitFacets decodes the combined facet's codes and splits it into the
// named facets, each most frequent first (ties by value), at most
// FacetSize values, every facet present even when empty.
func splitFacets(f *search.FacetResult, dict *facetDict) map[string][]notice.FacetCount {
	out := map[string][]notice.FacetCount{FacetVendor: {}, FacetProduct: {}, FacetCategory: {}, FacetYear: {}}
	if f.Terms != nil {
		for _, t := range f.Terms.Terms() {
			v, known := dict.decode(t.Term)
			if !known {
				continue
			}
			name, value, ok := strings.Cut(v, ":")
			if _, known := out[name]; ok && known {
				out[name] = append(out[name], notice.FacetCount{Value: value, Count: t.Count})
			}
		}
	}
	for name, counts := range out {
		slices.SortFunc(counts, func(a, b notice.FacetCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
		})
		out[name] = counts[:min(len(counts), FacetSize)]
	}
	return out
}

// queryTime clamps a query bound into the indexable range, keeping zero
// (open) as zero.
func queryTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return clampTime(t.UTC())
}
