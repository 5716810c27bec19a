package digest_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// With Settle, a period is sent only that long after its send time, so a
// notice version dated just before the send time (its crawl started then)
// but stored just after is in the digest instead of falling between two
// periods.
func TestSettleWaitsForLateCommits(t *testing.T) {
	w := newWorld(t)
	w.settle = 10 * time.Minute
	svc := w.service(t)
	slot := nextMonday8(time.Now())
	ctx := context.Background()

	w.clock.Set(slot.Add(time.Minute))
	if err := svc.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(w.mail.messages()); n != 0 {
		t.Fatalf("%d messages a minute after the send time, want none before it settles", n)
	}
	// The crawl that started before the send time commits now.
	w.addExplainedGap(t)

	w.clock.Set(slot.Add(11 * time.Minute))
	if err := svc.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := w.mail.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages after the send time settled, want 1", len(msgs))
	}
	if body := string(msgs[0].Data); !strings.Contains(body, "SigninLogs") {
		t.Fatalf("the late-committed notice is not in the digest:\n%s", body)
	}
}
