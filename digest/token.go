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
// id and an expiry, so the link works without logging in and cannot be
// forged for another tenant.
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
	m.Write([]byte("gapwatch-unsubscribe\x00" + payload))
	return m.Sum(nil)
}

// Token returns a token for tenant valid until expires.
func (s *Signer) Token(tenant notice.TenantID, expires time.Time) string {
	payload := strconv.FormatInt(int64(tenant), 10) + "." + strconv.FormatInt(expires.Unix(), 10)
	return payload + "." + base64.RawURLEncoding.EncodeToString(s.mac(payload))
}

// Verify checks a token at now and returns its tenant, or ErrBadToken.
func (s *Signer) Verify(token string, now time.Time) (notice.TenantID, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return 0, ErrBadToken
	}
	sig, err := base64.RawURLEncoding.Strict().DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, s.mac(parts[0]+"."+parts[1])) {
		return 0, ErrBadToken
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || now.After(time.Unix(exp, 0)) {
		return 0, ErrBadToken
	}
	return notice.TenantID(id), nil
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
