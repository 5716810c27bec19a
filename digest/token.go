package digest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// TokenLifetime is how long an unsubscribe link keeps working: long enough
// for an old digest found in an archive.
const TokenLifetime = 180 * 24 * time.Hour

// ErrBadToken is returned for a tampered, malformed or expired unsubscribe
// token.
var ErrBadToken = errors.New("digest: invalid or expired unsubscribe token")

// Signer makes and checks unsubscribe tokens: HMAC-SHA256 over the tenant
// id, the tenant's creation time and an expiry, so the link works without
// logging in, cannot be forged for another tenant, and dies with its
// tenant: tenant IDs can be reused after a delete, creation times are not.
type Signer struct {
	key []byte
}

// NewSigner returns a signer with key (at least 16 bytes).
func NewSigner(key []byte) (*Signer, error) {
	if len(key) < 16 {
		return nil, fmt.Errorf("digest: signing key too short (%d bytes, want at least 16)", len(key))
	}
	return &Signer{key: key}, nil
}

func (s *Signer) mac(payload string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("gapwatch-unsubscribe-v2\x00" + payload))
	return m.Sum(nil)
}

// TokenSubject is what a verified unsubscribe token names: a tenant ID
// and that tenant's creation time, in Unix milliseconds (the precision
// the store keeps).
type TokenSubject struct {
	Tenant    notice.TenantID
	CreatedMS int64
	// issuedMS is set for a first-version token (tenant ID and expiry
	// only), still in digests mailed before creation times were signed:
	// when it was issued, in Unix milliseconds.
	issuedMS int64
}

// Matches reports whether t is the tenant the token was made for, not a
// later tenant that reused its ID. A first-version token names no creation
// time; it matches a tenant that already existed when it was issued, as a
// tenant that reused the ID was created after its predecessor's deletion.
func (ts TokenSubject) Matches(t notice.Tenant) bool {
	if ts.issuedMS != 0 {
		return t.ID == ts.Tenant && t.Created.UnixMilli() <= ts.issuedMS
	}
	return t.ID == ts.Tenant && t.Created.UnixMilli() == ts.CreatedMS
}

// verifyV1 checks a first-version token (id.expiry.mac, signed under the
// first prefix): links in digests mailed before the upgrade keep working
// until they expire.
func (s *Signer) verifyV1(parts []string, now time.Time) (TokenSubject, error) {
	sig, err := base64.RawURLEncoding.Strict().DecodeString(parts[2])
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("gapwatch-unsubscribe\x00" + parts[0] + "." + parts[1]))
	if err != nil || !hmac.Equal(sig, m.Sum(nil)) {
		return TokenSubject{}, ErrBadToken
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || now.After(time.Unix(exp, 0)) {
		return TokenSubject{}, ErrBadToken
	}
	// First-version tokens were made to last TokenLifetime.
	issued := time.Unix(exp, 0).Add(-TokenLifetime)
	return TokenSubject{Tenant: notice.TenantID(id), issuedMS: max(issued.UnixMilli(), 1)}, nil
}

// Token returns a token for tenant t valid until expires.
func (s *Signer) Token(t notice.Tenant, expires time.Time) string {
	payload := strconv.FormatInt(int64(t.ID), 10) + "." + strconv.FormatInt(t.Created.UnixMilli(), 10) + "." +
		strconv.FormatInt(expires.Unix(), 10)
	return payload + "." + base64.RawURLEncoding.EncodeToString(s.mac(payload))
}

// Verify checks a token at now and returns what it names, or ErrBadToken.
func (s *Signer) Verify(token string, now time.Time) (TokenSubject, error) {
	parts := strings.Split(token, ".")
	if len(parts) == 3 {
		return s.verifyV1(parts, now)
	}
	if len(parts) != 4 {
		return TokenSubject{}, ErrBadToken
	}
	sig, err := base64.RawURLEncoding.Strict().DecodeString(parts[3])
	if err != nil || !hmac.Equal(sig, s.mac(strings.Join(parts[:3], "."))) {
		return TokenSubject{}, ErrBadToken
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	created, err2 := strconv.ParseInt(parts[1], 10, 64)
	exp, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || now.After(time.Unix(exp, 0)) {
		return TokenSubject{}, ErrBadToken
	}
	return TokenSubject{Tenant: notice.TenantID(id), CreatedMS: created}, nil
}

// LoadOrCreateKey returns the signing key: secret when set (from
// GAPWATCH_DIGEST_SECRET), else the random key kept in path, created on
// first use with owner-only permissions so links survive restarts.
func LoadOrCreateKey(secret, path string) ([]byte, error) {
	if secret != "" {
		return []byte(secret), nil
	}
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(key) < 16 {
			return nil, fmt.Errorf("digest: key file %s is damaged", path)
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("digest: read key: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("digest: new key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("digest: key dir: %w", err)
	}
	// O_EXCL: when two processes race to create it, one wins and the
	// other reads the winner's key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LoadOrCreateKey("", path)
	}
	if err != nil {
		return nil, fmt.Errorf("digest: write key: %w", err)
	}
	_, werr := f.WriteString(hex.EncodeToString(key) + "\n")
	if cerr := f.Close(); werr != nil || cerr != nil {
		return nil, fmt.Errorf("digest: write key: %w", errors.Join(werr, cerr))
	}
	return key, nil
}
