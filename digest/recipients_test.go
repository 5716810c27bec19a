package digest_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/gapwatch/gapwatch/digest"
	"github.com/gapwatch/gapwatch/notice"
)

// rcptSession refuses RCPT TO for gone@ (550, permanent) and busy@ (450,
// temporary) and accepts everyone else.
type rcptSession struct{ session }

func (s *rcptSession) Rcpt(to string, o *smtp.RcptOptions) error {
	switch {
	case strings.HasPrefix(to, "gone@"):
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	case strings.HasPrefix(to, "busy@"):
		return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "mailbox busy"}
	}
	return s.session.Rcpt(to, o)
}

// startRcptServer starts an SMTP server whose sessions are rcptSessions.
func startRcptServer(t *testing.T) (*mailServer, int) {
	t.Helper()
	ms := &mailServer{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &rcptSession{session{ms: ms}}, nil }))
	srv.Domain = "localhost"
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ms, ln.Addr().(*net.TCPAddr).Port
}

// TestRefusedRecipients sends a digest to recipients some of whom the
// relay refuses: the others get it once, the period is sent and names the
// refused ones; when every recipient is refused permanently the period is
// failed without an hourly retry.
func TestRefusedRecipients(t *testing.T) {
	tests := []struct {
		name       string
		recipients []string
		delivered  int
		state      notice.DigestState
		retryAfter time.Duration // minimum wait before the next attempt
		lastError  []string
	}{
		{name: "one refused permanently", recipients: []string{"soc@acme.test", "gone@acme.test"}, delivered: 1,
			state: notice.DigestStateSent, lastError: []string{"gone@acme.test (permanent)"}},
		{name: "one refused for now", recipients: []string{"busy@acme.test", "soc@acme.test"}, delivered: 1,
			state: notice.DigestStateSent, lastError: []string{"busy@acme.test (temporary)"}},
		{name: "all refused permanently", recipients: []string{"gone@acme.test", "gone@other.test"}, delivered: 0,
			state: notice.DigestStateFailed, retryAfter: 24 * time.Hour, lastError: []string{"gone@acme.test (permanent)", "gone@other.test (permanent)"}},
		{name: "all refused for now", recipients: []string{"busy@acme.test"}, delivered: 0,
			state: notice.DigestStateFailed, lastError: []string{"busy@acme.test (temporary)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.addExplainedGap(t)
			ms, port := startRcptServer(t)
			signer, _ := digest.NewSigner([]byte("0123456789abcdef0123456789abcdef"))
			svc, err := digest.NewService(digest.Options{Store: w.st, Signer: signer, Resolver: names{},
				Sender: digest.NewSMTPSender(digest.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: "none", Timeout: 5 * time.Second}),
				From:   "gapwatch@example.test", Now: w.clock.Now, RetryBase: time.Minute, RetryMax: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			sub, _ := w.st.Subscription(ctx, w.tenant)
			sub.Recipients = tt.recipients
			if err := w.st.SetSubscription(ctx, sub); err != nil {
				t.Fatal(err)
			}
			slot := nextMonday8(time.Now())
			w.clock.Set(slot.Add(time.Minute))
			_ = svc.RunDue(ctx) // a failed period is an error; the record says how
			ds, _ := w.st.RecentDigests(ctx, 1)
			if len(ds) != 1 || ds[0].State != tt.state {
				t.Fatalf("digests %+v, want one %s", ds, tt.state)
			}
			for _, part := range tt.lastError {
				if !strings.Contains(ds[0].LastError, part) {
					t.Errorf("last error %q, want it to name %q", ds[0].LastError, part)
				}
			}
			if tt.retryAfter > 0 && ds[0].NextAttempt.Before(slot.Add(tt.retryAfter)) {
				t.Errorf("permanent refusal retried at %s", ds[0].NextAttempt)
			}
			// Later passes must not send again to whoever got it.
			for h := 2; h <= 4; h++ {
				w.clock.Set(slot.Add(time.Duration(h) * time.Hour))
				_ = svc.RunDue(ctx)
			}
			got := ms.messages()
			if tt.delivered > 0 && len(got) != tt.delivered {
				t.Fatalf("%d messages delivered, want %d", len(got), tt.delivered)
			}
			for _, m := range got {
				if len(m.To) != 1 || strings.HasPrefix(m.To[0], "gone@") || strings.HasPrefix(m.To[0], "busy@") {
					t.Errorf("delivered to %v", m.To)
				}
			}
		})
	}
}
