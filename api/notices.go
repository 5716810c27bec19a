package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/notice"
)

// NoticeHit is a notice as listed in search results.
type NoticeHit struct {
	ID         notice.ID           `json:"id"`
	Title      string              `json:"title"`
	Vendor     string              `json:"vendor"`
	Products   []string            `json:"products"`
	Category   notice.Category     `json:"category"`
	Published  time.Time           `json:"published"`
	URL        string              `json:"url"`
	Source     string              `json:"source"`
	Language   string              `json:"language"`
	Windows    []WindowJSON        `json:"windows"`
	Highlights map[string][]string `json:"highlights"`
}

// WindowJSON is a window without evidence, for listings.
type WindowJSON struct {
	Start     time.Time        `json:"start"`
	End       *time.Time       `json:"end"`
	Precision notice.Precision `json:"precision"`
}

// SearchResponse is the body of GET /api/v1/notices.
type SearchResponse struct {
	Total  int                            `json:"total"`
	Page   int                            `json:"page"`
	Size   int                            `json:"size"`
	Hits   []NoticeHit                    `json:"hits"`
	Facets map[string][]notice.FacetCount `json:"facets"`
}

// HitOf renders a notice as a search hit.
func HitOf(n notice.Notice) NoticeHit {
	h := NoticeHit{ID: n.ID, Title: n.Item.Title, Vendor: n.Extraction.Vendor, Category: n.Extraction.Category,
		Published: n.Item.Published, URL: n.Item.URL, Source: n.Item.Source, Language: n.Extraction.Language,
		Products: []string{}, Windows: []WindowJSON{}, Highlights: map[string][]string{}}
	if h.Vendor == "" {
		h.Vendor = n.Item.Vendor
	}
	for _, p := range n.Extraction.Products {
		h.Products = append(h.Products, p.Name)
	}
	for _, w := range n.Extraction.Windows {
		h.Windows = append(h.Windows, WindowJSON{Start: w.Start, End: w.End, Precision: w.Precision})
	}
	return h
}

// ParseSearchFilters reads the filters and order that the API's and the
// web UI's notice searches share into q: products (by canonical name, alias
// or former name), categories, publication years, and the sort, which
// defaults to relevance with text and newest first without. The error is
// a *notice.ParamError naming the parameter.
func ParseSearchFilters(q *notice.Query, products, categories, years []string, sort string, cat *extract.Catalog) error {
	for _, p := range products {
		q.Products = append(q.Products, CanonicalProduct(cat, p))
	}
	for _, v := range categories {
		c := notice.Category(v)
		if !c.Valid() {
			return &notice.ParamError{Param: "category", Reason: "unknown category " + strconv.Quote(v) + " (want outage, degradation, data-loss, security-incident or maintenance)"}
		}
		q.Categories = append(q.Categories, c)
	}
	for _, v := range years {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1900 || y > 2200 {
			return &notice.ParamError{Param: "year", Reason: "year must be a year such as 2024, not " + strconv.Quote(v)}
		}
		q.Years = append(q.Years, y)
	}
	switch {
	case sort == "" && q.Text == "":
		q.Sort = notice.SortPublished
	case sort == "":
		q.Sort = notice.SortRelevance
	case notice.Sort(sort).Valid():
		q.Sort = notice.Sort(sort)
	default:
		return &notice.ParamError{Param: "sort", Reason: "sort must be relevance, published or window_start"}
	}
	return nil
}

// queryFromRequest validates the search parameters into a query.
func (s *Server) queryFromRequest(c *gin.Context) (notice.Query, bool) {
	q := notice.Query{Text: c.Query("q"), Vendors: listParam(c, "vendor"), Facets: true}
	var ok bool
	if q.Page, q.Size, ok = pageParams(c); !ok {
		return q, false
	}
	if q.From, q.To, ok = rangeParams(c); !ok {
		return q, false
	}
	switch c.Query("facets") {
	case "", "true":
	case "false":
		q.Facets = false // tools paging through results need not count again
	default:
		badParam(c, "facets", "facets must be true or false")
		return q, false
	}
	err := ParseSearchFilters(&q, listParam(c, "product"), listParam(c, "category"), listParam(c, "year"), c.Query("sort"), s.deps.Catalog)
	var pe *notice.ParamError
	if errors.As(err, &pe) {
		badParam(c, pe.Param, pe.Reason)
		return q, false
	}
	return q, true
}

