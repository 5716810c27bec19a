package digest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// SendNow just after the slot, before the scheduler's pass: the scheduled
// period re-sends the same week.
func TestSendNowThenScheduledSendsOnce(t *testing.T) {
	for _, before := range []time.Duration{-30 * time.Second, 2 * time.Minute, 50 * time.Minute} {
		t.Run("send-now "+before.String()+" before the slot", func(t *testing.T) { sendNowThenScheduled(t, before) })
	}
}

// sendNowThenScheduled sends on demand before (or, negative, after) the
// send time, then lets the schedule run.
func sendNowThenScheduled(t *testing.T, before time.Duration) {
	w := newWorld(t)
	w.addExplainedGap(t)
	ctx := context.Background()
	slot := nextMonday8(time.Now().Add(time.Hour))
	w.clock.Set(slot.Add(-before))
	if _, err := w.svc.SendNow(ctx, w.tenant); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(slot.Add(2 * time.Minute))
	if err := w.svc.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	ds, _ := w.st.RecentDigests(ctx, 10)
	superseded := 0
	for _, d := range ds {
		if d.End.Equal(slot) && d.State == notice.DigestStateSuperseded {
			superseded++
		}
	}
	if len(ds) != 2 || superseded != 1 {
		t.Errorf("covered slot not recorded as superseded: %+v", ds)
	}
	if n := len(w.mail.messages()); n != 1 {
		t.Errorf("%d messages for one week's content, want 1", n)
	}
}

// Moving the send day earlier in the week after this week's digest went
// out re-sends a period already covered.
func TestScheduleMovedEarlierSendsOnce(t *testing.T) {
	w := newWorld(t)
	w.addExplainedGap(t)
	ctx := context.Background()
	sub, _ := w.st.Subscription(ctx, w.tenant)
	sub.Weekday = time.Wednesday
	if err := w.st.SetSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	slot := nextMonday8(time.Now()).Add(48 * time.Hour) // Wednesday 08:00 Paris
	w.clock.Set(slot.Add(time.Minute))
	if err := w.svc.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	// Thursday: the tenant switches to Monday.
	sub.Weekday = time.Monday
	if err := w.st.SetSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(slot.Add(24 * time.Hour))
	if err := w.svc.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	ds, _ := w.st.RecentDigests(ctx, 10)
	if len(ds) != 2 || ds[1].State != notice.DigestStateSuperseded {
		t.Errorf("covered slot not recorded as superseded: %+v", ds)
	}
	if n := len(w.mail.messages()); n != 1 {
		t.Errorf("%d messages, want 1 (second covers a period already delivered)", n)
	}
}

// A sender whose lease expired finishes after a second replica delivered:
// its FinishDigest overwrites "sent" with "failed", and the period is sent
// again at the retry.
func TestStaleFinishDoesNotOverwrite(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	end := time.Date(2030, 1, 7, 7, 0, 0, 0, time.UTC)
	a, won, err := w.st.ClaimDigest(ctx, w.tenant.ID, end, end, 10*time.Minute)
	if err != nil || !won {
		t.Fatal(won, err)
	}
	b, won, err := w.st.ClaimDigest(ctx, w.tenant.ID, end, end.Add(11*time.Minute), 10*time.Minute)
	if err != nil || !won {
		t.Fatal(won, err)
	}
	b.State, b.Sent = notice.DigestStateSent, end.Add(12*time.Minute)
	if err := w.st.FinishDigest(ctx, b); err != nil {
		t.Fatal(err)
	}
	a.State, a.LastError, a.NextAttempt = notice.DigestStateFailed, "smtp timeout", end.Add(13*time.Minute)
	if err := w.st.FinishDigest(ctx, a); !errors.Is(err, notice.ErrConflict) {
		t.Fatalf("stale finish: %v, want ErrConflict", err)
	}
	_, won, _ = w.st.ClaimDigest(ctx, w.tenant.ID, end, end.Add(14*time.Minute), 10*time.Minute)
	if won {
		t.Errorf("period already sent by B is claimable again after A's stale finish")
	}
	if last, _ := w.st.LastDigest(ctx, w.tenant.ID); last.State != notice.DigestStateSent {
		t.Errorf("state after stale finish %s, want sent", last.State)
	}
}
