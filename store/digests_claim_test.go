package store

import (
	"context"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// TestNewPeriodKeepsLiveClaims starts a new period while an older one is
// being sent (a claim within its lease) and another older claim has
// expired: only the expired one is superseded, and the live sender can
// still finish its period.
func TestNewPeriodKeepsLiveClaims(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ten, _, err := s.CreateTenant(ctx, notice.Tenant{Name: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	lease := 10 * time.Minute
	base := time.Date(2024, 9, 2, 6, 0, 0, 0, time.UTC)
	stale, won, err := s.ClaimDigest(ctx, ten.ID, base, base, lease)
	if err != nil || !won {
		t.Fatal(won, err)
	}
	now := base.Add(time.Hour)
	live, won, err := s.ClaimDigest(ctx, ten.ID, base.Add(time.Minute), now.Add(-time.Minute), lease)
	if err != nil || !won {
		t.Fatal(won, err)
	}
	if _, won, err := s.ClaimDigest(ctx, ten.ID, base.Add(7*24*time.Hour), now, lease); err != nil || !won {
		t.Fatal(won, err)
	}
	states := map[int64]notice.DigestState{}
	ds, _ := s.RecentDigests(ctx, 10)
	for _, d := range ds {
		states[d.ID] = d.State
	}
	if states[stale.ID] != notice.DigestStateSuperseded {
		t.Errorf("expired claim state %s, want superseded", states[stale.ID])
	}
	if states[live.ID] != notice.DigestStatePending {
		t.Errorf("live claim state %s, want pending", states[live.ID])
	}
	live.State, live.Sent = notice.DigestStateSent, now
	if err := s.FinishDigest(ctx, live); err != nil {
		t.Fatalf("live sender cannot finish: %v", err)
	}
	stale.State, stale.LastError = notice.DigestStateFailed, "timeout"
	if err := s.FinishDigest(ctx, stale); err == nil {
		t.Error("superseded claim finished")
	}
}
