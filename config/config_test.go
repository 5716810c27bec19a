package config

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "gapwatch.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadExample(t *testing.T) {
	p := write(t, `
data_dir: /var/lib/gapwatch
listen: 127.0.0.1:9090
crawler: {workers: 4, per_host: 1, timeout: 5s, max_body: 2MiB, allow_private: false}
sources:
  - {name: gcp, kind: gcp, url: https://status.cloud.google.com/incidents.json, vendor: Google Cloud, interval: 5m}
  - {name: lemagit, kind: feed, url: https://www.lemagit.fr/rss/x.xml, interval: 30m, language: fr, timezone: Europe/Paris, enabled: false}
`)
	c, err := Load(p, []string{"GAPWATCH_CRAWLER_WORKERS=8", "GAPWATCH_LISTEN=127.0.0.1:7000", "HOME=/root"})
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "/var/lib/gapwatch" || c.Listen != "127.0.0.1:7000" || c.Crawler.Workers != 8 ||
		c.Crawler.MaxBody != 2<<20 || c.Crawler.Timeout != 5*time.Second || c.Crawler.PerHost != 1 {
		t.Fatalf("config = %+v", c)
	}
	src := c.DomainSources()
	if len(src) != 2 || !src[0].Enabled || src[1].Enabled || src[1].Timezone != "Europe/Paris" {
		t.Fatalf("sources = %+v", src)
	}
}

func TestDefaults(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	c, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "./data" || c.Crawler.MaxBody != 10<<20 || c.Crawler.Workers != 16 {
		t.Fatalf("defaults = %+v", c)
	}
	var vendors, news, french int
	for _, s := range c.DomainSources() {
		if s.Vendor != "" {
			vendors++
		} else {
			news++
			if s.Language == "fr" {
				french++
			}
		}
	}
	if vendors < 15 || news < 6 || french < 2 {
		t.Fatalf("default sources: %d vendor, %d news, %d French", vendors, news, french)
	}
}

func TestInvalid(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"unknown key", "listen: x\nbogus: 1\n", "field bogus not found"},
		{"bad kind", "sources:\n - {name: a, kind: rss, url: https://a.test}\n", "sources[0].kind: unknown kind"},
		{"bad url", "sources:\n - {name: a, kind: feed, url: ftp://a.test}\n", "sources[0].url"},
		{"bad zone", "sources:\n - {name: a, kind: feed, url: https://a.test, timezone: Mars/Olympus}\n", "sources[0].timezone"},
		{"duplicate", "sources:\n - {name: a, kind: feed, url: https://a.test}\n - {name: a, kind: feed, url: https://b.test}\n", "sources[1].name: duplicate"},
		{"bad size", "crawler: {max_body: lots}\n", "line 1"},
		{"bad duration", "crawler: {timeout: soon}\n", "line 1: cannot unmarshal !!str `soon` into time.Duration"},
		{"negative workers", "crawler: {workers: -1}\n", "crawler.workers"},
		{"bad listen", "listen: nonsense\n", "listen: \"nonsense\" is not host:port"},
		{"short interval", "sources:\n - {name: a, kind: feed, url: https://a.test, interval: 1s}\n", "sources[0].interval"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, tc.body)
			_, err := Load(p, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("err = %v, want it to name %s and %q", err, p, tc.want)
			}
		})
	}
	if _, err := Load("/nonexistent/gapwatch.yaml", nil); err == nil {
		t.Fatal("missing explicit file: want error")
	}
	if _, err := Load("", []string{"GAPWATCH_CRAWLER_WORKERS=many"}); err == nil || !strings.Contains(err.Error(), "GAPWATCH_CRAWLER_WORKERS") {
		t.Fatalf("bad env: err = %v", err)
	}
}

func TestGCPercent(t *testing.T) {
	t.Chdir(t.TempDir())
	c, err := Load("", nil)
	if err != nil || c.GCPercent != DefaultGCPercent {
		t.Fatalf("default: %v, %v", c, err)
	}
	if c, err = Load("", []string{"GAPWATCH_GC_PERCENT=150"}); err != nil || c.GCPercent != 150 {
		t.Fatalf("from the environment: %v, %v", c, err)
	}
	if _, err := Load("", []string{"GAPWATCH_GC_PERCENT=-5"}); err == nil || !strings.Contains(err.Error(), "gc_percent") {
		t.Fatalf("negative: err %v", err)
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	c.GCPercent = 250
	c.ApplyGC([]string{"GOGC=50"})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC set: ApplyGC changed the target to %d", got)
	}
	c.ApplyGC(nil)
	if got := debug.SetGCPercent(100); got != 250 {
		t.Fatalf("ApplyGC: target %d, want 250", got)
	}
}
