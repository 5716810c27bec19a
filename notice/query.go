package notice

import "time"

// Sort orders search results.
type Sort string

// The sort orders the search API accepts.
const (
	SortRelevance   Sort = "relevance"
	SortPublished   Sort = "published"
	SortWindowStart Sort = "window_start"
)

// Valid reports whether s is a known sort order.
func (s Sort) Valid() bool {
	return s == SortRelevance || s == SortPublished || s == SortWindowStart
}

// Query is a notice search. Empty fields do not filter. Repeated values of
// one filter are alternatives (OR); different filters combine (AND).
type Query struct {
	// Text is the full-text query; empty lists notices newest first.
	Text       string
	Vendors    []string
	Products   []string
	Categories []Category
	// Years selects notices published in one of these (UTC) years.
	Years []int
	// From and To select notices with a window overlapping [From, To];
	// either may be zero for an open bound.
	From, To time.Time
	Sort     Sort
	// Page is 1-based; Size is the page size.
	Page, Size int
	// Facets asks for vendor, product, category and year counts.
	Facets bool
}

// SearchHit is one matching notice: its id, score and highlighted
// fragments by field.
type SearchHit struct {
	ID         ID                  `json:"id"`
	Score      float64             `json:"score"`
	Highlights map[string][]string `json:"highlights,omitempty"`
}

// FacetCount is one facet value and how many matching notices have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// SearchResult is a page of hits with the total and facets of the whole
// match.
type SearchResult struct {
	Total  int                     `json:"total"`
	Hits   []SearchHit             `json:"hits"`
	Facets map[string][]FacetCount `json:"facets,omitempty"`
}

// WindowHit is one affected window of a product, with the notice it comes
// from, as answered by window lookups.
type WindowHit struct {
	NoticeID  ID         `json:"notice_id"`
	Product   string     `json:"product"`
	Vendor    string     `json:"vendor"`
	Start     time.Time  `json:"start"`
	End       *time.Time `json:"end"`
	Precision Precision  `json:"precision"`
	Category  Category   `json:"category"`
	Title     string     `json:"title"`
	URL       string     `json:"url"`
	// AssumedEnd is, for an open window, until when it is taken to last
	// (OpenHorizon after the notice's latest date): the lookup's default
	// scope and gap linking treat it as ongoing until then.
	AssumedEnd *time.Time `json:"assumed_end,omitempty"`
}

// WindowQuery asks which affected windows of a product (or, without a
// product, of any product of a vendor) overlap [From, To]; a zero bound is
// open. Names are canonical and matched case-insensitively.
type WindowQuery struct {
	Product, Vendor string
	From, To        time.Time
	Open            OpenScope
}

// OpenScope says how far an open window (no end yet) reaches in a window
// lookup.
type OpenScope int

const (
	// OpenRecent takes an open window to last until its AssumedEnd, as
	// gap linking does: old "ongoing" notices do not cover every later
	// instant.
	OpenRecent OpenScope = iota
	// OpenAll takes an open window to cover every instant after its start.
	OpenAll
)
