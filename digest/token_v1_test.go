package digest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// v1Token makes a token as digests mailed before creation times were
// signed carried it.
func v1Token(key []byte, id notice.TenantID, expires time.Time) string {
	payload := strconv.FormatInt(int64(id), 10) + "." + strconv.FormatInt(expires.Unix(), 10)
	m := hmac.New(sha256.New, key)
	m.Write([]byte("gapwatch-unsubscribe\x00" + payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func TestFirstVersionTokens(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	s, err := NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	issued := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	tok := v1Token(key, 7, issued.Add(TokenLifetime))
	now := issued.Add(30 * 24 * time.Hour)
	sub, err := s.Verify(tok, now)
	if err != nil {
		t.Fatalf("first-version token refused: %v", err)
	}
	owner := notice.Tenant{ID: 7, Created: issued.Add(-48 * time.Hour)}
	if !sub.Matches(owner) {
		t.Error("first-version token does not match the tenant it was mailed to")
	}
	if sub.Matches(notice.Tenant{ID: 7, Created: issued.Add(time.Hour)}) {
		t.Error("first-version token matches a tenant created after it was issued (a reused ID)")
	}
	if sub.Matches(notice.Tenant{ID: 8, Created: owner.Created}) {
		t.Error("first-version token matches another tenant ID")
	}
	if _, err := s.Verify(tok, issued.Add(TokenLifetime+time.Hour)); err == nil {
		t.Error("expired first-version token accepted")
	}
	if _, err := s.Verify(v1Token([]byte("another key, also 32 bytes long!"), 7, issued.Add(TokenLifetime)), now); err == nil {
		t.Error("first-version token signed with another key accepted")
	}
	if _, err := s.Verify("7."+strconv.FormatInt(issued.Add(TokenLifetime).Unix(), 10)+".AAAA", now); err == nil {
		t.Error("first-version token with a bad signature accepted")
	}
}
