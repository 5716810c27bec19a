package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/notice"
)

// Store is what the API reads from the durable store.
type Store interface {
	Ping(ctx context.Context) error
	Notice(ctx context.Context, id notice.ID) (notice.Notice, error)
	Versions(ctx context.Context, id notice.ID) ([]notice.Version, error)
	RecentNotices(ctx context.Context, limit, offset int) ([]notice.Notice, int, error)
	Sources(ctx context.Context) ([]notice.SourceState, error)
}

// Deps are the API's collaborators.
type Deps struct {
	Store  Store
	Logger *slog.Logger
}

// Server is the HTTP API.
type Server struct {
	deps Deps
	log  *slog.Logger
}

// New builds the API's handler.
func New(d Deps) http.Handler {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{deps: d, log: d.Logger}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.CustomRecovery(func(c *gin.Context, err any) {
		s.log.Error("panic in handler", "path", c.FullPath(), "error", err)
		problem(c, http.StatusInternalServerError, "Internal error", "", "")
	}))
	r.NoRoute(func(c *gin.Context) { problem(c, http.StatusNotFound, "Not found", "no such route", "") })
	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", s.ready)
	v1 := r.Group("/api/v1")
	v1.GET("/notices", s.listNotices)
	v1.GET("/notices/:id", s.getNotice)
	v1.GET("/sources", s.listSources)
	return r
}

func (s *Server) ready(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.deps.Store.Ping(ctx); err != nil {
		problem(c, http.StatusServiceUnavailable, "Not ready", "store: "+err.Error(), "")
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}
