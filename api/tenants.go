package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
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
	// Rate and Burst are each credential's token bucket (default 20/s, burst
	// 40), kept per tenant (all its keys share it) and for the admin key.
	// Wrong keys spend a separate, fixed budget per client network.
	Rate  float64
	Burst int
}

// limits are the API's rate limits: each credential's request budget
// (keyed by tenant ID, or "admin"), and each client network's budget of
// failed authentications, spent only by wrong keys and checked before a
// key is looked up. Both remember a bounded number of keys.
type limits struct {
	keys  *Limiter
	fails *Limiter
}

func newLimits(a Access) limits {
	r, b := a.Rate, a.Burst
	if r <= 0 {
		r = 20
	}
	if b <= 0 {
		b = 40
	}
	return limits{
		keys:  NewLimiter(time.Now, rate.Limit(r), b, 0),
		fails: NewLimiter(time.Now, rate.Every(authFailEvery), authFailBurst, 0),
	}
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

// tooManyRequests answers 429 with Retry-After (RFC 6585 §4).
func tooManyRequests(c *gin.Context, wait time.Duration, detail string) {
	c.Header("Retry-After", RetryAfter(wait))
	problem(c, http.StatusTooManyRequests, "Too many requests", detail, "")
}

// rateLimit answers 429 when the credential's bucket (a tenant ID,
// "admin") is empty.
func (s *Server) rateLimit(c *gin.Context, credential string) bool {
	if ok, wait := s.limit.keys.Allow(credential); !ok {
		tooManyRequests(c, wait, "rate limit for this API key exceeded")
		return false
	}
	return true
}

// authFailed answers a wrong key: 401, or 429 once the client network
// has spent its budget of failed authentications. Only wrong keys spend
// it, so clients sharing an address (behind a proxy or NAT) keep working
// with their valid keys however much another one guesses; the limiter
// remembers a bounded number of networks, never the guessed keys.
func (s *Server) authFailed(c *gin.Context, detail string) {
	if ok, wait := s.limit.fails.Allow(ClientKey(c.Request.RemoteAddr)); !ok {
		tooManyRequests(c, wait, "too many requests with a wrong API key from this network")
		return
	}
	unauthorized(c, detail)
}

// tenantAuth requires a tenant key and puts the tenant in the context.
// Wrong keys are limited per client network, valid ones per tenant.
func (s *Server) tenantAuth(c *gin.Context) {
	key := bearer(c)
	if key == "" {
		unauthorized(c, "send the tenant's API key as Authorization: Bearer <key>")
		return
	}
	t, err := s.deps.Tenants.TenantByKey(c.Request.Context(), key)
	if errors.Is(err, notice.ErrNotFound) {
		s.authFailed(c, "unknown API key")
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if !s.rateLimit(c, "tenant:"+strconv.FormatInt(int64(t.ID), 10)) {
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
	if !s.isAdmin(bearer(c)) {
		s.authFailed(c, "admin endpoints need the admin key")
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

// maxTenantBody bounds a tenant creation request: a name, an email
// address and a time zone.
const maxTenantBody = 64 << 10

// tenantName is the form of a tenant name: it is a path segment of the
// admin routes (/tenants/{name}), so it must not need escaping there.
var tenantName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// validTenantName reports whether a name can be created and later
// addressed as /tenants/{name} (a "." or ".." segment would be resolved
// away by clients and routers).
func validTenantName(name string) bool {
	return tenantName.MatchString(name) && name != "." && name != ".."
}

func (s *Server) createTenant(c *gin.Context) {
	var in struct {
		Name     string `json:"name"`
		Email    string `json:"email"`
		Timezone string `json:"timezone"`
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxTenantBody)
	if err := c.ShouldBindJSON(&in); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			problem(c, http.StatusRequestEntityTooLarge, "Request body too large", "at most "+strconv.Itoa(maxTenantBody)+" bytes", "body")
			return
		}
		badParam(c, "body", "a JSON object {name, email, timezone}: "+err.Error())
		return
	}
	if !validTenantName(in.Name) {
		badParam(c, "name", "name must be 1 to 64 letters, digits, '.', '_' or '-' (not . or ..), as it appears in the tenant's URLs")
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
