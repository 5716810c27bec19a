package api

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/gaps"
	"github.com/gapwatch/gapwatch/notice"
)

// maxUpload bounds a gap or telemetry upload.
const maxUpload = 10 << 20

// rowErrors is implemented by import errors that list every bad row.
type rowErrors interface {
	error
	BadRows() any
}

// GapsResponse is the body of gap listings and imports.
type GapsResponse struct {
	Gaps []notice.Gap `json:"gaps"`
}

func (s *Server) importGaps(c *gin.Context) {
	t, _ := tenantOf(c)
	ct, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	var csv bool
	switch ct {
	case "text/csv":
		csv = true
	case "application/json", "":
	default:
		problem(c, http.StatusUnsupportedMediaType, "Unsupported media type", "send application/json or text/csv", "Content-Type")
		return
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, maxUpload)
	gs, err := s.deps.Gaps.Import(c.Request.Context(), t, body, csv)
	if err != nil {
		s.failImport(c, err)
		return
	}
	c.JSON(http.StatusCreated, GapsResponse{Gaps: nonNil(gs)})
}

func (s *Server) telemetry(c *gin.Context) {
	t, _ := tenantOf(c)
	body := http.MaxBytesReader(c.Writer, c.Request.Body, maxUpload)
	gs, err := s.deps.Gaps.Telemetry(c.Request.Context(), t, body)
	if err != nil {
		s.failImport(c, err)
		return
	}
	c.JSON(http.StatusCreated, GapsResponse{Gaps: nonNil(gs)})
}

// failImport answers a rejected upload with every bad row listed.
func (s *Server) failImport(c *gin.Context, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		problem(c, http.StatusRequestEntityTooLarge, "Upload too large", "at most "+strconv.Itoa(maxUpload)+" bytes", "body")
		return
	}
	var re rowErrors
	if errors.As(err, &re) {
		c.Header("Content-Type", "application/problem+json")
		c.AbortWithStatusJSON(http.StatusBadRequest, gin.H{"type": "about:blank", "title": "Invalid rows",
			"status": http.StatusBadRequest, "detail": "nothing was stored: fix every row listed", "param": "body",
			"errors": re.BadRows()})
		return
	}
	s.fail(c, err)
}

func (s *Server) listGaps(c *gin.Context) {
	t, _ := tenantOf(c)
	from, to, ok := rangeParams(c)
	if !ok {
		return
	}
	f := notice.GapFilter{From: from, To: to, Source: c.Query("source")}
	if v := c.Query("explained"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			badParam(c, "explained", "explained must be true or false")
			return
		}
		f.Explained = &b
	}
	gs, err := s.deps.Tenants.ListGaps(c.Request.Context(), t.ID, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, GapsResponse{Gaps: nonNil(gs)})
}

func gapID(c *gin.Context) (notice.GapID, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		badParam(c, "id", "id must be a positive integer")
		return 0, false
	}
	return notice.GapID(id), true
}

func (s *Server) getGap(c *gin.Context) {
	t, _ := tenantOf(c)
	id, ok := gapID(c)
	if !ok {
		return
	}
	g, err := s.deps.Tenants.Gap(c.Request.Context(), t.ID, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	links, err := s.deps.Tenants.GapsLinks(c.Request.Context(), t.ID, []notice.GapID{g.ID})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"gap": g, "links": nonNil(links[g.ID])})
}

func (s *Server) deleteGap(c *gin.Context) {
	t, _ := tenantOf(c)
	id, ok := gapID(c)
	if !ok {
		return
	}
	if err := s.deps.Tenants.DeleteGap(c.Request.Context(), t.ID, id); err != nil {
		s.fail(c, err)
		return
	}
	s.deps.Gaps.GapsChanged()
	c.Status(http.StatusNoContent)
}

func (s *Server) getSourceMap(c *gin.Context) {
	t, _ := tenantOf(c)
	m, err := s.deps.Tenants.SourceMap(c.Request.Context(), t.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"sources": m})
}

// putSourceMap replaces the tenant's log source → product map; products
// are resolved to catalog names when the catalog knows them.
func (s *Server) putSourceMap(c *gin.Context) {
	t, _ := tenantOf(c)
	var in struct {
		Sources map[string]string `json:"sources"`
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 1<<20)
	if err := c.ShouldBindJSON(&in); err != nil {
		badParam(c, "sources", `send {"sources": {"LogSource": "Product", ...}}`)
		return
	}
	m := map[string]string{}
	for src, p := range in.Sources {
		src, p = strings.TrimSpace(src), strings.TrimSpace(p)
		if src == "" || p == "" || len(src) > 200 || len(p) > 200 {
			badParam(c, "sources", "each entry needs a log source and a product name (at most 200 characters)")
			return
		}
		m[src] = s.canonicalProduct(p)
	}
	if err := s.deps.Tenants.SetSourceMap(c.Request.Context(), t.ID, m); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"sources": m})
}

func (s *Server) getSettings(c *gin.Context) {
	t, _ := tenantOf(c)
	set, err := s.deps.Gaps.Settings(c.Request.Context(), t)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, set)
}

// putSettings replaces the tenant's gap settings (detection thresholds and
// quiet hours, e.g. weekends for business-hours sources).
func (s *Server) putSettings(c *gin.Context) {
	t, _ := tenantOf(c)
	var set gaps.Settings
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 1<<20)
	if err := c.ShouldBindJSON(&set); err != nil {
		badParam(c, "detect", `send {"detect": {"min_buckets", "fraction", "window", "quiet": [{"source", "weekdays", "from_hour", "to_hour", "zone"}]}}: `+err.Error())
		return
	}
	if err := s.deps.Gaps.SetSettings(c.Request.Context(), t, set); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, set)
}
