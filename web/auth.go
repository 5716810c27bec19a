package web

import (
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/gapwatch/gapwatch/notice"
)

// attempts limits sign-in tries per client address, so that the form
// cannot be used to guess keys quickly.
type attempts struct {
	mu   sync.Mutex
	now  func() time.Time
	byIP map[string]*rate.Limiter
}

// maxTracked bounds the addresses remembered; past it the table restarts.
const maxTracked = 10000

func newAttempts(now func() time.Time) *attempts {
	return &attempts{now: now, byIP: map[string]*rate.Limiter{}}
}

// allow takes one try for addr: a burst of 10, then one every 3 seconds.
func (a *attempts) allow(addr string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, ok := a.byIP[addr]
	if !ok {
		if len(a.byIP) >= maxTracked {
			a.byIP = map[string]*rate.Limiter{}
		}
		l = rate.NewLimiter(rate.Every(3*time.Second), 10)
		a.byIP[addr] = l
	}
	return l.AllowN(a.now(), 1)
}

// signinView is the body of the sign-in page.
type signinView struct {
	Next  string
	Error string
}

// signinPage serves GET /signin.
func (h *handler) signinPage(c *gin.Context) {
	h.render(c, http.StatusOK, "signin", "Sign in", signinView{Next: localPath(c.Query("next"))})
}

// signinPost serves POST /signin: the key is checked as the API checks a
// bearer key (the admin key in constant time, a tenant key by its hash in
// the store); on success a new session replaces the old one.
func (h *handler) signinPost(c *gin.Context) {
	next := localPath(c.PostForm("next"))
	host, _, err := net.SplitHostPort(c.Request.RemoteAddr)
	if err != nil {
		host = c.Request.RemoteAddr
	}
	if !h.signin.allow(host) {
		c.Header("Retry-After", "3")
		h.render(c, http.StatusTooManyRequests, "signin", "Sign in", signinView{Next: next, Error: "Too many attempts. Wait a few seconds and try again."})
		return
	}
	key := strings.TrimSpace(c.PostForm("key"))
	s := h.sess.fresh()
	switch admin := h.d.Access.AdminKey; {
	case key == "":
		h.render(c, http.StatusBadRequest, "signin", "Sign in", signinView{Next: next, Error: "Enter your API key."})
		return
	case admin != "" && subtle.ConstantTimeCompare([]byte(key), []byte(admin)) == 1:
		s.Admin = true
		if next == "" {
			next = "/sources"
		}
	default:
		t, err := h.d.Tenants.TenantByKey(c.Request.Context(), key)
		if errors.Is(err, notice.ErrNotFound) {
			h.render(c, http.StatusUnauthorized, "signin", "Sign in", signinView{Next: next, Error: "This key is not valid. Check it, or ask your administrator for a new one."})
			return
		}
		if err != nil {
			h.fail(c, err)
			return
		}
		s.Tenant = t.ID
		if next == "" {
			next = "/gaps"
		}
	}
	http.SetCookie(c.Writer, h.sess.cookie(c.Request, s))
	c.Redirect(http.StatusSeeOther, next)
}

// signout serves POST /signout: the session is replaced by an anonymous
// one.
func (h *handler) signout(c *gin.Context) {
	http.SetCookie(c.Writer, h.sess.cookie(c.Request, h.sess.fresh()))
	c.Redirect(http.StatusSeeOther, "/")
}

// requireTenant sends visitors without a tenant session to sign in.
func (h *handler) requireTenant(c *gin.Context) (notice.Tenant, bool) {
	t, ok := tenantOf(c)
	if !ok {
		c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request.URL.Path))
		c.Abort()
	}
	return t, ok
}
