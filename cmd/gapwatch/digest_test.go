package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDigestCommands: preview shows the explained gap without recording
// anything, send writes one .eml to the outbox (no SMTP configured), and
// status reports the sent period.
func TestDigestCommands(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, err := run(t, dir, "crawl", "--demo"); err != nil {
		t.Fatalf("crawl: %v\n%s", err, errOut)
	}
	if _, _, err := run(t, dir, "tenant", "create", "acme", "--email", "soc@acme.test", "--timezone", "Europe/Paris", "--demo"); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "gaps.csv")
	os.WriteFile(csv, []byte("source,product,start,end,note\nSigninLogs,,2024-09-03 00:00,2024-09-18 00:00,sign-ins missing\n"), 0o600)
	if _, _, err := run(t, dir, "gaps", "import", "--tenant", "acme", csv, "--demo"); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := run(t, dir, "digest", "preview", "--tenant", "acme", "--demo")
	if err != nil || !strings.Contains(out, "notice explains your SigninLogs gap of") || !strings.Contains(errOut, "Subject: gapwatch: 1 of your log gaps now explained") {
		t.Fatalf("preview: %v\n%s\n%s", err, errOut, out)
	}
	if html, _, err := run(t, dir, "digest", "preview", "--tenant", "acme", "--html", "--demo"); err != nil || !strings.HasPrefix(html, "<!DOCTYPE html>") {
		t.Fatalf("preview --html: %v %.80q", err, html)
	}
	outbox := filepath.Join(dir, "demo", "outbox")
	if _, err := os.Stat(outbox); !os.IsNotExist(err) {
		t.Fatalf("preview touched the outbox: %v", err)
	}
	if out, errOut, err := run(t, dir, "digest", "send", "--tenant", "acme", "--demo"); err != nil || !strings.Contains(out, "sent") {
		t.Fatalf("send: %v %s %s", err, out, errOut)
	}
	emls, _ := filepath.Glob(filepath.Join(outbox, "*.eml"))
	if len(emls) != 1 {
		t.Fatalf("%d .eml files in the outbox, want 1", len(emls))
	}
	b, _ := os.ReadFile(emls[0])
	for _, want := range []string{"multipart/alternative", "List-Unsubscribe: <http://127.0.0.1:8080/unsubscribe?token=", "soc@acme.test"} {
		if !strings.Contains(string(b), want) {
			t.Errorf(".eml lacks %q", want)
		}
	}
	out, _, err = run(t, dir, "digest", "status", "--demo")
	if err != nil || !strings.Contains(out, "acme") || !strings.Contains(out, "sent") || !strings.Contains(out, "Monday 08:00 Europe/Paris") {
		t.Fatalf("status: %v\n%s", err, out)
	}
	// Nothing changed since: the preview says so.
	if _, errOut, _ := run(t, dir, "digest", "preview", "--tenant", "acme", "--demo"); !strings.Contains(errOut, "nothing changed") {
		t.Errorf("preview after send: %s", errOut)
	}
}
