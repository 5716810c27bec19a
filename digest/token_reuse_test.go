package digest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/digest"
	"github.com/gapwatch/gapwatch/notice"
)

// TestUnsubscribeTokenDiesWithTenant deletes a tenant and creates another
// that reuses its ID: the old tenant's link must not turn off the new
// tenant's digest, and UnsubscribeTenant must not change anything.
func TestUnsubscribeTokenDiesWithTenant(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	link := w.svc.UnsubscribeURL(w.tenant)
	tok := link[strings.Index(link, "token=")+len("token="):]
	got, err := w.svc.UnsubscribeTenant(ctx, tok)
	if err != nil || got.ID != w.tenant.ID {
		t.Fatalf("check own token: %v %v", got, err)
	}
	if sub, _ := w.st.Subscription(ctx, w.tenant); !sub.Enabled {
		t.Fatal("checking a token unsubscribed the tenant")
	}
	if err := w.st.DeleteTenant(ctx, w.tenant.Name); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond) // a later creation time, as in real life
	nt, _, err := w.st.CreateTenant(ctx, notice.Tenant{Name: "initech"})
	if err != nil {
		t.Fatal(err)
	}
	if nt.ID != w.tenant.ID {
		t.Logf("tenant ID not reused (%d, was %d)", nt.ID, w.tenant.ID)
	}
	if _, err := w.svc.Unsubscribe(ctx, tok); !errors.Is(err, digest.ErrBadToken) {
		t.Fatalf("old tenant's token: %v, want ErrBadToken", err)
	}
	if sub, _ := w.st.Subscription(ctx, nt); !sub.Enabled {
		t.Fatal("a deleted tenant's link turned off the new tenant's digest")
	}
}

// TestMessageIDUniqueAcrossReusedTenantIDs sends the same period for a
// tenant and for a later tenant with the same ID: the Message-IDs differ.
func TestMessageIDUniqueAcrossReusedTenantIDs(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.addExplainedGap(t)
	if _, err := w.svc.SendNow(ctx, w.tenant); err != nil {
		t.Fatal(err)
	}
	if err := w.st.DeleteTenant(ctx, w.tenant.Name); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	nt, _, err := w.st.CreateTenant(ctx, notice.Tenant{Name: "initech", Email: "soc@initech.test", Timezone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SendNow(ctx, nt); err != nil {
		t.Fatal(err)
	}
	msgs := w.mail.messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	ids := make([]string, 2)
	for i, m := range msgs {
		ids[i] = headerValue(string(m.Data), "Message-Id")
	}
	if ids[0] == "" || ids[0] == ids[1] {
		t.Fatalf("Message-IDs %q and %q, want distinct", ids[0], ids[1])
	}
}

// headerValue returns the value of a header in a raw message (first
// occurrence, case-insensitive name).
func headerValue(raw, name string) string {
	for line := range strings.SplitSeq(raw, "\r\n") {
		if line == "" {
			break
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
