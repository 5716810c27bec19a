package digest_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/digest"
	"github.com/gapwatch/gapwatch/notice"
)

func TestNothingChangedNothingSent(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	slot := nextMonday8(time.Now())
	w.clock.Set(slot.Add(time.Minute))
	if err := w.svc.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(w.mail.messages()); n != 0 {
		t.Fatalf("%d messages for a quiet week, want 0", n)
	}
	rec, err := w.st.LastDigest(ctx, w.tenant.ID)
	if err != nil || rec.State != notice.DigestStateEmpty {
		t.Fatalf("record %+v, %v: want the period recorded as empty", rec, err)
	}
	t.Run("all-quiet note when asked", func(t *testing.T) {
		sub, _ := w.st.Subscription(ctx, w.tenant)
		sub.AllQuiet = true
		if err := w.st.SetSubscription(ctx, sub); err != nil {
			t.Fatal(err)
		}
		w.clock.Set(slot.Add(7*24*time.Hour + time.Minute))
		if err := w.svc.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := w.mail.messages()
		if len(msgs) != 1 || !strings.Contains(string(msgs[0].Data), "all quiet") {
			t.Fatalf("want one all-quiet note, got %d messages", len(msgs))
		}
	})
}

func TestRunTwiceOneEmail(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.addExplainedGap(t)
	replica := w.service(t)
	w.clock.Set(nextMonday8(time.Now()).Add(time.Minute))
	var wg sync.WaitGroup
	for _, svc := range []*digest.Service{w.svc, replica, w.svc, replica} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := svc.RunDue(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := w.svc.RunDue(ctx); err != nil { // a restart at the same time
		t.Fatal(err)
	}
	if n := len(w.mail.messages()); n != 1 {
		t.Fatalf("%d messages, want exactly 1", n)
	}
}

func TestDownAcrossSendTime(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.addExplainedGap(t)
	slot := nextMonday8(time.Now())
	w.clock.Set(slot.Add(-time.Hour)) // running before the send time
	if err := w.svc.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(w.mail.messages()); n != 0 {
		t.Fatalf("%d messages before the send time", n)
	}
	// Down from 07:00 to 13:00: the first pass after start-up sends it.
	w.clock.Set(slot.Add(5 * time.Hour))
	restarted := w.service(t)
	for range 2 {
		if err := restarted.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(w.mail.messages()); n != 1 {
		t.Fatalf("%d messages after start-up, want 1", n)
	}
	rec, err := w.st.LastDigest(ctx, w.tenant.ID)
	if err != nil || !rec.End.Equal(slot) || rec.State != notice.DigestStateSent {
		t.Fatalf("record %+v (%v), want the period ending at the missed send time %s", rec, err, slot)
	}
}

func TestSMTPRefusesThenAccepts(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.addExplainedGap(t)
	w.mail.refuseNext(2)
	start := nextMonday8(time.Now()).Add(time.Minute)
	w.clock.Set(start)
	if err := w.svc.RunDue(ctx); err == nil {
		t.Fatal("no error while the server refuses")
	}
	rec, _ := w.st.LastDigest(ctx, w.tenant.ID)
	if rec.State != notice.DigestStateFailed || !strings.Contains(rec.LastError, "451") || rec.Attempts != 1 {
		t.Fatalf("after a refusal: %+v", rec)
	}
	w.clock.Set(start.Add(30 * time.Second)) // before the back-off ends: no attempt
	if err := w.svc.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(start.Add(61 * time.Second)) // attempt 2, refused again
	if err := w.svc.RunDue(ctx); err == nil {
		t.Fatal("second attempt should fail")
	}
	rec, _ = w.st.LastDigest(ctx, w.tenant.ID)
	if want := start.Add(61 * time.Second).Add(2 * time.Minute); rec.Attempts != 2 || !rec.NextAttempt.Equal(want.UTC()) {
		t.Fatalf("attempts %d next %s, want 2 and %s (doubled back-off)", rec.Attempts, rec.NextAttempt, want)
	}
	w.clock.Set(start.Add(10 * time.Minute))
	for range 2 {
		if err := w.svc.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(w.mail.messages()); n != 1 {
		t.Fatalf("%d messages accepted, want 1", n)
	}
	if w.counts["failed"] != 2 || w.counts["sent"] != 1 {
		t.Errorf("outcomes %v", w.counts)
	}
}

// nextDSTChange returns the first instant after now when Paris changes
// its UTC offset.
func nextDSTChange(t *testing.T, now time.Time) time.Time {
	loc, _ := time.LoadLocation("Europe/Paris")
	_, off := now.In(loc).Zone()
	for h := 1; h < 24*400; h++ {
		c := now.Add(time.Duration(h) * time.Hour)
		if _, o := c.In(loc).Zone(); o != off {
			return c
		}
	}
	t.Fatal("no DST change within a year")
	return time.Time{}
}

// TestDSTWeekParis: the Monday 08:00 digest after a change of offset is
// sent at 08:00 on the new Paris clock, one period after the last.
func TestDSTWeekParis(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.addExplainedGap(t)
	loc, _ := time.LoadLocation("Europe/Paris")
	change := nextDSTChange(t, time.Now())
	after := digest.NextSlot(change, time.Monday, 8, loc)
	before := digest.LastSlot(change, time.Monday, 8, loc)
	if got := after.Sub(before); got == 7*24*time.Hour {
		t.Fatalf("a DST week should not last exactly 168 h (%s → %s)", before, after)
	}
	for _, s := range []time.Time{before, after} {
		if l := s.In(loc); l.Hour() != 8 || l.Weekday() != time.Monday {
			t.Fatalf("slot %s is %s in Paris", s, l)
		}
	}
	// The tenant exists before the first slot only if that slot is in the
	// future; otherwise the first digest is the one after the change.
	first := before
	if first.Before(w.tenant.Created) {
		first = time.Time{}
	}
	if !first.IsZero() {
		w.clock.Set(first.Add(time.Minute))
		if err := w.svc.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// 30 minutes before 08:00 on the new clock, nothing is due even though
	// the old offset's 08:00 may have passed.
	w.clock.Set(after.Add(-30 * time.Minute))
	if err := w.svc.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(after)
	if err := w.svc.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	rec, err := w.st.LastDigest(ctx, w.tenant.ID)
	if err != nil || !rec.End.Equal(after) {
		t.Fatalf("last period %+v (%v), want it to end at %s", rec, err, after)
	}
	if !first.IsZero() && !rec.Start.Equal(first) {
		t.Errorf("period after the change starts %s, want the previous send time %s", rec.Start, first)
	}
}

func TestLastSlotDST(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Paris")
	cases := []struct {
		name string
		now  string
		wd   time.Weekday
		hour int
		want string
	}{
		{"Monday after autumn change (CET)", "2024-10-28T09:00:00Z", time.Monday, 8, "2024-10-28T07:00:00Z"},
		{"Monday before it (CEST)", "2024-10-28T06:30:00Z", time.Monday, 8, "2024-10-21T06:00:00Z"},
		{"Monday after spring change (CEST)", "2025-03-31T06:00:00Z", time.Monday, 8, "2025-03-31T06:00:00Z"},
		{"skipped hour moves forward", "2025-03-30T05:00:00Z", time.Sunday, 2, "2025-03-30T01:00:00Z"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now, _ := time.Parse(time.RFC3339, c.now)
			if got := digest.LastSlot(now, c.wd, c.hour, loc).Format(time.RFC3339); got != c.want {
				t.Errorf("LastSlot = %s, want %s", got, c.want)
			}
		})
	}
}

func TestUnsubscribeToken(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	link := w.svc.UnsubscribeURL(w.tenant)
	tok := link[strings.Index(link, "token=")+len("token="):]
	cases := []struct {
		name  string
		token string
	}{
		{"other tenant", strings.Replace(tok, "1.", "2.", 1)},
		{"longer expiry", tok[:strings.Index(tok, ".")+1] + "9" + tok[strings.Index(tok, ".")+1:]},
		{"flipped signature", flip(tok, len(tok)-10)},
		{"flipped padding bits", flip(tok, len(tok)-1)},
		{"truncated", tok[:len(tok)/2]},
		{"empty", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := w.svc.Unsubscribe(ctx, c.token); !errors.Is(err, digest.ErrBadToken) {
				t.Fatalf("token %q accepted (err %v)", c.token, err)
			}
		})
	}
	t.Run("valid token unsubscribes without a login", func(t *testing.T) {
		got, err := w.svc.Unsubscribe(ctx, tok)
		if err != nil || got.ID != w.tenant.ID {
			t.Fatalf("unsubscribe %v %v", got, err)
		}
		sub, _ := w.st.Subscription(ctx, w.tenant)
		if sub.Enabled {
			t.Fatal("still subscribed")
		}
	})
	t.Run("expired", func(t *testing.T) {
		w.clock.Set(time.Now().Add(digest.TokenLifetime + time.Hour))
		if _, err := w.svc.Unsubscribe(ctx, tok); !errors.Is(err, digest.ErrBadToken) {
			t.Fatalf("expired token accepted: %v", err)
		}
	})
}

// flip changes the character at i to another base64url character.
func flip(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}
