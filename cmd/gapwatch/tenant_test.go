package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTenantAndGapsCommands(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, err := run(t, dir, "crawl", "--demo"); err != nil {
		t.Fatalf("crawl: %v\n%s", err, errOut)
	}
	out, _, err := run(t, dir, "tenant", "create", "acme", "--email", "soc@acme.test", "--demo")
	key := strings.TrimSpace(out)
	if err != nil || !strings.HasPrefix(key, "gw_") || strings.Count(out, "\n") != 1 {
		t.Fatalf("create: %v %q", err, out)
	}
	if out, _, err := run(t, dir, "tenant", "list", "--demo"); err != nil || !strings.Contains(out, "acme") || strings.Contains(out, key) {
		t.Fatalf("list: %v %q", err, out)
	}
	csv := filepath.Join(dir, "gaps.csv")
	os.WriteFile(csv, []byte("source,product,start,end,note\nSigninLogs,,2024-09-03 00:00,2024-09-18 00:00,sign-ins missing\n"), 0o600)
	out, _, err = run(t, dir, "gaps", "import", "--tenant", "acme", csv, "--demo")
	if err != nil || !strings.Contains(out, "Microsoft Entra ID") {
		t.Fatalf("import: %v %q", err, out)
	}
	os.WriteFile(csv, []byte("source,product,start,end,note\nSigninLogs,,2024-09-18 00:00,2024-09-03 00:00,backwards\n"), 0o600)
	if _, _, err := run(t, dir, "gaps", "import", "--tenant", "acme", csv, "--demo"); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("bad import: %v", err)
	}
	newKey, _, err := run(t, dir, "tenant", "rotate-key", "acme", "--demo")
	if err != nil || strings.TrimSpace(newKey) == key {
		t.Fatalf("rotate: %v", err)
	}
	if _, _, err := run(t, dir, "tenant", "delete", "acme", "--demo"); err != nil {
		t.Fatal(err)
	}
	if out, _, _ := run(t, dir, "tenant", "list", "--demo"); strings.Contains(out, "acme") {
		t.Fatalf("deleted tenant listed: %q", out)
	}
}
