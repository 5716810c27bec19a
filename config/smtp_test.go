package config

import (
	"strings"
	"testing"
)

func TestSMTPConfig(t *testing.T) {
	cases := []struct {
		name, yaml string
		env        []string
		wantErr    string
		check      func(t *testing.T, c *Config)
	}{
		{name: "absent means outbox", yaml: "listen: 127.0.0.1:9000\n", check: func(t *testing.T, c *Config) {
			if c.SMTP.Enabled() || c.Digest.BaseURL != "http://127.0.0.1:9000" {
				t.Errorf("smtp %+v digest %+v", c.SMTP, c.Digest)
			}
		}},
		{name: "defaults and secrets from the environment", yaml: "smtp: {host: 127.0.0.1, user: bot, from: gapwatch@example.test}\n",
			env: []string{"GAPWATCH_SMTP_PASSWORD=s3cret", "GAPWATCH_DIGEST_SECRET=0123456789abcdef0123"},
			check: func(t *testing.T, c *Config) {
				if c.SMTP.Port != 587 || c.SMTP.TLS != "starttls" || c.SMTP.Password != "s3cret" || c.Digest.Secret != "0123456789abcdef0123" {
					t.Errorf("smtp %+v digest %+v", c.SMTP, c.Digest)
				}
			}},
		{name: "implicit tls port", yaml: "smtp: {host: 127.0.0.1, tls: tls, from: a@example.test}\n", check: func(t *testing.T, c *Config) {
			if c.SMTP.Port != 465 {
				t.Errorf("port %d", c.SMTP.Port)
			}
		}},
		{name: "password only from the environment", yaml: "smtp: {host: h, from: a@example.test, password: x}\n", wantErr: "password"},
		{name: "bad tls mode", yaml: "smtp: {host: h, tls: ssl, from: a@example.test}\n", wantErr: "smtp.tls"},
		{name: "from required", yaml: "smtp: {host: h}\n", wantErr: "smtp.from"},
		{name: "from must be an address", yaml: "smtp: {host: h, from: nobody}\n", wantErr: "smtp.from"},
		{name: "bad base url", yaml: "digest: {base_url: 'ftp://x'}\n", wantErr: "digest.base_url"},
		{name: "short digest secret", yaml: "\n", env: []string{"GAPWATCH_DIGEST_SECRET=short"}, wantErr: "GAPWATCH_DIGEST_SECRET"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(write(t, tc.yaml), tc.env)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want mention of %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}
