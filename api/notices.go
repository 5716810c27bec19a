package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/notice"
)

// maxPageSize bounds page sizes so one request cannot load the whole store.
const maxPageSize = 100

// NoticeHit is a notice as listed in search results.
type NoticeHit struct {
	ID        notice.ID       `json:"id"`
	Title     string          `json:"title"`
	Vendor    string          `json:"vendor"`
	Products  []string        `json:"products"`
	Category  notice.Category `json:"category"`
	Published time.Time       `json:"published"`
	URL       string          `json:"url"`
	Source    string          `json:"source"`
	Windows   []WindowJSON    `json:"windows"`
}

// WindowJSON is a window without evidence, for listings.
type WindowJSON struct {
	Start     time.Time        `json:"start"`
	End       *time.Time       `json:"end"`
	Precision notice.Precision `json:"precision"`
}

func hitOf(n notice.Notice) NoticeHit {
	h := NoticeHit{ID: n.ID, Title: n.Item.Title, Vendor: n.Extraction.Vendor, Category: n.Extraction.Category,
		Published: n.Item.Published, URL: n.Item.URL, Source: n.Item.Source,
		Products: []string{}, Windows: []WindowJSON{}}
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

// pageParams reads page (1-based) and size.
func pageParams(c *gin.Context) (page, size int, ok bool) {
	page, size = 1, 20
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			badParam(c, "page", "page must be a positive integer")
			return 0, 0, false
		}
		page = n
	}
	if v := c.Query("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			badParam(c, "size", "size must be an integer from 1 to "+strconv.Itoa(maxPageSize))
			return 0, 0, false
		}
		size = n
	}
	return page, size, true
}

func (s *Server) listNotices(c *gin.Context) {
	page, size, ok := pageParams(c)
	if !ok {
		return
	}
	list, total, err := s.deps.Store.RecentNotices(c.Request.Context(), size, (page-1)*size)
	if err != nil {
		s.fail(c, err)
		return
	}
	hits := make([]NoticeHit, 0, len(list))
	for _, n := range list {
		hits = append(hits, hitOf(n))
	}
	c.JSON(http.StatusOK, gin.H{"total": total, "page": page, "size": size, "hits": hits})
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
	c.JSON(http.StatusOK, gin.H{"notice": n, "versions": versions})
}

func (s *Server) listSources(c *gin.Context) {
	states, err := s.deps.Store.Sources(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"sources": states})
}
