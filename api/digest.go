package api

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
	UnsubscribeTenant(ctx context.Context, token string) (notice.Tenant, error)
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

// maxSubscriptionBody bounds a PUT /subscription body: a subscription is
// a few lists of names, far below 64 KiB.
const maxSubscriptionBody = 64 << 10

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
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxSubscriptionBody)
	if err := c.ShouldBindJSON(&in); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			problem(c, http.StatusRequestEntityTooLarge, "Request body too large", "at most "+strconv.Itoa(maxSubscriptionBody)+" bytes", "body")
			return
		}
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

// unsubscribe honours a signed link from a digest without a login. GET
// (a browser, or a mail scanner prefetching links) only checks the token
// and shows a confirmation form; POST (that form, or a mail client's
// one-click button, RFC 8058 List-Unsubscribe-Post) unsubscribes. Neither
// names the tenant: the link is all a bearer has.
func (s *Server) unsubscribe(c *gin.Context) {
	d, _, ok := s.digestService(c)
	if !ok {
		return
	}
	token := c.Query("token")
	var err error
	if c.Request.Method == http.MethodPost {
		_, err = d.Unsubscribe(c.Request.Context(), token)
	} else {
		_, err = d.UnsubscribeTenant(c.Request.Context(), token)
	}
	if errors.Is(err, digest.ErrBadToken) {
		badParam(c, "token", "this unsubscribe link is invalid or expired")
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if c.Request.Method == http.MethodPost {
		c.JSON(http.StatusOK, gin.H{"unsubscribed": true})
		return
	}
	var b strings.Builder
	if err := confirmPage.Execute(&b, "/unsubscribe?token="+url.QueryEscape(token)); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(b.String()))
}

// confirmPage asks a person who opened an unsubscribe link to confirm
// with a POST; the action URL is escaped by html/template.
var confirmPage = template.Must(template.New("unsubscribe").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">
<title>Unsubscribe from the gapwatch digest</title></head>
<body><h1>Unsubscribe from the weekly gapwatch digest?</h1>
<form method="post" action="{{.}}"><button type="submit">Unsubscribe</button></form>
</body></html>
`))
