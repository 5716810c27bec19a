package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestDemoUI: the UI of `serve --demo` is populated: notices to search,
// and the demo tenant's key (as printed at start-up) signs in to gaps
// explained by demo notices.
func TestDemoUI(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, err := run(t, dir, "crawl", "--demo"); err != nil {
		t.Fatalf("crawl: %v\n%s", err, errOut)
	}
	ctx := context.Background()
	var out bytes.Buffer
	g := &globals{env: []string{"GAPWATCH_DATA_DIR=" + dir}, demo: true, stdout: &out, stderr: io.Discard}
	a, err := g.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	if err := a.openIndex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := a.setupDemo(ctx, g); err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`API key: (\S+)`).FindStringSubmatch(out.String())
	if key == nil {
		t.Fatalf("no demo key printed: %s", out.String())
	}
	h, err := a.handler(a.apiDeps(), g.env)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(path string) string {
		t.Helper()
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	home := get("/")
	m := regexp.MustCompile(`data-total="(\d+)"`).FindStringSubmatch(home)
	if m == nil {
		t.Fatal("no result count on the demo search page")
	}
	if n, _ := strconv.Atoi(m[1]); n < 20 || strings.Count(home, `class="hit"`) != 20 {
		t.Fatalf("demo search page is not populated: %v", m)
	}
	if n := get("/notices/1"); !strings.Contains(n, `class="tl"`) {
		t.Fatal("demo notice page has no timeline")
	}
	tok := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(get("/signin"))
	resp, err := c.PostForm(srv.URL+"/signin", url.Values{"csrf": {tok[1]}, "key": {key[1]}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	explained := regexp.MustCompile(`id="n-explained">(\d+)<`).FindStringSubmatch(string(b))
	if resp.Request.URL.Path != "/gaps" || explained == nil || explained[1] == "0" {
		t.Fatalf("demo tenant's gaps page (%s): explained %v", resp.Request.URL.Path, explained)
	}
	if !strings.Contains(string(b), "rect class=\"bar gap explained\"") || !strings.Contains(string(b), "rect class=\"bar vwin") {
		t.Fatal("demo gaps timeline lacks explained gaps or vendor windows")
	}
}
