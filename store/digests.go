package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// FirstPeriod is how far back a tenant's first digest reaches.
const FirstPeriod = 7 * 24 * time.Hour

// Subscription returns a tenant's digest subscription, or the default one
// (Monday 08:00 in its zone) when it never set one.
func (s *Store) Subscription(ctx context.Context, t notice.Tenant) (notice.Subscription, error) {
	sub := notice.DefaultSubscription(t)
	var rec, ven, prod, cat []byte
	var wd, enabled, quiet int
	err := s.db.QueryRowContext(ctx, `SELECT recipients, vendors, products, categories, weekday, hour, timezone, enabled, all_quiet
 FROM subscriptions WHERE tenant_id = ?`, t.ID).Scan(&rec, &ven, &prod, &cat, &wd, &sub.Hour, &sub.Timezone, &enabled, &quiet)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, nil
	}
	if err != nil {
		return sub, fmt.Errorf("store: subscription: %w", err)
	}
	for _, p := range []struct {
		b []byte
		v any
	}{{rec, &sub.Recipients}, {ven, &sub.Vendors}, {prod, &sub.Products}, {cat, &sub.Categories}} {
		if err := json.Unmarshal(p.b, p.v); err != nil {
			return sub, fmt.Errorf("store: decode subscription: %w", err)
		}
	}
	sub.Weekday, sub.Enabled, sub.AllQuiet = time.Weekday(wd), enabled == 1, quiet == 1
	return sub, nil
}

// SetSubscription replaces a tenant's subscription (validated by the
// caller).
func (s *Store) SetSubscription(ctx context.Context, sub notice.Subscription) error {
	enc := func(v any) string {
		b, _ := json.Marshal(v) // slices of strings cannot fail to encode
		if string(b) == "null" {
			return "[]"
		}
		return string(b)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO subscriptions
 (tenant_id, recipients, vendors, products, categories, weekday, hour, timezone, enabled, all_quiet, updated)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
 ON CONFLICT (tenant_id) DO UPDATE SET recipients = excluded.recipients, vendors = excluded.vendors,
 products = excluded.products, categories = excluded.categories, weekday = excluded.weekday, hour = excluded.hour,
 timezone = excluded.timezone, enabled = excluded.enabled, all_quiet = excluded.all_quiet, updated = excluded.updated`,
		sub.Tenant, enc(sub.Recipients), enc(sub.Vendors), enc(sub.Products), enc(sub.Categories), int(sub.Weekday), sub.Hour,
		sub.Timezone, boolInt(sub.Enabled), boolInt(sub.AllQuiet), ms(time.Now().UTC()))
	if err != nil {
		return fmt.Errorf("store: set subscription: %w", err)
	}
	return nil
}

// TenantByID returns a tenant, or notice.ErrNotFound.
func (s *Store) TenantByID(ctx context.Context, id notice.TenantID) (notice.Tenant, error) {
	t, err := scanTenant(s.db.QueryRowContext(ctx, `SELECT `+tenantCols+` FROM tenants WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("store: tenant %d: %w", id, notice.ErrNotFound)
	}
	return t, err
}

const digestCols = `id, tenant_id, period_start, period_end, state, attempts, last_error, subject, claimed, next_attempt, sent`

func scanDigest(r scanner) (notice.DigestRecord, error) {
	var d notice.DigestRecord
	var start, end, claimed, next, sent int64
	err := r.Scan(&d.ID, &d.Tenant, &start, &end, &d.State, &d.Attempts, &d.LastError, &d.Subject, &claimed, &next, &sent)
	d.Start, d.End, d.Claimed, d.NextAttempt, d.Sent = fromMS(start), fromMS(end), fromMS(claimed), fromMS(next), fromMS(sent)
	return d, err
}

// LastDigest returns a tenant's latest digest period in any state, or
// notice.ErrNotFound before its first.
func (s *Store) LastDigest(ctx context.Context, tenant notice.TenantID) (notice.DigestRecord, error) {
	d, err := scanDigest(s.db.QueryRowContext(ctx, `SELECT `+digestCols+` FROM digests
 WHERE tenant_id = ? ORDER BY period_end DESC LIMIT 1`, tenant))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("store: last digest of %d: %w", tenant, notice.ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("store: last digest: %w", err)
	}
	return d, nil
}

// LastDelivered returns the end of a tenant's latest delivered (sent or
// empty) period: where the next period starts. Before the first digest it
// is FirstPeriod before end.
func (s *Store) LastDelivered(ctx context.Context, tenant notice.TenantID, end time.Time) (time.Time, error) {
	return lastDelivered(ctx, s.db, tenant, end)
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func lastDelivered(ctx context.Context, q queryRower, tenant notice.TenantID, end time.Time) (time.Time, error) {
	var last sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT max(period_end) FROM digests WHERE tenant_id = ? AND state IN (?, ?) AND period_end < ?`,
		tenant, notice.DigestStateSent, notice.DigestStateEmpty, ms(end)).Scan(&last)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: last delivered digest: %w", err)
	}
	if !last.Valid {
		return end.Add(-FirstPeriod), nil
	}
	return fromMS(last.Int64), nil
}
