package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gapwatch/gapwatch/digest"
	"github.com/gapwatch/gapwatch/notice"
)

// ClaimDigest claims a tenant's digest period ending at end, in one
// transaction, before anything is sent. It reports false when the period
// is already delivered, being sent by someone else (a claim younger than
// lease) or waiting for its retry time. A new period starts where the last
// delivered one ended; older undelivered periods are superseded by it.
// SQLite serialises writers (BEGIN IMMEDIATE), and (tenant, period_end) is
// UNIQUE, so two processes never both win a claim.
func (s *Store) ClaimDigest(ctx context.Context, tenant notice.TenantID, end, now time.Time, lease time.Duration) (digest.Record, bool, error) {
	var rec digest.Record
	won := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		rec, err = scanDigest(tx.QueryRowContext(ctx, `SELECT `+digestCols+` FROM digests WHERE tenant_id = ? AND period_end = ?`, tenant, ms(end)))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			rec, err = s.newPeriod(ctx, tx, tenant, end, now)
			won = err == nil
			return err
		case err != nil:
			return fmt.Errorf("store: claim digest: %w", err)
		}
		switch rec.State {
		case digest.StatePending:
			if now.Before(rec.Claimed.Add(lease)) {
				return nil
			}
		case digest.StateFailed:
			if now.Before(rec.NextAttempt) {
				return nil
			}
		default:
			return nil
		}
		rec.State, rec.Attempts, rec.Claimed = digest.StatePending, rec.Attempts+1, now
		_, err = tx.ExecContext(ctx, `UPDATE digests SET state = ?, attempts = ?, claimed = ? WHERE id = ?`, rec.State, rec.Attempts, ms(now), rec.ID)
		if err != nil {
			return fmt.Errorf("store: claim digest: %w", err)
		}
		won = true
		return nil
	})
	return rec, won, err
}

func (s *Store) newPeriod(ctx context.Context, tx *sql.Tx, tenant notice.TenantID, end, now time.Time) (digest.Record, error) {
	start, err := lastDelivered(ctx, tx, tenant, end)
	if err != nil {
		return digest.Record{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE digests SET state = ? WHERE tenant_id = ? AND period_end < ? AND state IN (?, ?)`,
		digest.StateSuperseded, tenant, ms(end), digest.StatePending, digest.StateFailed); err != nil {
		return digest.Record{}, fmt.Errorf("store: supersede digests: %w", err)
	}
	rec := digest.Record{Tenant: tenant, Start: start, End: end, State: digest.StatePending, Attempts: 1, Claimed: now}
	res, err := tx.ExecContext(ctx, `INSERT INTO digests (tenant_id, period_start, period_end, state, attempts, claimed)
 VALUES (?, ?, ?, ?, ?, ?)`, tenant, ms(start), ms(end), rec.State, rec.Attempts, ms(now))
	if err != nil {
		return rec, fmt.Errorf("store: claim digest: %w", err)
	}
	if rec.ID, err = res.LastInsertId(); err != nil {
		return rec, fmt.Errorf("store: claim digest: %w", err)
	}
	return rec, nil
}

// FinishDigest records how a claimed period ended: sent or empty (with
// the subject), or failed with the error and when to retry.
func (s *Store) FinishDigest(ctx context.Context, rec digest.Record) error {
	_, err := s.db.ExecContext(ctx, `UPDATE digests SET state = ?, last_error = ?, subject = ?, next_attempt = ?, sent = ?
 WHERE id = ?`, rec.State, rec.LastError, rec.Subject, ms(rec.NextAttempt), ms(rec.Sent), rec.ID)
	if err != nil {
		return fmt.Errorf("store: finish digest %d: %w", rec.ID, err)
	}
	return nil
}

// RecentDigests lists every tenant's digest periods, newest first, up to
// limit, for `gapwatch digest status`.
func (s *Store) RecentDigests(ctx context.Context, limit int) ([]digest.Record, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+digestCols+` FROM digests ORDER BY period_end DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: digests: %w", err)
	}
	defer rows.Close()
	var out []digest.Record
	for rows.Next() {
		d, err := scanDigest(rows)
		if err != nil {
			return nil, fmt.Errorf("store: digests: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
