package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/notice"
)

// DefaultSessionTTL is how long a sign-in lasts when Options.SessionTTL is
// zero: a working day, after which the key must be entered again.
const DefaultSessionTTL = 12 * time.Hour

// Options configure the UI.
type Options struct {
	// SessionKey signs session cookies and CSRF tokens; at least 32 bytes.
	// Empty means a random key per process: sessions then end when the
	// server restarts, which is acceptable for a single instance.
	SessionKey []byte
	// SessionTTL is a session's lifetime (default DefaultSessionTTL).
	SessionTTL time.Duration
	// Now is the clock (default time.Now) of sessions and rate limits;
	// timelines draw open items with no assumed end up to it.
	Now func() time.Time
	// Logger receives unexpected errors (default: discarded).
	Logger *slog.Logger
}

// TenantReader loads a session's tenant by ID and the stamp of its current
// key, checked on every request, so that a session ends at once when its
// tenant is deleted (even if a new tenant later gets the same ID) or its
// key is rotated. The store implements it.
type TenantReader interface {
	TenantByID(ctx context.Context, id notice.TenantID) (notice.Tenant, error)
	// TenantKeyStamp returns a value that changes whenever the tenant's
	// key does (the store returns the key's hash), or notice.ErrNotFound.
	TenantKeyStamp(ctx context.Context, id notice.TenantID) (string, error)
	// RevokeSession and SessionRevoked keep the signed-out sessions (by
	// nonce) until their cookies expire: a session lives in its cookie, so
	// without them a copy of the cookie would outlive the sign-out.
	RevokeSession(ctx context.Context, nonce string, expires time.Time) error
	SessionRevoked(ctx context.Context, nonce string) (bool, error)
}

// handler serves the UI pages.
type handler struct {
	d       api.Deps
	tenants TenantReader
	sess    *sessions
	tmpl    *templates
	log     *slog.Logger
	now     func() time.Time
	signin  *api.Limiter
	uploads *api.Limiter
}

// Register adds the UI's routes (/, /notices/:id, /gaps, /gaps/:id,
// /sources, /signin, /signout, /static/...) to the API's engine. It needs
// the same Deps as the API; d.Tenants must also implement TenantReader.
func Register(r *gin.Engine, d api.Deps, opts Options) error {
	h, err := newHandler(d, opts)
	if err != nil {
		return err
	}
	static, err := newStatic()
	if err != nil {
		return err
	}
	h.tmpl.assets = static.versioned
	r.GET("/static/*file", static.serve)
	ui := r.Group("", securityHeaders, h.recoverPage, h.withSession, h.strictQuery)
	ui.GET("/", h.search)
	ui.GET("/notices/:id", h.notice)
	ui.GET("/signin", h.signinPage)
	ui.POST("/signin", h.checkPost, h.signinPost)
	ui.POST("/signout", h.checkPost, h.signout)
	ui.GET("/gaps", h.gaps)
	ui.POST("/gaps", h.tenantOnly, h.uploadLimit, h.checkPost, h.upload)
	ui.GET("/gaps/:id", h.gap)
	ui.POST("/gaps/:id/delete", h.tenantOnly, h.checkPost, h.deleteGap)
	ui.GET("/sources", h.sources)
	r.NoRoute(apiNotFound, securityHeaders, h.recoverPage, h.withSession, h.notFound)
	r.HandleMethodNotAllowed = true
	r.NoMethod(apiMethodNotAllowed, securityHeaders, h.recoverPage, h.withSession, h.methodNotAllowed)
	return nil
}

// newHandler checks the dependencies and prepares templates and sessions.
func newHandler(d api.Deps, opts Options) (*handler, error) {
	if d.Store == nil || d.Search == nil || d.Tenants == nil || d.Gaps == nil {
		return nil, errors.New("web: Deps need Store, Search, Tenants and Gaps")
	}
	tr, ok := d.Tenants.(TenantReader)
	if !ok {
		return nil, errors.New("web: Deps.Tenants must implement TenantReader (TenantByID, TenantKeyStamp, RevokeSession, SessionRevoked)")
	}
	key := opts.SessionKey
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("web: session key: %w", err)
		}
	}
	if len(key) < 32 {
		return nil, fmt.Errorf("web: session key has %d bytes, want at least 32", len(key))
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = DefaultSessionTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	return &handler{d: d, tenants: tr, tmpl: tmpl, log: opts.Logger, now: opts.Now,
		sess:    &sessions{key: key, ttl: opts.SessionTTL, now: opts.Now},
		signin:  newSigninLimiter(opts.Now),
		uploads: newUploadLimiter(opts.Now, d.Access.Rate, d.Access.Burst)}, nil
}

// csp is the Content-Security-Policy of every UI page: scripts, styles and
// images only from this origin (no inline code, so injected markup cannot
// run), no plugins, no framing, forms only to this origin.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// securityHeaders sets the headers every UI response carries.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	c.Next()
}

