package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// RevokeSession records that the web session with this nonce was signed
// out, until expires (the cookie's own expiry, after which it is refused
// anyway). Entries already past their expiry are purged at the same time,
// so the table holds at most one session lifetime of sign-outs.
func (s *Store) RevokeSession(ctx context.Context, nonce string, expires time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM revoked_sessions WHERE expires < ?`, ms(time.Now())); err != nil {
			return fmt.Errorf("store: purge revoked sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO revoked_sessions (nonce, expires) VALUES (?, ?)
			ON CONFLICT (nonce) DO UPDATE SET expires = max(expires, excluded.expires)`, nonce, ms(expires)); err != nil {
			return fmt.Errorf("store: revoke session: %w", err)
		}
		return nil
	})
}

// SessionRevoked reports whether the web session with this nonce was
// signed out.
func (s *Store) SessionRevoked(ctx context.Context, nonce string) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM revoked_sessions WHERE nonce = ?`, nonce).Scan(&n); err != nil {
		return false, fmt.Errorf("store: session revoked: %w", err)
	}
	return n > 0, nil
}
