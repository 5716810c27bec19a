package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/notice"
)

// Store is what the API reads from the durable store.
type Store interface {
	Ping(ctx context.Context) error
	Notice(ctx context.Context, id notice.ID) (notice.Notice, error)
	Notices(ctx context.Context, ids []notice.ID) ([]notice.Notice, error)
	Versions(ctx context.Context, id notice.ID) ([]notice.Version, error)
	Sources(ctx context.Context) ([]notice.SourceState, error)
}

// Searcher runs full-text searches; it returns ids, the API loads records
// from the store.
type Searcher interface {
	Search(ctx context.Context, q notice.Query) (notice.SearchResult, error)
}

// WindowFinder answers affected-window lookups by canonical product or
// vendor name.
type WindowFinder interface {
	Find(q notice.WindowQuery) []notice.WindowHit
}

// Deps are the API's collaborators.
type Deps struct {
	Store   Store
	Search  Searcher
	Windows WindowFinder
	Catalog *extract.Catalog
	// Ready reports whether everything the API needs is open (store and
	// index); nil means only the store is checked.
	Ready   func(ctx context.Context) error
	Metrics *Metrics
	Logger  *slog.Logger
	// Tenants and Gaps serve the tenant endpoints.
	Tenants TenantStore
	Gaps    GapService
	Access  Access
	// Digest serves subscriptions, previews and unsubscribe links.
	Digest DigestService
}

// Server is the HTTP API.
type Server struct {
	deps  Deps
	log   *slog.Logger
	limit limits
}

// New builds the API's handler.
func New(d Deps) *gin.Engine {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Metrics == nil {
		d.Metrics = NewMetrics()
	}
	d.Metrics.watchSearchCache(d.Search)
	s := &Server{deps: d, log: d.Logger, limit: newLimits(d.Access)}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.CustomRecovery(func(c *gin.Context, err any) {
		s.log.Error("panic in handler", "path", c.FullPath(), "error", err)
		problem(c, http.StatusInternalServerError, "Internal error", "", "")
	}), d.Metrics.middleware())
	r.NoRoute(func(c *gin.Context) { problem(c, http.StatusNotFound, "Not found", "no such route", "") })
	r.HandleMethodNotAllowed = true
	r.NoMethod(func(c *gin.Context) { problem(c, http.StatusMethodNotAllowed, "Method not allowed", "", "") })
	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", s.ready)
	r.GET("/metrics", gin.WrapH(d.Metrics.Handler()))
	r.GET("/unsubscribe", s.unsubscribe)
	r.POST("/unsubscribe", s.unsubscribe)
	v1 := r.Group("/api/v1", strictQuery)
	v1.GET("/openapi.json", serveOpenAPI)
	pub := v1.Group("", s.optionalTenant)
	pub.GET("/notices", s.searchNotices)
	pub.GET("/notices/:id", s.getNotice)
	pub.GET("/windows", s.windows)
	pub.GET("/products", s.products)
	admin := v1.Group("", s.adminAuth)
	admin.GET("/sources", s.listSources)
	admin.GET("/tenants", s.listTenants)
	admin.POST("/tenants", s.createTenant)
	admin.POST("/tenants/:name/rotate-key", s.rotateKey)
	admin.DELETE("/tenants/:name", s.deleteTenant)
	ten := v1.Group("", s.tenantAuth)
	ten.POST("/gaps", s.importGaps)
	ten.GET("/gaps", s.listGaps)
	ten.GET("/gaps/:id", s.getGap)
	ten.DELETE("/gaps/:id", s.deleteGap)
	ten.GET("/source-map", s.getSourceMap)
	ten.PUT("/source-map", s.putSourceMap)
	ten.POST("/telemetry", s.telemetry)
	ten.GET("/settings", s.getSettings)
	ten.PUT("/settings", s.putSettings)
	ten.GET("/subscription", s.getSubscription)
	ten.PUT("/subscription", s.putSubscription)
	ten.GET("/digest/preview", s.previewDigest)
	return r
}

func (s *Server) ready(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.deps.Store.Ping(ctx); err != nil {
		problem(c, http.StatusServiceUnavailable, "Not ready", "store: "+err.Error(), "")
		return
	}
	if s.deps.Ready != nil {
		if err := s.deps.Ready(ctx); err != nil {
			problem(c, http.StatusServiceUnavailable, "Not ready", err.Error(), "")
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}
