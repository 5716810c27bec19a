package digest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/gapwatch/gapwatch/notice"
)

// Message is one digest email ready to go.
type Message struct {
	From    string
	To      []string
	Subject string
	HTML    string
	Text    string
	// Unsubscribe is the one-click unsubscribe URL (RFC 8058).
	Unsubscribe string
	// ID is the Message-ID without brackets: stable per tenant and period,
	// so even a duplicate would thread as one message.
	ID   string
	Date time.Time
}

// Sender delivers digest messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// compose builds the MIME message: multipart/alternative with the text part
// first and the HTML part last (the preferred one, RFC 2046 §5.1.4), and
// List-Unsubscribe headers (RFC 2369, RFC 8058 one-click).
func compose(m Message) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(m.From); err != nil {
		return nil, fmt.Errorf("digest: from %q: %w", m.From, err)
	}
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("digest: recipients: %w", err)
	}
	msg.Subject(m.Subject)
	if m.ID != "" {
		msg.SetMessageIDWithValue(m.ID)
	} else {
		msg.SetMessageID()
	}
	if m.Date.IsZero() {
		msg.SetDate()
	} else {
		msg.SetDateWithValue(m.Date)
	}
	if m.Unsubscribe != "" {
		msg.SetGenHeaderPreformatted(mail.HeaderListUnsubscribe, "<"+m.Unsubscribe+">")
		msg.SetGenHeaderPreformatted(mail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	msg.SetGenHeader(mail.HeaderXMailer, "gapwatch")
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	return msg, nil
}

// SMTPConfig is how to reach the mail relay.
type SMTPConfig struct {
	Host string
	Port int
	// TLS is "starttls" (required), "tls" (implicit) or "none".
	TLS      string
	User     string
	Password string
	Timeout  time.Duration
}

// SMTPSender sends through a relay with go-mail, one connection per
// message (digests are few and weekly).
type SMTPSender struct {
	cfg SMTPConfig
}

// NewSMTPSender returns a sender for cfg.
func NewSMTPSender(cfg SMTPConfig) *SMTPSender {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTPSender{cfg: cfg}
}

func (s *SMTPSender) options() []mail.Option {
	c := s.cfg
	opts := []mail.Option{mail.WithPort(c.Port), mail.WithTimeout(c.Timeout)}
	switch c.TLS {
	case "tls":
		opts = append(opts, mail.WithSSL(), mail.WithTLSConfig(&tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}))
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory), mail.WithTLSConfig(&tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}))
	}
	if c.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(c.User), mail.WithPassword(c.Password))
	}
	return opts
}

// Send delivers m, one message per recipient over one connection, so that
// a recipient the relay refuses does not keep the digest from the others.
// When some or all recipients fail it returns a *DeliveryError naming
// each; a failure before any recipient was tried (dial, TLS, auth) is a
// plain error.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msgs := make([]*mail.Msg, len(m.To))
	for i, rcpt := range m.To {
		one := m
		one.To = []string{rcpt}
		msg, err := compose(one)
		if err != nil {
			return err
		}
		msgs[i] = msg
	}
	cl, err := mail.NewClient(s.cfg.Host, s.options()...)
	if err != nil {
		return fmt.Errorf("digest: smtp client: %w", err)
	}
	err = cl.DialAndSendWithContext(ctx, msgs...)
	if err == nil {
		return nil
	}
	// Classify by delivery, not by send error: go-mail marks a message
	// delivered once the server accepted its data, and may still report an
	// error for it (the RSET after it) or for the session (QUIT, close).
	de := &DeliveryError{}
	tried := false
	for i, msg := range msgs {
		switch {
		case msg.IsDelivered():
			de.Delivered = append(de.Delivered, m.To[i])
		case msg.HasSendError():
			tried = true
			de.Failed = append(de.Failed, RecipientError{Recipient: m.To[i], Permanent: permanent(msg.SendError()), Err: msg.SendError()})
		default:
			de.Failed = append(de.Failed, RecipientError{Recipient: m.To[i], Err: err})
		}
	}
	switch {
	case len(de.Failed) == 0:
		return nil // every message accepted; only the session's end failed
	case len(de.Delivered) == 0 && !tried:
		return fmt.Errorf("digest: smtp send to %s:%d: %w", s.cfg.Host, s.cfg.Port, err)
	}
	return de
}

