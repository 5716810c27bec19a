package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/notice"
)

// The context keys of the request's session and tenant.
const (
	ctxSession = "web.session"
	ctxTenant  = "web.tenant"
)

// withSession reads the session cookie, or starts an anonymous session
// (needed for the sign-in form's CSRF token), and checks on every request
// that its credential still holds: a tenant session needs the tenant to
// exist with the key it signed in with, an admin session the admin key it
// signed in with. Otherwise the visitor is signed out at once.
func (h *handler) withSession(c *gin.Context) {
	var s session
	var err error
	if ck, cerr := c.Request.Cookie(CookieName); cerr == nil {
		s, err = h.sess.decode(ck.Value)
	} else {
		err = cerr
	}
	if err != nil {
		s = h.sess.fresh()
		http.SetCookie(c.Writer, h.sess.cookie(c.Request, s))
	}
	t, valid, err := h.verify(c.Request.Context(), s)
	if err != nil {
		h.fail(c, err)
		return
	}
	switch {
	case !valid:
		s = h.sess.fresh() // signed out, key rotated, tenant deleted or admin key changed
		http.SetCookie(c.Writer, h.sess.cookie(c.Request, s))
	case s.Tenant != 0:
		c.Set(ctxTenant, t)
	}
	c.Set(ctxSession, s)
	c.Next()
}

// verify checks a decoded session's credential stamp against the current
// tenant key or admin key and loads its tenant. valid is false when the
// session must end; err is set only when the store fails.
func (h *handler) verify(ctx context.Context, s session) (t notice.Tenant, valid bool, err error) {
	if s.Admin || s.Tenant != 0 {
		revoked, err := h.tenants.SessionRevoked(ctx, s.Nonce)
		if err != nil || revoked {
			return t, false, err
		}
	}
	switch {
	case s.Admin:
		admin := h.d.Access.AdminKey
		return t, s.Tenant == 0 && admin != "" && sameStamp(s.Stamp, h.sess.adminStamp(admin)), nil
	case s.Tenant == 0:
		return t, true, nil
	}
	hash, err := h.tenants.TenantKeyStamp(ctx, s.Tenant)
	if errors.Is(err, notice.ErrNotFound) {
		return t, false, nil
	}
	if err != nil {
		return t, false, err
	}
	if !sameStamp(s.Stamp, h.sess.tenantStamp(s.Tenant, hash)) {
		return t, false, nil
	}
	t, err = h.tenants.TenantByID(ctx, s.Tenant)
	if errors.Is(err, notice.ErrNotFound) {
		return t, false, nil
	}
	return t, err == nil, err
}

// sessionOf returns the request's session.
func sessionOf(c *gin.Context) session {
	v, _ := c.Get(ctxSession)
	s, _ := v.(session)
	return s
}

// tenantOf returns the signed-in tenant, if any.
func tenantOf(c *gin.Context) (notice.Tenant, bool) {
	v, ok := c.Get(ctxTenant)
	if !ok {
		return notice.Tenant{}, false
	}
	t, ok := v.(notice.Tenant)
	return t, ok
}

// toSignin sends the visitor to sign in, coming back to the full address
// asked for (path and query) afterwards.
func toSignin(c *gin.Context) {
	c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request.URL.RequestURI()))
	c.Abort()
}

// requireTenant sends visitors without a tenant session to sign in.
func (h *handler) requireTenant(c *gin.Context) (notice.Tenant, bool) {
	t, ok := tenantOf(c)
	if !ok {
		toSignin(c)
	}
	return t, ok
}

// tenantOnly is requireTenant as a middleware, so that a route can refuse
// anonymous visitors before its body is read.
func (h *handler) tenantOnly(c *gin.Context) {
	if _, ok := h.requireTenant(c); ok {
		c.Next()
	}
}

// requireReader enforces Access.PrivateSearch as the API does: when it is
// set, notices are shown to signed-in tenants and the admin only, and
// anonymous visitors are sent to sign in.
func (h *handler) requireReader(c *gin.Context) bool {
	if !h.d.Access.PrivateSearch || sessionOf(c).Admin {
		return true
	}
	if _, ok := tenantOf(c); ok {
		return true
	}
	toSignin(c)
	return false
}
