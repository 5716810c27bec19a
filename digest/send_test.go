package digest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOutboxWritesEML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	m := Message{From: "gapwatch@example.test", To: []string{"soc@acme.test"}, Subject: "gapwatch: all quiet this week",
		HTML: "<p>quiet</p>", Text: "quiet", Unsubscribe: "http://127.0.0.1:8080/unsubscribe?token=x", ID: "digest-1-2@gapwatch"}
	if err := (Outbox{Dir: dir}).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "digest-1-2_gapwatch.eml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Content-Type: multipart/alternative", "Content-Type: text/plain", "Content-Type: text/html",
		"List-Unsubscribe: <http://127.0.0.1:8080/unsubscribe?token=x>", "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
		"Message-ID: <digest-1-2@gapwatch>"} {
		if !strings.Contains(string(b), want) {
			t.Errorf(".eml lacks %q:\n%s", want, b)
		}
	}
	if strings.Index(string(b), "text/plain") > strings.Index(string(b), "text/html") {
		t.Error("the HTML part must come last (preferred alternative)")
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "digest.key")
	k1, err := LoadOrCreateKey("", path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKey("", path)
	if err != nil || string(k1) != string(k2) || len(k1) != 32 {
		t.Fatalf("key not kept across loads: %v", err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", st.Mode().Perm())
	}
	k3, _ := LoadOrCreateKey("from-the-environment-secret", path)
	if string(k3) != "from-the-environment-secret" {
		t.Error("the configured secret does not win")
	}
}
