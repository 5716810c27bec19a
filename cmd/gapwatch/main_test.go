package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// run executes the CLI in-process with a private data dir.
func run(t *testing.T, dataDir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	env := []string{"GAPWATCH_DATA_DIR=" + dataDir}
	cmd := newRootCmd(&out, &errb, env)
	cmd.SetArgs(args)
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

var summaryLine = regexp.MustCompile(`^sources: (\d+) ok, (\d+) not modified, (\d+) failed; notices: (\d+) new, (\d+) updated, (\d+) unchanged$`)

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestCrawlDemoTwice(t *testing.T) {
	dir := t.TempDir()
	out, errOut, err := run(t, dir, "crawl", "--demo")
	if err != nil {
		t.Fatalf("crawl: %v\n%s", err, errOut)
	}
	m := summaryLine.FindStringSubmatch(lastLine(out))
	if m == nil || m[3] != "0" || m[1] == "0" || m[4] == "0" {
		t.Fatalf("first crawl summary %q", lastLine(out))
	}
	if !strings.Contains(errOut, "[1/") {
		t.Fatalf("no progress lines on stderr: %q", errOut)
	}
	out, _, err = run(t, dir, "crawl", "--demo")
	if err != nil {
		t.Fatal(err)
	}
	m2 := summaryLine.FindStringSubmatch(lastLine(out))
	if m2 == nil || m2[4] != "0" || m2[5] != "0" || m2[3] != "0" {
		t.Fatalf("second crawl should add nothing: %q", lastLine(out))
	}
	out, _, err = run(t, dir, "sources", "--demo")
	if err != nil || !strings.Contains(out, "demo-github") || !strings.Contains(out, "LAST SUCCESS") {
		t.Fatalf("sources: %v\n%s", err, out)
	}
}

// TestCrawlAllFailed points every source at a loopback port with the SSRF
// guard on: each is refused before any byte is sent, the run reports it and
// exits non-zero.
func TestCrawlAllFailed(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "gapwatch.yaml")
	os.WriteFile(cfg, []byte(`sources:
  - {name: a, kind: feed, url: "http://127.0.0.1:9/feed.xml"}
  - {name: b, kind: statuspage, url: "http://127.0.0.1:9/"}
`), 0o600)
	out, errOut, err := run(t, dir, "crawl", "--config", cfg)
	var ec exitCode
	if !errors.As(err, &ec) || ec != 1 {
		t.Fatalf("err = %v, want exit code 1", err)
	}
	if got := lastLine(out); got != "sources: 0 ok, 0 not modified, 2 failed; notices: 0 new, 0 updated, 0 unchanged" {
		t.Fatalf("summary %q", got)
	}
	if !strings.Contains(errOut, "refused") {
		t.Fatalf("stderr should say the address was refused: %s", errOut)
	}
	out, _, err = run(t, dir, "sources", "--config", cfg)
	if err != nil || strings.Count(out, "refused") != 2 {
		t.Fatalf("sources should show both errors: %v\n%s", err, out)
	}
}

func TestBadConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bad.yaml")
	os.WriteFile(cfg, []byte("crawler: {workers: -2}\n"), 0o600)
	_, _, err := run(t, dir, "crawl", "--config", cfg)
	if err == nil || !strings.Contains(err.Error(), "bad.yaml") || !strings.Contains(err.Error(), "crawler.workers") {
		t.Fatalf("err = %v", err)
	}
}
