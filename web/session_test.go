package web

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func testSessions(now *time.Time) *sessions {
	return &sessions{key: []byte(strings.Repeat("k", 32)), ttl: time.Hour, now: func() time.Time { return *now }}
}

func TestSessionRoundTripAndTampering(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	m := testSessions(&now)
	s := m.fresh()
	s.Tenant = 7
	v := m.encode(s)
	got, err := m.decode(v)
	if err != nil || got != s {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	payload, sig, _ := strings.Cut(v, ".")
	forged := session{Nonce: s.Nonce, Tenant: 8, Expires: s.Expires}
	other := &sessions{key: []byte(strings.Repeat("x", 32)), ttl: time.Hour, now: m.now}
	cases := map[string]string{
		"empty":              "",
		"no signature":       payload,
		"bad signature":      payload + "." + sig[:len(sig)-2] + "AA",
		"other tenant":       strings.SplitN(m.encode(forged), ".", 2)[0] + "." + sig,
		"signed by another":  other.encode(s),
		"csrf token as sig":  payload + "." + m.csrfToken(s),
		"garbage":            "!!!.???",
		"truncated payload":  payload[:len(payload)-3] + "." + sig,
		"signature swapped":  sig + "." + payload,
		"trailing dot parts": v + ".x",
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := m.decode(c); err == nil {
				t.Fatalf("accepted %q", c)
			}
		})
	}
	now = now.Add(time.Hour)
	if _, err := m.decode(v); err == nil {
		t.Fatal("accepted an expired session")
	}
}

func TestCSRFTokenIsPerSession(t *testing.T) {
	now := time.Now()
	m := testSessions(&now)
	a, b := m.fresh(), m.fresh()
	if !m.checkCSRF(a, m.csrfToken(a)) {
		t.Fatal("own token refused")
	}
	if m.checkCSRF(a, m.csrfToken(b)) || m.checkCSRF(a, "") {
		t.Fatal("another session's or an empty token accepted")
	}
}

func TestCookieAttributes(t *testing.T) {
	now := time.Now()
	m := testSessions(&now)
	cases := []struct {
		name, host string
		tls        bool
		proto      string
		secure     bool
	}{
		{"loopback", "127.0.0.1:8080", false, "", true},
		{"localhost", "localhost:8080", false, "", true},
		{"ipv6 loopback", "[::1]:8080", false, "", true},
		{"tls", "gapwatch.example.test", true, "", true},
		{"behind a TLS proxy", "gapwatch.example.test", false, "https", true},
		{"plain http on the network", "10.0.0.5:8080", false, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "http://"+tc.host+"/", nil)
			r.Host = tc.host
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tc.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			c := m.cookie(r, m.fresh())
			if c.Secure != tc.secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.MaxAge <= 0 || c.MaxAge > 3600 {
				t.Fatalf("cookie %+v", c)
			}
		})
	}
}

// TestCookieMaxAgeUsesTheClock: the cookie's lifetime comes from the
// injected clock, so a server whose clock is set in the past (as in
// tests) still sends a live cookie.
func TestCookieMaxAgeUsesTheClock(t *testing.T) {
	now := time.Date(2020, 1, 1, 12, 0, 0, 0, time.UTC)
	m := testSessions(&now)
	c := m.cookie(httptest.NewRequest("GET", "http://127.0.0.1/", nil), m.fresh())
	if c.MaxAge != 3600 || !c.Expires.Equal(now.Add(time.Hour)) {
		t.Fatalf("MaxAge %d Expires %v, want 3600 and %v", c.MaxAge, c.Expires, now.Add(time.Hour))
	}
}

// TestStampsBindTheCredential: a stamp depends on the tenant, its key hash
// and the session key, and never matches empty.
func TestStampsBindTheCredential(t *testing.T) {
	now := time.Now()
	m := testSessions(&now)
	other := &sessions{key: []byte(strings.Repeat("x", 32)), ttl: time.Hour, now: m.now}
	base := m.tenantStamp(3, "hash-a")
	for name, s := range map[string]string{
		"other key hash":    m.tenantStamp(3, "hash-b"),
		"other tenant":      m.tenantStamp(4, "hash-a"),
		"other session key": other.tenantStamp(3, "hash-a"),
		"admin stamp":       m.adminStamp("hash-a"),
	} {
		if sameStamp(s, base) {
			t.Errorf("%s: same stamp", name)
		}
	}
	if !sameStamp(m.tenantStamp(3, "hash-a"), base) || sameStamp("", "") || m.adminStamp("k1") == m.adminStamp("k2") {
		t.Fatal("stamps are not a function of their inputs, or empty matches")
	}
}

func TestSameOriginAndLocalPath(t *testing.T) {
	origins := []struct {
		site, origin string
		ok           bool
	}{
		{"", "", true},
		{"same-origin", "http://127.0.0.1:8080", true},
		{"none", "", true},
		{"same-site", "", false},
		{"cross-site", "", false},
		{"", "http://evil.example.test", false},
		{"", "null", false},
	}
	for _, tc := range origins {
		r := httptest.NewRequest("POST", "http://127.0.0.1:8080/signin", nil)
		r.Host = "127.0.0.1:8080"
		if tc.site != "" {
			r.Header.Set("Sec-Fetch-Site", tc.site)
		}
		if tc.origin != "" {
			r.Header.Set("Origin", tc.origin)
		}
		if got := sameOrigin(r); got != tc.ok {
			t.Errorf("Sec-Fetch-Site %q Origin %q: %v, want %v", tc.site, tc.origin, got, tc.ok)
		}
	}
	paths := map[string]string{"/gaps": "/gaps", "/gaps?x=1": "/gaps?x=1", "//evil.test": "", "/\\evil.test": "",
		"https://evil.test/": "", "gaps": "", "": ""}
	for in, want := range paths {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHighlightKeepsOnlyMarks(t *testing.T) {
	cases := map[string]string{
		"plain":                              "plain",
		"a <mark>b</mark> c":                 "a <mark>b</mark> c",
		"&lt;script&gt;<mark>x</mark>":       "&lt;script&gt;<mark>x</mark>",
		"<script>alert(1)</script>":          "&lt;script&gt;alert(1)&lt;/script&gt;",
		"<mark>open":                         "<mark>open</mark>",
		"close</mark> <mark>a</mark></mark>": "close <mark>a</mark>",
		"<mark><mark>x</mark>":               "<mark>x</mark>",
		"&amp;lt;b&amp;gt;":                  "&amp;lt;b&amp;gt;",
	}
	for in, want := range cases {
		if got := string(highlight(in)); got != want {
			t.Errorf("highlight(%q) = %q, want %q", in, got, want)
		}
	}
}
