package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/notice"
)

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
// the store); on success a new session, stamped with that credential,
// replaces the old one.
func (h *handler) signinPost(c *gin.Context) {
	next := localPath(c.PostForm("next"))
	if ok, wait := h.signin.Allow(api.ClientKey(c.Request.RemoteAddr)); !ok {
		c.Header("Retry-After", api.RetryAfter(wait))
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
		s.Admin, s.Stamp = true, h.sess.adminStamp(admin)
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
		hash, err := h.tenants.TenantKeyStamp(c.Request.Context(), t.ID)
		if err != nil {
			h.fail(c, err)
			return
		}
		s.Tenant, s.Stamp = t.ID, h.sess.tenantStamp(t.ID, hash)
		if next == "" {
			next = "/gaps"
		}
	}
	http.SetCookie(c.Writer, h.sess.cookie(c.Request, s))
	c.Redirect(http.StatusSeeOther, next)
}

// signout serves POST /signout: the session is replaced by an anonymous
// one, and a signed-in session is revoked, so a copy of its cookie no
// longer signs anyone in.
func (h *handler) signout(c *gin.Context) {
	if s := sessionOf(c); s.Admin || s.Tenant != 0 {
		if err := h.tenants.RevokeSession(c.Request.Context(), s.Nonce, time.Unix(s.Expires, 0)); err != nil {
			h.fail(c, err)
			return
		}
	}
	http.SetCookie(c.Writer, h.sess.cookie(c.Request, h.sess.fresh()))
	c.Redirect(http.StatusSeeOther, "/")
}

// uploadLimit applies the tenant's upload budget before the body is read;
// it runs after tenantOnly.
func (h *handler) uploadLimit(c *gin.Context) {
	t, _ := tenantOf(c)
	if ok, wait := h.uploads.Allow(strconv.FormatInt(int64(t.ID), 10)); !ok {
		c.Header("Retry-After", api.RetryAfter(wait))
		h.errorPage(c, http.StatusTooManyRequests, "Too many uploads", "Wait "+api.RetryAfter(wait)+" second(s) and upload again.")
		return
	}
	c.Next()
}
