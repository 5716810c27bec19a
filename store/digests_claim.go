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
// lease), waiting for its retry time, or covered by a delivered period
// that ends at or after end less CoverWindow (an admin's send-now shortly
// before or after the slot, or a send day moved earlier after that week
// went out): such a slot is
// recorded as superseded and never sent. A new period starts where the
// last delivered one ended; older undelivered periods whose claims are not
// live are superseded by it. SQLite serialises writers (BEGIN IMMEDIATE),
// and (tenant, period_end) is UNIQUE, so two processes never both win a
// claim.
func (s *Store) ClaimDigest(ctx context.Context, tenant notice.TenantID, end, now time.Time, lease time.Duration) (notice.DigestRecord, bool, error) {
	var rec notice.DigestRecord
	won := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		rec, err = scanDigest(tx.QueryRowContext(ctx, `SELECT `+digestCols+` FROM digests WHERE tenant_id = ? AND period_end = ?`, tenant, ms(end)))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return s.claimNew(ctx, tx, &rec, &won, tenant, end, now, lease)
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
		covered, err := deliveredThrough(ctx, tx, tenant, end, rec.ID)
		if err != nil {
			return err
		}
		if covered {
			rec.State = notice.DigestStateSuperseded
			_, err = tx.ExecContext(ctx, `UPDATE digests SET state = ? WHERE id = ?`, rec.State, rec.ID)
			if err != nil {
				return fmt.Errorf("store: claim digest: %w", err)
			}
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

// claimNew claims a period that has no row yet, or records it as
// superseded when a delivered period already covers it.
func (s *Store) claimNew(ctx context.Context, tx *sql.Tx, rec *notice.DigestRecord, won *bool, tenant notice.TenantID, end, now time.Time, lease time.Duration) error {
	covered, err := deliveredThrough(ctx, tx, tenant, end, 0)
	if err != nil {
		return err
	}
	if !covered {
		*rec, err = s.newPeriod(ctx, tx, tenant, end, now, lease)
		*won = err == nil
		return err
	}
	*rec = notice.DigestRecord{Tenant: tenant, Start: end, End: end, State: notice.DigestStateSuperseded, Claimed: now}
	res, err := tx.ExecContext(ctx, `INSERT INTO digests (tenant_id, period_start, period_end, state, attempts, claimed)
 VALUES (?, ?, ?, ?, 0, ?)`, tenant, ms(end), ms(end), rec.State, ms(now))
	if err != nil {
		return fmt.Errorf("store: claim digest: %w", err)
	}
	if rec.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("store: claim digest: %w", err)
	}
	return nil
}

// CoverWindow is how long before a send time a delivered period may end
// and still cover it: a digest sent on demand shortly before the scheduled
// one makes that one redundant. What happened in between goes into the
// next period, which starts where the delivered one ended.
const CoverWindow = time.Hour

// deliveredThrough reports whether a delivered (sent or empty) period of
// the tenant, other than the row except, ends at or after end less
// CoverWindow: the week up to end already went out.
func deliveredThrough(ctx context.Context, tx *sql.Tx, tenant notice.TenantID, end time.Time, except int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM digests WHERE tenant_id = ? AND state IN (?, ?) AND period_end >= ? AND id != ?`,
		tenant, notice.DigestStateSent, notice.DigestStateEmpty, ms(end.Add(-CoverWindow)), except).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: claim digest: %w", err)
	}
	return n > 0, nil
}

func (s *Store) newPeriod(ctx context.Context, tx *sql.Tx, tenant notice.TenantID, end, now time.Time, lease time.Duration) (notice.DigestRecord, error) {
	start, err := lastDelivered(ctx, tx, tenant, end)
	if err != nil {
		return notice.DigestRecord{}, err
	}
	// A pending claim still within its lease is being sent right now: its
	// sender will finish it, so it is left alone.
	if _, err := tx.ExecContext(ctx, `UPDATE digests SET state = ? WHERE tenant_id = ? AND period_end < ?
 AND (state = ? OR (state = ? AND claimed <= ?))`,
		notice.DigestStateSuperseded, tenant, ms(end), notice.DigestStateFailed, notice.DigestStatePending, ms(now.Add(-lease))); err != nil {
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
// the subject), or failed with the error and when to retry. It updates
// the row only while it still holds the claim rec was given (state
// pending, same attempt and claim time): a sender whose lease expired and
// whose period was reclaimed, finished or superseded by another replica
// gets an error wrapping notice.ErrConflict and changes nothing.
func (s *Store) FinishDigest(ctx context.Context, rec notice.DigestRecord) error {
	res, err := s.db.ExecContext(ctx, `UPDATE digests SET state = ?, last_error = ?, subject = ?, next_attempt = ?, sent = ?
 WHERE id = ? AND state = ? AND attempts = ? AND claimed = ?`, rec.State, rec.LastError, rec.Subject, ms(rec.NextAttempt), ms(rec.Sent),
		rec.ID, notice.DigestStatePending, rec.Attempts, ms(rec.Claimed))
	if err != nil {
		return fmt.Errorf("store: finish digest %d: %w", rec.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: finish digest %d: %w", rec.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("store: finish digest %d: claim no longer held: %w", rec.ID, notice.ErrConflict)
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
