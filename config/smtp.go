package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
)

// SMTPConfig is the mail relay digests are sent through. Without a host,
// digests are written as .eml files under data_dir/outbox instead.
type SMTPConfig struct {
	Host string `yaml:"host"`
	// Port defaults to 587 for starttls, 465 for tls and 25 for none.
	Port int `yaml:"port"`
	// TLS is starttls (default), tls (implicit, RFC 8314) or none.
	TLS  string `yaml:"tls"`
	User string `yaml:"user"`
	// From is the sender address of digests.
	From string `yaml:"from"`
	// Password is a secret: only from GAPWATCH_SMTP_PASSWORD.
	Password string `yaml:"-"`
}

// Enabled reports whether a relay is configured.
func (s SMTPConfig) Enabled() bool { return s.Host != "" }

// DigestConfig configures the weekly digests.
type DigestConfig struct {
	// BaseURL is where recipients reach this server (for unsubscribe
	// links); default http:// + listen.
	BaseURL string `yaml:"base_url"`
	// Secret signs unsubscribe links (GAPWATCH_DIGEST_SECRET only);
	// without it a random key is kept in data_dir.
	Secret string `yaml:"-"`
}

func (s *SMTPConfig) validate(file string) error {
	if s.TLS == "" {
		s.TLS = "starttls"
	}
	ports := map[string]int{"starttls": 587, "tls": 465, "none": 25}
	def, ok := ports[s.TLS]
	if !ok {
		return &Error{File: file, Key: "smtp.tls", Problem: fmt.Sprintf("%q: use starttls, tls or none", s.TLS)}
	}
	if !s.Enabled() {
		return nil
	}
	if s.Port == 0 {
		s.Port = def
	}
	if s.Port < 0 || s.Port > 65535 {
		return &Error{File: file, Key: "smtp.port", Problem: "a TCP port from 1 to 65535"}
	}
	if s.From == "" {
		return &Error{File: file, Key: "smtp.from", Problem: "the sender address is required when smtp.host is set"}
	}
	if a, err := mail.ParseAddress(s.From); err != nil || !strings.Contains(a.Address, "@") {
		return &Error{File: file, Key: "smtp.from", Problem: fmt.Sprintf("%q is not an email address", s.From)}
	}
	if s.Password != "" && s.User == "" {
		return &Error{File: "environment", Key: "GAPWATCH_SMTP_PASSWORD", Problem: "set smtp.user as well"}
	}
	return nil
}

func (d *DigestConfig) validate(file, listen string) error {
	if d.BaseURL == "" {
		d.BaseURL = "http://" + listen
	}
	u, err := url.Parse(d.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &Error{File: file, Key: "digest.base_url", Problem: fmt.Sprintf("%q is not an http(s) URL", d.BaseURL)}
	}
	d.BaseURL = strings.TrimRight(d.BaseURL, "/")
	if d.Secret != "" && len(d.Secret) < 16 {
		return &Error{File: "environment", Key: "GAPWATCH_DIGEST_SECRET", Problem: "use at least 16 characters"}
	}
	return nil
}