// checkPost guards every form post: same-origin headers when present and
// the session's CSRF token.
func (h *handler) checkPost(c *gin.Context) {
	if err := parseForm(c.Writer, c.Request); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.errorPage(c, http.StatusRequestEntityTooLarge, "Upload too large", fmt.Sprintf("Uploads are limited to %d MiB.", maxUpload>>20))
			return
		}
		h.errorPage(c, http.StatusBadRequest, "Unreadable form", "The form could not be read. Reload the page and try again.")
		return
	}
	if !sameOrigin(c.Request) {
		h.errorPage(c, http.StatusForbidden, "Request refused", "This form was posted from another site.")
		return
	}
	if !h.sess.checkCSRF(sessionOf(c), c.PostForm(CSRFField)) {
		h.errorPage(c, http.StatusForbidden, "Form expired",
			"The form's security token is missing or does not match your session (it may have expired, or cookies are blocked). Go back, reload the page and try again.")
		return
	}
	c.Next()
}

// parseForm reads a posted form, multipart or not, within maxUpload.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+64<<10)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return r.ParseMultipartForm(1 << 20)
	}
	return r.ParseForm()
}

// strictQuery answers a page request whose query string has a malformed
// pair (which url.Values would silently drop, ignoring a filter) with a 400
// page naming its key.
func (h *handler) strictQuery(c *gin.Context) {
	var pe *notice.ParamError
	if err := api.CheckQuery(c.Request.URL.RawQuery); errors.As(err, &pe) {
		h.errorPage(c, http.StatusBadRequest, "Invalid "+pe.Param, pe.Reason)
		return
	}
	c.Next()
}

// apiNotFound keeps the API's problem+json answer for unknown paths under
// /api/, without a UI session.
func apiNotFound(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.Header("Content-Type", "application/problem+json")
		c.AbortWithStatusJSON(http.StatusNotFound, api.Problem{Type: "about:blank", Title: "Not found", Status: http.StatusNotFound, Detail: "no such route"})
		return
	}
	c.Next()
}

// apiMethodNotAllowed keeps the API's problem+json answer for a wrong
// method under /api/, without a UI session.
func apiMethodNotAllowed(c *gin.Context) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.Header("Content-Type", "application/problem+json")
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, api.Problem{Type: "about:blank", Title: "Method not allowed", Status: http.StatusMethodNotAllowed})
		return
	}
	c.Next()
}

// notFound answers unknown UI paths with an HTML page.
func (h *handler) notFound(c *gin.Context) {
	h.errorPage(c, http.StatusNotFound, "Page not found", "There is nothing at this address.")
}

// methodNotAllowed answers a wrong method on a page with an HTML page (gin
// has set the Allow header).
func (h *handler) methodNotAllowed(c *gin.Context) {
	h.errorPage(c, http.StatusMethodNotAllowed, "Method not allowed", "This address cannot be used that way. Follow a link or a form of this site instead.")
}

// recoverPage turns a panic in a page handler into the HTML 500 page (the
// API's own recovery would answer problem+json); the panic is logged with
// its stack, never shown.
func (h *handler) recoverPage(c *gin.Context) {
	defer func() {
		rec := recover()
		if rec == nil {
			return
		}
		if err, ok := rec.(error); ok && errors.Is(err, http.ErrAbortHandler) {
			panic(rec) // the server's way to drop a connection
		}
		h.log.Error("ui handler panicked", "path", c.Request.URL.Path, "panic", fmt.Sprint(rec), "stack", string(debug.Stack()))
		if c.Writer.Written() {
			c.Abort()
			return
		}
		h.errorPage(c, http.StatusInternalServerError, "Something went wrong", "The server could not answer this request. Try again later.")
	}()
	c.Next()
}

// fail maps an error from the store or services to an error page, the way
// the API maps it to a problem; internals are logged, never shown.
func (h *handler) fail(c *gin.Context, err error) {
	var pe *notice.ParamError
	switch {
	case errors.As(err, &pe):
		h.errorPage(c, http.StatusBadRequest, "Invalid "+pe.Param, pe.Reason)
	case errors.Is(err, notice.ErrNotFound):
		h.errorPage(c, http.StatusNotFound, "Not found", "There is no such record, or it is not visible to you.")
	case errors.Is(err, notice.ErrInvalid):
		h.errorPage(c, http.StatusBadRequest, "Invalid request", err.Error())
	default:
		h.log.Error("ui request failed", "path", c.FullPath(), "error", err)
		h.errorPage(c, http.StatusInternalServerError, "Something went wrong", "The server could not answer this request. Try again later.")
	}
}

// errorView is the body of the error page. Link, when set, is a way on
// offered beside the way back to search.
type errorView struct {
	Status         int
	Detail         string
	Link, LinkText string
}

// errorPage renders a readable error page with the status.
func (h *handler) errorPage(c *gin.Context, status int, title, detail string) {
	h.render(c, status, "error", title, errorView{Status: status, Detail: detail})
	c.Abort()
}