func (s *Server) searchNotices(c *gin.Context) {
	q, ok := s.queryFromRequest(c)
	if !ok {
		return
	}
	res, err := s.deps.Search.Search(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	ids := make([]notice.ID, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	list, err := s.deps.Store.Notices(c.Request.Context(), ids)
	if err != nil {
		s.fail(c, err)
		return
	}
	byID := make(map[notice.ID]notice.Notice, len(list))
	for _, n := range list {
		byID[n.ID] = n
	}
	out := SearchResponse{Total: res.Total, Page: q.Page, Size: q.Size, Hits: []NoticeHit{}, Facets: res.Facets}
	for _, h := range res.Hits {
		n, ok := byID[h.ID]
		if !ok {
			continue // indexed but deleted since; the index catches up
		}
		hit := HitOf(n)
		if h.Highlights != nil {
			hit.Highlights = h.Highlights
		}
		out.Hits = append(out.Hits, hit)
	}
	if out.Facets == nil {
		out.Facets = map[string][]notice.FacetCount{}
	}
	c.JSON(http.StatusOK, out)
}

// NoticeDetail is the body of GET /api/v1/notices/{id}.
type NoticeDetail struct {
	ID               notice.ID           `json:"id"`
	Source           string              `json:"source"`
	ItemID           string              `json:"item_id"`
	Title            string              `json:"title"`
	URL              string              `json:"url"`
	Vendor           string              `json:"vendor"`
	Language         string              `json:"language"`
	Category         notice.Category     `json:"category"`
	Published        time.Time           `json:"published"`
	FirstSeen        time.Time           `json:"first_seen"`
	LastSeen         time.Time           `json:"last_seen"`
	Text             string              `json:"text"`
	Summary          string              `json:"summary,omitempty"`
	Products         []notice.ProductRef `json:"products"`
	Windows          []notice.Window     `json:"windows"`
	ExtractorVersion string              `json:"extractor_version"`
	Version          int                 `json:"version"`
	Versions         []notice.Version    `json:"versions"`
	// LinkedGaps are the caller's gaps this notice explains (only with a
	// tenant key).
	LinkedGaps []notice.Link `json:"linked_gaps,omitempty"`
}

func (s *Server) getNotice(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		badParam(c, "id", "id must be a positive integer")
		return
	}
	n, err := s.deps.Store.Notice(c.Request.Context(), notice.ID(id))
	if err != nil {
		s.fail(c, err)
		return
	}
	versions, err := s.deps.Store.Versions(c.Request.Context(), n.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	vendor := n.Extraction.Vendor
	if vendor == "" {
		vendor = n.Item.Vendor
	}
	var linked []notice.Link
	if t, ok := tenantOf(c); ok {
		if linked, err = s.deps.Tenants.TenantNoticeLinks(c.Request.Context(), t.ID, n.ID); err != nil {
			s.fail(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, NoticeDetail{LinkedGaps: linked,
		ID: n.ID, Source: n.Item.Source, ItemID: n.Item.ItemID, Title: n.Item.Title, URL: n.Item.URL,
		Vendor: vendor, Language: n.Extraction.Language, Category: n.Extraction.Category,
		Published: n.Item.Published, FirstSeen: n.FirstSeen, LastSeen: n.LastSeen, Text: n.Item.Text,
		Summary: n.Item.Summary, Products: nonNil(n.Extraction.Products), Windows: nonNil(n.Extraction.Windows),
		ExtractorVersion: n.Extraction.Version, Version: n.Version, Versions: versions,
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Server) listSources(c *gin.Context) {
	states, err := s.deps.Store.Sources(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"sources": states})
}
