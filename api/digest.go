package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/digest"
	"github.com/gapwatch/gapwatch/notice"
)

// DigestService reads and writes digest subscriptions, previews digests
// and honours unsubscribe links.
type DigestService interface {
	Subscription(ctx context.Context, t notice.Tenant) (notice.Subscription, error)
	SetSubscription(ctx context.Context, t notice.Tenant, s notice.Subscription) (notice.Subscription, error)
	Preview(ctx context.Context, t notice.Tenant) (digest.Digest, digest.Rendered, error)
	Unsubscribe(ctx context.Context, token string) (notice.Tenant, error)
}

// SubscriptionJSON is a digest subscription as the API reads and writes
// it; absent fields take their defaults (Monday, 08:00, enabled).
type SubscriptionJSON struct {
	Recipients []string          `json:"recipients"`
	Vendors    []string          `json:"vendors"`
	Products   []string          `json:"products"`
	Categories []notice.Category `json:"categories"`
	Weekday    string            `json:"weekday"`
	Hour       *int              `json:"hour"`
	Timezone   string            `json:"timezone"`
	Enabled    *bool             `json:"enabled"`
	AllQuiet   bool              `json:"all_quiet"`
}

func subscriptionJSON(s notice.Subscription) SubscriptionJSON {
	return SubscriptionJSON{Recipients: nonNil(s.Recipients), Vendors: nonNil(s.Vendors), Products: nonNil(s.Products),
		Categories: nonNil(s.Categories), Weekday: s.Weekday.String(), Hour: &s.Hour, Timezone: s.Timezone,
		Enabled: &s.Enabled, AllQuiet: s.AllQuiet}
}

func (s *Server) digestService(c *gin.Context) (DigestService, notice.Tenant, bool) {
	t, _ := tenantOf(c)
	if s.deps.Digest == nil {
		problem(c, http.StatusServiceUnavailable, "Digests unavailable", "this server does not send digests", "")
		return nil, t, false
	}
	return s.deps.Digest, t, true
}

func (s *Server) getSubscription(c *gin.Context) {
	d, t, ok := s.digestService(c)
	if !ok {
		return
	}
	sub, err := d.Subscription(c.Request.Context(), t)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, subscriptionJSON(sub))
}

func (s *Server) putSubscription(c *gin.Context) {
	d, t, ok := s.digestService(c)
	if !ok {
		return
	}
	var in SubscriptionJSON
	if err := c.ShouldBindJSON(&in); err != nil {
		badParam(c, "body", "a JSON subscription object: "+err.Error())
		return
	}
	sub := notice.Subscription{Recipients: nonNil(in.Recipients), Vendors: nonNil(in.Vendors), Products: nonNil(in.Products),
		Categories: nonNil(in.Categories), Weekday: time.Monday, Hour: 8, Timezone: in.Timezone, Enabled: true, AllQuiet: in.AllQuiet}
	if in.Weekday != "" {
		wd, ok := digest.ParseWeekday(in.Weekday)
		if !ok {
			badParam(c, "weekday", "a day of the week in English (monday … sunday)")
			return
		}
		sub.Weekday = wd
	}
	if in.Hour != nil {
		sub.Hour = *in.Hour
	}
	if in.Enabled != nil {
		sub.Enabled = *in.Enabled
	}
	sub, err := d.SetSubscription(c.Request.Context(), t, sub)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, subscriptionJSON(sub))
}

func (s *Server) previewDigest(c *gin.Context) {
	d, t, ok := s.digestService(c)
	if !ok {
		return
	}
	dg, r, err := d.Preview(c.Request.Context(), t)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"digest": dg, "empty": dg.Empty(), "subject": r.Subject, "html": r.HTML, "text": r.Text})
}

// unsubscribe honours a signed link from a digest without a login: GET
// from a browser, POST from a mail client's one-click button (RFC 8058).
func (s *Server) unsubscribe(c *gin.Context) {
	d, _, ok := s.digestService(c)
	if !ok {
		return
	}
	t, err := d.Unsubscribe(c.Request.Context(), c.Query("token"))
	if errors.Is(err, digest.ErrBadToken) {
		badParam(c, "token", "this unsubscribe link is invalid or expired")
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"unsubscribed": true, "tenant": t.Name})
}
