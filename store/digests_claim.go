package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// ClaimDigest claims a tenant's digest period ending at end, in one
// transaction, before anything is sent. It reports false when the period
// is already delivered, being sent by someone else (a claim younger than
// lease) or waiting for its retry time. A new period starts where the last
// delivered one ended; older undelivered periods are superseded by it.
// SQLite serialises writers (BEGIN IMMEDIATE), and (tenant, period_end) is
// UNIQUE, so two processes never both win a claim.
func (s *Store) ClaimDigest(ctx context.Context, tenant notice.TenantID, end, now time.Time, lease time.Duration) (notice.DigestRecord, bool, error) {
	var rec notice.DigestRecord
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
		case notice.DigestStatePending:
			if now.Before(rec.Claimed.Add(lease)) {
				return nil
			}
		case notice.DigestStateFailed:
			if now.Before(rec.NextAttempt) {
				return nil
			}
		default:
			return nil
		}
		rec.State, rec.Attempts, rec.Claimed = notice.DigestStatePending, rec.Attempts+1, now
		_, err = tx.ExecContext(ctx, `UPDATE digests SET state = ?, attempts = ?, claimed = ? WHERE id = ?`, rec.State, rec.Attempts, ms(now), rec.ID)
		if err != nil {
			return fmt.Errorf("store: claim digest: %w", err)
		}
		won = true
		return nil
	})
	return rec, won, err
}

func (s *Store) newPeriod(ctx context.Context, tx *sql.Tx, tenant notice.TenantID, end, now time.Time) (notice.DigestRecord, error) {
	start, err := lastDelivered(ctx, tx, tenant, end)
	if err != nil {
		return notice.DigestRecord{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE digests SET state = ? WHERE tenant_id = ? AND period_end < ? AND state IN (?, ?)`,
		notice.DigestStateSuperseded, tenant, ms(end), notice.DigestStatePending, notice.DigestStateFailed); err != nil {
		return notice.DigestRecord{}, fmt.Errorf("store: supersede digests: %w", err)
	}
	rec := notice.DigestRecord{Tenant: tenant, Start: start, End: end, State: notice.DigestStatePending, Attempts: 1, Claimed: now}
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
func (s *Store) FinishDigest(ctx context.Context, rec notice.DigestRecord) error {
	_, err := s.db.ExecContext(ctx, `UPDATE digests SET state = ?, last_error = ?, subject = ?, next_attempt = ?, sent = ?
 WHERE id = ?`, rec.State, rec.LastError, rec.Subject, ms(rec.NextAttempt), ms(rec.Sent), rec.ID)
	if err != nil {
		return fmt.Errorf("store: finish digest %d: %w", rec.ID, err)
	}
	return nil
}

// RecentDigests lists every tenant's digest periods, newest first, up to
// limit, for `gapwatch digest status`.
func (s *Store) RecentDigests(ctx context.Context, limit int) ([]notice.DigestRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+digestCols+` FROM digests ORDER BY period_end DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: digests: %w", err)
	}
	defer rows.Close()
	var out []notice.DigestRecord
	for rows.Next() {
		d, err := scanDigest(rows)
		if err != nil {
			return nil, fmt.Errorf("store: digests: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
