package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/gapwatch/gapwatch/gaps"
	"github.com/gapwatch/gapwatch/notice"
)

// TenantStore is what the tenant endpoints read and write.
type TenantStore interface {
	TenantByKey(ctx context.Context, key string) (notice.Tenant, error)
	Tenants(ctx context.Context) ([]notice.Tenant, error)
	CreateTenant(ctx context.Context, t notice.Tenant) (notice.Tenant, string, error)
	RotateKey(ctx context.Context, name string) (string, error)
	DeleteTenant(ctx context.Context, name string) error
	Gap(ctx context.Context, tenant notice.TenantID, id notice.GapID) (notice.Gap, error)
	DeleteGap(ctx context.Context, tenant notice.TenantID, id notice.GapID) error
	GapLinks(ctx context.Context, gap notice.GapID) ([]notice.Link, error)
	GapsLinks(ctx context.Context, tenant notice.TenantID, ids []notice.GapID) (map[notice.GapID][]notice.Link, error)
	TenantNoticeLinks(ctx context.Context, tenant notice.TenantID, id notice.ID) ([]notice.Link, error)
	SourceMap(ctx context.Context, tenant notice.TenantID) (map[string]string, error)
	SetSourceMap(ctx context.Context, tenant notice.TenantID, m map[string]string) error
	ListGaps(ctx context.Context, tenant notice.TenantID, f notice.GapFilter) ([]notice.Gap, error)
}

// GapService imports, detects and links gaps.
type GapService interface {
	Import(ctx context.Context, t notice.Tenant, r io.Reader, csv bool) ([]notice.Gap, error)
	Telemetry(ctx context.Context, t notice.Tenant, r io.Reader) ([]notice.Gap, error)
	GapsChanged()
	Settings(ctx context.Context, t notice.Tenant) (gaps.Settings, error)
	SetSettings(ctx context.Context, t notice.Tenant, set gaps.Settings) error
}

// Access configures authentication and rate limits.
type Access struct {
	// AdminKey guards admin endpoints (sources, tenants); empty disables
	// them.
	AdminKey string
	// PrivateSearch requires a tenant or admin key for notice search and
	// window lookups, which are open by default (api.public_search: false).
	PrivateSearch bool
	// Rate and Burst are each key's token bucket (default 20/s, burst 40).
	Rate  float64
	Burst int
}

// limiter hands out one token bucket per API key.
type limiter struct {
	rate  rate.Limit
	burst int
	mu    sync.Mutex
	keys  map[string]*rate.Limiter
}

func newLimiter(a Access) *limiter {
	r, b := a.Rate, a.Burst
	if r <= 0 {
		r = 20
	}
	if b <= 0 {
		b = 40
	}
	return &limiter{rate: rate.Limit(r), burst: b, keys: map[string]*rate.Limiter{}}
}

// allow takes a token for key, or says how long to wait for one.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	lim, ok := l.keys[key]
	if !ok {
		lim = rate.NewLimiter(l.rate, l.burst)
		l.keys[key] = lim
	}
	l.mu.Unlock()
	r := lim.Reserve()
	if d := r.Delay(); d > 0 {
		r.Cancel()
		return false, d
	}
	return true, 0
}

const tenantKey = "gapwatch_tenant"

func bearer(c *gin.Context) string {
	h := c.GetHeader("Authorization")
	if k, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(k)
	}
	return ""
}

func unauthorized(c *gin.Context, detail string) {
	c.Header("WWW-Authenticate", `Bearer realm="gapwatch"`)
	problem(c, http.StatusUnauthorized, "Unauthorized", detail, "Authorization")
}

// rateLimit answers 429 with Retry-After when the key's bucket is empty.
func (s *Server) rateLimit(c *gin.Context, key string) bool {
	ok, wait := s.limit.allow(key)
	if !ok {
		c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		problem(c, http.StatusTooManyRequests, "Too many requests", "rate limit for this API key exceeded", "")
		return false
	}
	return true
}

// tenantAuth requires a tenant key and puts the tenant in the context.
func (s *Server) tenantAuth(c *gin.Context) {
	key := bearer(c)
	if key == "" {
		unauthorized(c, "send the tenant's API key as Authorization: Bearer <key>")
		return
	}
	if !s.rateLimit(c, key) {
		return
	}
	t, err := s.deps.Tenants.TenantByKey(c.Request.Context(), key)
	if errors.Is(err, notice.ErrNotFound) {
		unauthorized(c, "unknown API key")
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Set(tenantKey, t)
	c.Next()
}

// optionalTenant attaches the tenant when a valid key is sent (notice
// detail then adds the tenant's links) and enforces public_search.
func (s *Server) optionalTenant(c *gin.Context) {
	key := bearer(c)
	if key == "" {
		if s.deps.Access.PrivateSearch {
			unauthorized(c, "search needs an API key here (api.public_search is off)")
			return
		}
		c.Next()
		return
	}
	if s.isAdmin(key) {
		c.Next()
		return
	}
	s.tenantAuth(c)
}

func (s *Server) isAdmin(key string) bool {
	a := s.deps.Access.AdminKey
	return a != "" && subtle.ConstantTimeCompare([]byte(key), []byte(a)) == 1
}

// adminAuth requires the admin key.
func (s *Server) adminAuth(c *gin.Context) {
	if s.deps.Access.AdminKey == "" {
		problem(c, http.StatusForbidden, "Admin API disabled", "set GAPWATCH_ADMIN_KEY to enable admin endpoints", "")
		return
	}
	key := bearer(c)
	if !s.isAdmin(key) {
		unauthorized(c, "admin endpoints need the admin key")
		return
	}
	if !s.rateLimit(c, "admin") {
		return
	}
	c.Next()
}

func tenantOf(c *gin.Context) (notice.Tenant, bool) {
	v, ok := c.Get(tenantKey)
	if !ok {
		return notice.Tenant{}, false
	}
	t, ok := v.(notice.Tenant)
	return t, ok
}

// TenantJSON is a tenant as the admin API shows it.
type TenantJSON struct {
	notice.Tenant
	// Key is present only in the answer that creates or rotates it.
	Key string `json:"key,omitempty"`
}

func (s *Server) listTenants(c *gin.Context) {
	ts, err := s.deps.Tenants.Tenants(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tenants": nonNil(ts)})
}

func (s *Server) createTenant(c *gin.Context) {
	var in struct {
		Name     string `json:"name"`
		Email    string `json:"email"`
		Timezone string `json:"timezone"`
	}
	if err := c.ShouldBindJSON(&in); err != nil {
		badParam(c, "body", "a JSON object {name, email, timezone}: "+err.Error())
		return
	}
	t, key, err := s.deps.Tenants.CreateTenant(c.Request.Context(), notice.Tenant{Name: in.Name, Email: in.Email, Timezone: in.Timezone})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, TenantJSON{Tenant: t, Key: key})
}

func (s *Server) rotateKey(c *gin.Context) {
	key, err := s.deps.Tenants.RotateKey(c.Request.Context(), c.Param("name"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"key": key})
}

func (s *Server) deleteTenant(c *gin.Context) {
	if err := s.deps.Tenants.DeleteTenant(c.Request.Context(), c.Param("name")); err != nil {
		s.fail(c, err)
		return
	}
	s.deps.Gaps.GapsChanged()
	c.Status(http.StatusNoContent)
}
