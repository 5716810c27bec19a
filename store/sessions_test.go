package store

import (
	"context"
	"testing"
	"time"
)

func TestRevokeSession(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if got, err := s.SessionRevoked(ctx, "n1"); err != nil || got {
		t.Fatalf("fresh nonce revoked=%v err=%v", got, err)
	}
	if err := s.RevokeSession(ctx, "n1", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeSession(ctx, "n1", time.Now().Add(time.Hour)); err != nil {
		t.Fatalf("second sign-out of the same session: %v", err)
	}
	if got, err := s.SessionRevoked(ctx, "n1"); err != nil || !got {
		t.Fatalf("signed-out nonce revoked=%v err=%v", got, err)
	}
	if got, _ := s.SessionRevoked(ctx, "n2"); got {
		t.Fatal("another session is revoked too")
	}
	// An expired entry is purged by the next sign-out; its cookie has
	// expired by then and is refused on its own.
	if err := s.RevokeSession(ctx, "old", time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeSession(ctx, "n3", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM revoked_sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("%d revoked sessions kept, want 2 (n1, n3)", n)
	}
}
