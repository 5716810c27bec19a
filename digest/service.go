package digest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// Store is what the digest service reads and records; the SQLite store
// implements it.
type Store interface {
	Tenants(ctx context.Context) ([]notice.Tenant, error)
	TenantByID(ctx context.Context, id notice.TenantID) (notice.Tenant, error)
	Subscription(ctx context.Context, t notice.Tenant) (notice.Subscription, error)
	SetSubscription(ctx context.Context, s notice.Subscription) error
	LastDelivered(ctx context.Context, tenant notice.TenantID, end time.Time) (time.Time, error)
	ClaimDigest(ctx context.Context, tenant notice.TenantID, end, now time.Time, lease time.Duration) (notice.DigestRecord, bool, error)
	FinishDigest(ctx context.Context, rec notice.DigestRecord) error
	NoticeChanges(ctx context.Context, since, until time.Time) ([]notice.NoticeChange, error)
	TenantGapLinks(ctx context.Context, tenant notice.TenantID) ([]notice.GapLinks, error)
}

// Options are the service's collaborators and tuning.
type Options struct {
	Store    Store
	Sender   Sender
	Signer   *Signer
	Resolver Resolver
	// From is the sender address; BaseURL where unsubscribe links point.
	From    string
	BaseURL string
	Logger  *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Observe is told each delivery outcome (sent, empty, failed), for
	// metrics.
	Observe func(outcome string)
	// Lease is how long a claim protects a period being sent (default 10
	// minutes); RetryBase and RetryMax bound the back-off after a failed
	// send (default 1 minute, 1 hour).
	Lease, RetryBase, RetryMax time.Duration
	// Settle is how long after its send time a period is first sent
	// (0: at once). A notice version is dated by the start of the crawl
	// that saw it but stored when that crawl commits, and a period ending
	// at the send time would miss a version dated just before it and
	// stored just after, for good: the next period starts at that time.
	// gapwatch serve uses DefaultSettle.
	Settle time.Duration
}

// DefaultSettle outlasts a source's crawl (a feed fetch and its article
// fetches, each bounded by the fetch timeout, then the save).
const DefaultSettle = 10 * time.Minute

// Service builds, previews and sends digests, at most once per tenant and
// period.
type Service struct {
	o      Options
	render *Renderer
	log    *slog.Logger
}

