package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// CookieName is the session cookie's name.
const CookieName = "gapwatch_session"

// CSRFField is the hidden form field that carries the CSRF token.
const CSRFField = "csrf"

// session is what the signed cookie carries. It holds no secret: the
// tenant's API key is checked once at sign-in and never stored.
type session struct {
	// Nonce is random per session and rotated at sign-in and sign-out
	// (against session fixation); the CSRF token is derived from it.
	Nonce string `json:"n"`
	// Tenant is the signed-in tenant, 0 for none.
	Tenant notice.TenantID `json:"t,omitempty"`
	// Admin marks a session signed in with the admin key.
	Admin bool `json:"a,omitempty"`
	// Stamp binds a signed-in session to the credential it was opened
	// with: an HMAC of the tenant's stored key hash (see tenantStamp) or
	// of the admin key (see adminStamp). It is checked on every request,
	// so rotating the key, deleting the tenant (even if SQLite later
	// gives its ID to a new tenant) or changing the admin key ends the
	// session.
	Stamp string `json:"k,omitempty"`
	// Expires is the Unix time after which the session is refused.
	Expires int64 `json:"e"`
}

// sessions signs and verifies session cookies with an HMAC-SHA256 key.
type sessions struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

// errBadSession is any cookie that does not verify or has expired.
var errBadSession = errors.New("web: invalid or expired session")

// newNonce returns 16 random bytes in hex.
func newNonce() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand never fails on supported platforms (Go 1.24+).
		panic(err)
	}
	return hex.EncodeToString(b[:])
}

// mac signs purpose and data, so that a CSRF token can never pass for a
// session signature or the other way round.
func (m *sessions) mac(purpose, data string) []byte {
	h := hmac.New(sha256.New, m.key)
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write([]byte(data))
	return h.Sum(nil)
}

// fresh returns a new anonymous session.
func (m *sessions) fresh() session {
	return session{Nonce: newNonce(), Expires: m.now().Add(m.ttl).Unix()}
}

// encode serialises and signs s: base64url(JSON) "." base64url(HMAC).
func (m *sessions) encode(s session) string {
	b, _ := json.Marshal(s) // a struct of strings and numbers cannot fail
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + base64.RawURLEncoding.EncodeToString(m.mac("session", payload))
}

// decode verifies a cookie value and returns its session.
func (m *sessions) decode(v string) (session, error) {
	payload, sig, ok := strings.Cut(v, ".")
	if !ok {
		return session{}, errBadSession
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, m.mac("session", payload)) {
		return session{}, errBadSession
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return session{}, errBadSession
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil || s.Nonce == "" {
		return session{}, errBadSession
	}
	if m.now().Unix() >= s.Expires {
		return session{}, errBadSession
	}
	return s, nil
}

// tenantStamp is the Stamp of a session of tenant id whose key is stored
// with hash keyHash.
func (m *sessions) tenantStamp(id notice.TenantID, keyHash string) string {
	return base64.RawURLEncoding.EncodeToString(m.mac("tenant-stamp", strconv.FormatInt(int64(id), 10)+"\x00"+keyHash))
}

// adminStamp is the Stamp of an admin session opened with adminKey.
func (m *sessions) adminStamp(adminKey string) string {
	return base64.RawURLEncoding.EncodeToString(m.mac("admin-stamp", adminKey))
}

// sameStamp compares a session's stamp with the expected one in constant
// time; an empty stamp never matches.
func sameStamp(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// csrfToken is the token every form of the session carries.
func (m *sessions) csrfToken(s session) string {
	return base64.RawURLEncoding.EncodeToString(m.mac("csrf", s.Nonce))
}

// checkCSRF compares a submitted token with the session's, in constant
// time.
func (m *sessions) checkCSRF(s session, token string) bool {
	want := m.csrfToken(s)
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(want)) == 1
}

// cookie builds the Set-Cookie for s on request r. Secure is set when the
// request came over TLS, through a proxy that says it did, or to a
// loopback host: browsers accept Secure cookies from http://127.0.0.1 and
// http://localhost (both are secure contexts), while a plain-HTTP server
// on another address would otherwise never see its own cookie.
func (m *sessions) cookie(r *http.Request, s session) *http.Cookie {
	return &http.Cookie{
		Name: CookieName, Value: m.encode(s), Path: "/",
		Expires: time.Unix(s.Expires, 0), MaxAge: int(time.Unix(s.Expires, 0).Sub(m.now()).Seconds()),
		HttpOnly: true, Secure: secureRequest(r), SameSite: http.SameSiteStrictMode,
	}
}

// secureRequest reports whether a Secure cookie will come back on the
// next request.
func secureRequest(r *http.Request) bool {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return true
	}
	return loopbackHost(r.Host)
}

// loopbackHost reports whether host (with or without a port) is localhost
// or a loopback IP.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameOrigin rejects cross-site form posts by their Fetch Metadata and
// Origin headers when the browser sends them (a second line behind the
// CSRF token): Sec-Fetch-Site must be same-origin (or none, for a typed
// URL), and Origin must name this host.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// localPath keeps a post-sign-in redirect on this site: an absolute path,
// not a scheme-relative "//host" or "/\host" one.
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return ""
	}
	if u, err := url.Parse(p); err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return p
}