// permanent reports whether err carries a 5xx SMTP reply: a permanent
// negative completion (RFC 5321 §4.2.1) that a retry will not change.
// go-mail's IsTemp is not enough: it calls any non-4xx error permanent,
// timeouts included.
func permanent(err error) bool {
	var se *mail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		return code >= 500 && code < 600
	}
	return false
}

// RecipientError is one recipient a message was not delivered to.
type RecipientError struct {
	Recipient string
	// Permanent is a 5xx reply (no such user, policy): retrying will not
	// help; otherwise the failure may pass.
	Permanent bool
	Err       error
}

// DeliveryError reports a message that reached only some of its
// recipients, or none: each failed recipient with its error.
type DeliveryError struct {
	Delivered []string
	Failed    []RecipientError
}

// Error lists the failed recipients.
func (e *DeliveryError) Error() string {
	parts := make([]string, len(e.Failed))
	for i, f := range e.Failed {
		kind := "temporary"
		if f.Permanent {
			kind = "permanent"
		}
		parts[i] = fmt.Sprintf("%s (%s): %v", f.Recipient, kind, f.Err)
	}
	return fmt.Sprintf("digest: not delivered to %d of %d recipients: %s", len(e.Failed), len(e.Failed)+len(e.Delivered),
		strings.Join(parts, "; "))
}

// Unwrap returns each recipient's error.
func (e *DeliveryError) Unwrap() []error {
	out := make([]error, len(e.Failed))
	for i, f := range e.Failed {
		out[i] = f.Err
	}
	return out
}

// AllPermanent reports whether every failure was permanent.
func (e *DeliveryError) AllPermanent() bool {
	for _, f := range e.Failed {
		if !f.Permanent {
			return false
		}
	}
	return true
}

// Outbox writes each message as an .eml file in a folder, for running
// without a relay (and for looking at what would be sent).
type Outbox struct {
	Dir string
}

// Send writes m to Dir/<message id>.eml, atomically (temp file + rename).
func (o Outbox) Send(_ context.Context, m Message) error {
	msg, err := compose(m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.Dir, 0o750); err != nil {
		return fmt.Errorf("digest: outbox: %w", err)
	}
	name := m.ID
	if name == "" {
		name = fmt.Sprintf("digest-%d", time.Now().UnixNano())
	}
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == '@' || r < ' ' {
			return '_'
		}
		return r
	}, name)
	f, err := os.CreateTemp(o.Dir, ".tmp-*.eml")
	if err != nil {
		return fmt.Errorf("digest: outbox: %w", err)
	}
	_, werr := msg.WriteTo(f)
	if cerr := f.Close(); werr != nil || cerr != nil {
		os.Remove(f.Name())
		return fmt.Errorf("digest: outbox: %w", errors.Join(werr, cerr))
	}
	if err := os.Rename(f.Name(), filepath.Join(o.Dir, name+".eml")); err != nil {
		return fmt.Errorf("digest: outbox: %w", err)
	}
	return nil
}

// messageID is a digest's Message-ID (without brackets): stable per tenant
// and period, so a retry threads as the same message, and unique across
// tenants even when a deleted tenant's ID is reused, as the tenant's
// creation time is part of it.
func messageID(t notice.Tenant, rec notice.DigestRecord) string {
	return fmt.Sprintf("digest-%d-%d-%d@gapwatch", t.ID, t.Created.UnixMilli(), rec.End.Unix())
}