// NewService checks the options and parses the templates.
func NewService(o Options) (*Service, error) {
	if o.Store == nil || o.Sender == nil || o.Signer == nil {
		return nil, errors.New("digest: service needs a store, a sender and a signer")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Observe == nil {
		o.Observe = func(string) {}
	}
	if o.Lease <= 0 {
		o.Lease = 10 * time.Minute
	}
	if o.RetryBase <= 0 {
		o.RetryBase = time.Minute
	}
	if o.RetryMax <= 0 {
		o.RetryMax = time.Hour
	}
	r, err := NewRenderer()
	if err != nil {
		return nil, err
	}
	return &Service{o: o, render: r, log: o.Logger}, nil
}

// Subscription returns a tenant's subscription.
func (s *Service) Subscription(ctx context.Context, t notice.Tenant) (notice.Subscription, error) {
	return s.o.Store.Subscription(ctx, t)
}

// SetSubscription validates and stores a tenant's subscription, returning
// it with canonical names.
func (s *Service) SetSubscription(ctx context.Context, t notice.Tenant, sub notice.Subscription) (notice.Subscription, error) {
	sub.Tenant = t.ID
	if s.o.Resolver == nil {
		return sub, errors.New("digest: no catalog to resolve names")
	}
	if err := ValidateSubscription(&sub, s.o.Resolver); err != nil {
		return sub, err
	}
	return sub, s.o.Store.SetSubscription(ctx, sub)
}

// UnsubscribeTenant returns the tenant a signed unsubscribe token names,
// without changing anything: the confirmation page a link opens (mail
// scanners fetch links, so a GET must not unsubscribe). A token of a
// deleted tenant whose ID was reused is ErrBadToken.
func (s *Service) UnsubscribeTenant(ctx context.Context, token string) (notice.Tenant, error) {
	sub, err := s.o.Signer.Verify(token, s.o.Now())
	if err != nil {
		return notice.Tenant{}, err
	}
	t, err := s.o.Store.TenantByID(ctx, sub.Tenant)
	if errors.Is(err, notice.ErrNotFound) || (err == nil && !sub.Matches(t)) {
		return notice.Tenant{}, ErrBadToken
	}
	return t, err
}

// Unsubscribe turns off the digest of the tenant a signed token names.
func (s *Service) Unsubscribe(ctx context.Context, token string) (notice.Tenant, error) {
	t, err := s.UnsubscribeTenant(ctx, token)
	if err != nil {
		return t, err
	}
	sub, err := s.o.Store.Subscription(ctx, t)
	if err != nil {
		return t, err
	}
	sub.Enabled = false
	return t, s.o.Store.SetSubscription(ctx, sub)
}

// UnsubscribeURL returns a tenant's signed one-click unsubscribe link.
func (s *Service) UnsubscribeURL(t notice.Tenant) string {
	tok := s.o.Signer.Token(t, s.o.Now().Add(TokenLifetime))
	return s.o.BaseURL + "/unsubscribe?token=" + url.QueryEscape(tok)
}

// Build gathers a tenant's digest for the period (since, until].
func (s *Service) Build(ctx context.Context, t notice.Tenant, sub notice.Subscription, since, until time.Time) (Digest, error) {
	changes, err := s.o.Store.NoticeChanges(ctx, since, until)
	if err != nil {
		return Digest{}, err
	}
	gaps, err := s.o.Store.TenantGapLinks(ctx, t.ID)
	if err != nil {
		return Digest{}, err
	}
	return Build(Input{Tenant: t, Subscription: sub, Since: since, Until: until, Changes: changes, Gaps: gaps,
		UnsubscribeURL: s.UnsubscribeURL(t)}), nil
}

// Preview builds and renders the digest a tenant would get now, without
// sending or recording it.
func (s *Service) Preview(ctx context.Context, t notice.Tenant) (Digest, Rendered, error) {
	sub, err := s.o.Store.Subscription(ctx, t)
	if err != nil {
		return Digest{}, Rendered{}, err
	}
	now := s.o.Now().UTC()
	since, err := s.o.Store.LastDelivered(ctx, t.ID, now)
	if err != nil {
		return Digest{}, Rendered{}, err
	}
	d, err := s.Build(ctx, t, sub, since, now)
	if err != nil {
		return d, Rendered{}, err
	}
	r, err := s.render.Render(d)
	return d, r, err
}

// recipients are the subscription's, else the tenant's contact address.
func recipients(t notice.Tenant, sub notice.Subscription) []string {
	if len(sub.Recipients) > 0 {
		return sub.Recipients
	}
	if t.Email != "" {
		return []string{t.Email}
	}
	return nil
}

// ErrNoRecipient is returned when a tenant has neither digest recipients
// nor a contact address.
var ErrNoRecipient = errors.New("digest: no recipient (set the subscription's recipients or the tenant's email)")

// SendNow sends a tenant's digest for the period ending now, even when
// nothing changed (as an all-quiet note), and records it.
func (s *Service) SendNow(ctx context.Context, t notice.Tenant) (notice.DigestRecord, error) {
	sub, err := s.o.Store.Subscription(ctx, t)
	if err != nil {
		return notice.DigestRecord{}, err
	}
	if len(recipients(t, sub)) == 0 {
		return notice.DigestRecord{}, ErrNoRecipient
	}
	now := s.o.Now().UTC().Truncate(time.Millisecond) // the store keeps milliseconds
	rec, won, err := s.o.Store.ClaimDigest(ctx, t.ID, now, now, s.o.Lease)
	if err != nil {
		return rec, err
	}
	if !won {
		return rec, fmt.Errorf("digest: period ending %s is already claimed", now.Format(time.RFC3339))
	}
	sub.AllQuiet = true
	return s.deliver(ctx, t, sub, rec)
}

// deliver builds, sends and records a claimed period.
func (s *Service) deliver(ctx context.Context, t notice.Tenant, sub notice.Subscription, rec notice.DigestRecord) (notice.DigestRecord, error) {
	d, err := s.Build(ctx, t, sub, rec.Start, rec.End)
	if err == nil && d.Empty() && !sub.AllQuiet {
		rec.State = notice.DigestStateEmpty
		s.o.Observe("empty")
		return rec, s.o.Store.FinishDigest(ctx, rec)
	}
	var r Rendered
	if err == nil {
		r, err = s.render.Render(d)
	}
	if err == nil {
		rec.Subject = r.Subject
		err = s.o.Sender.Send(ctx, Message{From: s.o.From, To: recipients(t, sub), Subject: r.Subject, HTML: r.HTML, Text: r.Text,
			Unsubscribe: d.UnsubscribeURL, Date: s.o.Now(), ID: messageID(t, rec)})
	}
	return s.finish(ctx, t, rec, err)
}

// permanentRetry is when a period every recipient refused permanently may
// be tried again: a week, by which time the next period supersedes it.
const permanentRetry = 7 * 24 * time.Hour

// finish records how sending a claimed period went. A message that
// reached at least one recipient is sent (the failed recipients are noted
// in last_error and not retried, so nobody gets it twice); one that every
// recipient refused permanently (5xx) is failed without hourly retries:
// the next period supersedes it. Anything else is retried with backoff.
func (s *Service) finish(ctx context.Context, t notice.Tenant, rec notice.DigestRecord, err error) (notice.DigestRecord, error) {
	now := s.o.Now().UTC()
	var de *DeliveryError
	if errors.As(err, &de) && len(de.Delivered) > 0 {
		rec.State, rec.LastError, rec.Sent = notice.DigestStateSent, de.Error(), now
		s.o.Observe("sent")
		s.log.Warn("digest sent to some recipients", "tenant", t.Name, "delivered", len(de.Delivered), "error", de)
		return rec, s.o.Store.FinishDigest(ctx, rec)
	}
	if err != nil {
		rec.State, rec.LastError = notice.DigestStateFailed, err.Error()
		rec.NextAttempt = now.Add(backoff(rec.Attempts, s.o.RetryBase, s.o.RetryMax))
		if de != nil && de.AllPermanent() {
			rec.NextAttempt = now.Add(permanentRetry)
		}
		s.o.Observe("failed")
		s.log.Warn("digest not sent", "tenant", t.Name, "attempt", rec.Attempts, "retry_at", rec.NextAttempt, "error", err)
		return rec, errors.Join(err, s.o.Store.FinishDigest(ctx, rec))
	}
	rec.State, rec.LastError, rec.Sent = notice.DigestStateSent, "", now
	s.o.Observe("sent")
	s.log.Info("digest sent", "tenant", t.Name, "subject", rec.Subject, "period_start", rec.Start, "period_end", rec.End)
	return rec, s.o.Store.FinishDigest(ctx, rec)
}
