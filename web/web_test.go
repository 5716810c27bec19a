package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/notice"
)

const wantCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// upload posts a gap CSV file as the upload form does.
func (c *client) upload(t *testing.T, csvPath string) response {
	t.Helper()
	b, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	return c.uploadBytes(t, c.csrf(t, "/gaps"), filepath.Base(csvPath), b)
}

// uploadBytes posts data as the upload form's file, with the CSRF token
// tok (none when empty).
func (c *client) uploadBytes(t *testing.T, tok, name string, data []byte) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if tok != "" {
		mw.WriteField("csrf", tok)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.w.srv.URL+"/gaps", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(t, req)
}

// panicID is a notice whose loading panics in the worlds built with
// panicky, to reach the UI's recovery.
const panicID = 424242

// panicky makes the store panic when notice panicID is loaded.
func panicky(s api.Store) api.Store { return panicStore{s} }

// panicStore is an api.Store that panics on notice panicID.
type panicStore struct{ api.Store }

func (p panicStore) Notice(ctx context.Context, id notice.ID) (notice.Notice, error) {
	if id == panicID {
		panic("test: store exploded")
	}
	return p.Store.Notice(ctx, id)
}

var gapLinkRe = regexp.MustCompile(`href="/gaps/(\d+)">SigninLogs<`)

// TestEveryPageIsLockedDown fetches every kind of page, error pages
// included, and checks the security headers and that the HTML has no
// inline script, event handler attribute or inline style, which the CSP
// would block anyway.
func TestEveryPageIsLockedDown(t *testing.T) {
	w := newWorldWith(t, worldConfig{store: panicky})
	anon, tenant, admin := w.client(), w.client(), w.client()
	tenant.signIn(t, w.keyA)
	admin.signIn(t, adminKey)
	if p := tenant.upload(t, "testdata/gaps.csv"); p.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", p.status, p.body)
	}
	m := gapLinkRe.FindStringSubmatch(tenant.get(t, "/gaps").body)
	if m == nil {
		t.Fatal("no SigninLogs gap listed")
	}
	xss := strconv.FormatInt(int64(w.ids["xss"]), 10)
	tenantTok := tenant.csrf(t, "/gaps")
	type check struct {
		name   string
		do     func(t *testing.T) response
		status int
	}
	checks := []check{
		{"CSRF refusal", func(t *testing.T) response { return anon.post(t, "/signin", url.Values{"key": {w.keyA}}) }, 403},
		{"wrong method", func(t *testing.T) response {
			req, _ := http.NewRequest("PUT", w.srv.URL+"/", strings.NewReader("x"))
			return anon.do(t, req)
		}, 405},
		{"upload over the limit", func(t *testing.T) response {
			return tenant.uploadBytes(t, tenantTok, "big.csv", bytes.Repeat([]byte("x"), 11<<20))
		}, 413},
		{"panic", func(t *testing.T) response { return anon.get(t, "/notices/"+strconv.Itoa(panicID)) }, 500},
	}
	pages := []struct {
		name   string
		c      *client
		path   string
		status int
	}{
		{"search", anon, "/", 200},
		{"search with text", anon, "/?q=journaux+de+s%C3%A9curit%C3%A9&vendor=Microsoft", 200},
		{"search with bad parameter", anon, "/?category=nonsense", 400},
		{"notice", anon, "/notices/" + xss, 200},
		{"notice with links", tenant, "/notices/" + strconv.FormatInt(int64(w.ids["ms-logs-fr"]), 10), 200},
		{"missing notice", anon, "/notices/999999", 404},
		{"sign-in", anon, "/signin", 200},
		{"gaps", tenant, "/gaps", 200},
		{"gap", tenant, "/gaps/" + m[1], 200},
		{"sources", admin, "/sources", 200},
		{"unknown page", anon, "/nowhere", 404},
		{"page past the last", anon, "/?page=50", 404},
		{"gaps with a bad range", tenant, "/gaps?from=2024-02-01&to=2024-01-01", 400},
	}
	for _, pc := range pages {
		checks = append(checks, check{pc.name, func(t *testing.T) response { return pc.c.get(t, pc.path) }, pc.status})
	}
	for _, pc := range checks {
		t.Run(pc.name, func(t *testing.T) {
			p := pc.do(t)
			if p.status != pc.status {
				t.Fatalf("status %d, want %d\n%s", p.status, pc.status, p.body)
			}
			checkLockedDown(t, p)
		})
	}
}

// checkLockedDown checks a UI answer's security headers and its HTML.
func checkLockedDown(t *testing.T, p response) {
	t.Helper()
	for k, v := range map[string]string{"Content-Security-Policy": wantCSP, "X-Content-Type-Options": "nosniff",
		"Referrer-Policy": "same-origin", "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
		"X-Frame-Options": "DENY"} {
		if got := p.header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	checkNoInlineCode(t, p.body)
}

// checkNoInlineCode parses a page and fails on any <script> without src,
// <style> element, style= attribute or on*= event handler.
func checkNoInlineCode(t *testing.T, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	scripts := 0
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if n.Data == "style" {
			t.Errorf("inline <style> element")
		}
		hasSrc := false
		for _, a := range n.Attr {
			if a.Key == "src" {
				hasSrc = true
			}
			if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s %s=%q>: inline code", n.Data, a.Key, a.Val)
			}
		}
		if n.Data == "script" {
			scripts++
			if !hasSrc || n.FirstChild != nil {
				t.Errorf("inline <script>")
			}
		}
	}
	if scripts != 1 {
		t.Errorf("%d script elements, want the one external script", scripts)
	}
}

// TestScriptTitleIsText: a notice whose title, text, product and evidence
// carry markup shows it as text, on the notice page and in results, and
// its javascript: link is neutralised.
func TestScriptTitleIsText(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	p := c.get(t, "/notices/"+strconv.FormatInt(int64(w.ids["xss"]), 10))
	for _, bad := range []string{"<script>alert", "<img src=x", "<b>Contoso", "<i>storage", `href="javascript`, `href="#ZgotmplZ"`} {
		if strings.Contains(p.body, bad) {
			t.Errorf("notice page contains raw %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt; outage", "&lt;img src=x onerror=alert(2)&gt;", "&lt;b&gt;Contoso&lt;/b&gt; Storage"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("notice page lacks escaped %q", want)
		}
	}
	if !strings.Contains(p.body, `<span class="url" id="source-text" title="Not a web address: shown as text">javascript:alert(3)</span>`) ||
		strings.Contains(p.body, `id="source-link"`) {
		t.Error("a javascript: source address is not shown as plain text")
	}
	fr := c.get(t, "/notices/"+strconv.FormatInt(int64(w.ids["ms-logs-fr"]), 10))
	if !strings.Contains(fr.body, `<a href="https://news.example.test/fr/ms-logs" rel="noopener noreferrer nofollow" id="source-link">`) {
		t.Error("an https source address is not a link")
	}
	s := c.get(t, "/?q=outage")
	if strings.Contains(s.body, "<script>alert") || !strings.Contains(s.body, "&lt;script&gt;") {
		t.Errorf("search results do not escape the title")
	}
}

// TestCSRF: every form post needs the session's token and a same-origin
// request.
func TestCSRF(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	tok := c.csrf(t, "/signin")
	other := w.client()
	otherTok := other.csrf(t, "/signin")
	cases := []struct {
		name   string
		form   url.Values
		header map[string]string
		want   int
	}{
		{"no token", url.Values{"key": {w.keyA}}, nil, 403},
		{"wrong token", url.Values{"key": {w.keyA}, "csrf": {"x" + tok}}, nil, 403},
		{"another session's token", url.Values{"key": {w.keyA}, "csrf": {otherTok}}, nil, 403},
		{"cross-site fetch", url.Values{"key": {w.keyA}, "csrf": {tok}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"foreign origin", url.Values{"key": {w.keyA}, "csrf": {tok}}, map[string]string{"Origin": "http://evil.example.test"}, 403},
		{"valid", url.Values{"key": {w.keyA}, "csrf": {tok}}, map[string]string{"Origin": w.srv.URL, "Sec-Fetch-Site": "same-origin"}, 303},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", w.srv.URL+"/signin", strings.NewReader(tc.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			p := c.do(t, req)
			if p.status != tc.want {
				t.Fatalf("status %d, want %d", p.status, tc.want)
			}
			if tc.want == 403 && !strings.Contains(p.body, "<h1>") {
				t.Fatalf("refusal is not a readable page: %s", p.body)
			}
		})
	}
	// Signed in, the other forms need the token too.
	for _, path := range []string{"/signout", "/gaps"} {
		if p := c.post(t, path, url.Values{"rows": {"source,start,end\nX,2024-01-01T00:00:00Z,2024-01-01T01:00:00Z"}}); p.status != 403 {
			t.Errorf("POST %s without token: %d", path, p.status)
		}
	}
	if p := c.get(t, "/gaps"); p.status != 200 || !strings.Contains(p.body, "acme") {
		t.Errorf("the refused sign-out signed out: %d", p.status)
	}
}

// TestTenantIsolation: a tenant sees its own gaps and links only; another
// tenant's gap is a 404 like a missing one.
func TestTenantIsolation(t *testing.T) {
	w := newWorld(t)
	a, b := w.client(), w.client()
	a.signIn(t, w.keyA)
	b.signIn(t, w.keyB)
	if p := a.upload(t, "testdata/gaps.csv"); p.status != http.StatusSeeOther || p.header.Get("Location") != "/gaps?imported=2" {
		t.Fatalf("upload: %d %q %s", p.status, p.header.Get("Location"), p.body)
	}
	pa := a.get(t, "/gaps")
	m := gapLinkRe.FindStringSubmatch(pa.body)
	if m == nil || strings.Contains(pa.body, "CloudTrail") {
		t.Fatalf("tenant A's gaps page: %s", pa.body)
	}
	zoom := regexp.MustCompile(`href="(/gaps\?from=2024-11-01[^"]*)">Nov 2024<`).FindStringSubmatch(pa.body)
	if zoom == nil || !strings.Contains(pa.body, ">Sep 2024<") {
		t.Fatal("no zoom link per month with gaps")
	}
	if z := a.get(t, html.UnescapeString(zoom[1])); gapLinkRe.MatchString(z.body) || !strings.Contains(z.body, ">PayrollApp<") {
		t.Fatal("zooming on November shows other months' gaps or not November's")
	}
	gapPath := "/gaps/" + m[1]
	pg := a.get(t, gapPath)
	if pg.status != 200 || !strings.Contains(pg.body, "Microsoft a perdu des journaux") || !strings.Contains(pg.body, "✓ explained") {
		t.Fatalf("tenant A's gap page: %d %s", pg.status, pg.body)
	}
	if !strings.Contains(pa.body, ">PayrollApp<") {
		t.Fatal("tenant A's gaps page lacks its PayrollApp gap")
	}
	pb := b.get(t, "/gaps")
	if gapLinkRe.MatchString(pb.body) || strings.Contains(pb.body, ">SigninLogs<") || strings.Contains(pb.body, ">PayrollApp<") ||
		!strings.Contains(pb.body, ">CloudTrail<") {
		t.Fatalf("tenant B's gaps page shows A's gap or lacks its own")
	}
	if p := b.get(t, gapPath); p.status != 404 {
		t.Fatalf("tenant B on A's gap: %d", p.status)
	}
	if p := b.get(t, "/gaps/99999"); p.status != 404 {
		t.Fatalf("missing gap: %d", p.status)
	}
	fr := "/notices/" + strconv.FormatInt(int64(w.ids["ms-logs-fr"]), 10)
	const frTitle = "Microsoft a perdu des journaux de sécurité de ses clients"
	if p := b.get(t, fr); p.status != 200 || !strings.Contains(p.body, `<h1 id="notice-title">`+frTitle+`</h1>`) ||
		strings.Contains(p.body, "Your gaps this notice explains") || strings.Contains(p.body, `href="/gaps/`) {
		t.Fatalf("tenant B on the notice: %d, or it shows A's links or gaps", p.status)
	}
	if p := a.get(t, fr); p.status != 200 || !strings.Contains(p.body, "Your gaps this notice explains") || !strings.Contains(p.body, `href="`+gapPath+`"`) {
		t.Fatalf("tenant A does not see its links on the notice: %d", p.status)
	}
	anon := w.client()
	if p := anon.get(t, gapPath); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/signin?next=") {
		t.Fatalf("anonymous gap page: %d %q", p.status, p.header.Get("Location"))
	}
}

// TestUploadRejectsBadRows lists every bad row, as the API does, and
// stores nothing.
func TestUploadRejectsBadRows(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	c.signIn(t, w.keyA)
	p := c.upload(t, "testdata/bad-gaps.csv")
	if p.status != 400 {
		t.Fatalf("status %d", p.status)
	}
	for _, want := range []string{"Nothing was imported", "Line 2", "Line 3", "Line 4", "<code>start</code>"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("upload errors lack %q", want)
		}
	}
	gs, err := w.st.ListGaps(t.Context(), 1, notice.GapFilter{})
	if err != nil || len(gs) != 0 {
		t.Fatalf("rejected upload stored %d gaps (%v)", len(gs), err)
	}
	if p := c.post(t, "/gaps", url.Values{"csrf": {c.csrf(t, "/gaps")}}); p.status != 400 || !strings.Contains(p.body, "Choose a CSV file") {
		t.Fatalf("empty upload: %d", p.status)
	}
	big := url.Values{"csrf": {c.csrf(t, "/gaps")}, "rows": {strings.Repeat("x", 11<<20)}}
	if p := c.post(t, "/gaps", big); p.status != http.StatusRequestEntityTooLarge || !strings.Contains(p.body, "Upload too large") {
		t.Fatalf("oversize upload: %d", p.status)
	}
}

// TestAPIKeepsItsErrors: unknown API paths still answer problem+json, with
// no UI session or headers, next to the UI's HTML 404.
func TestAPIKeepsItsErrors(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	p := c.get(t, "/api/v1/nothing")
	if p.status != 404 || p.header.Get("Content-Type") != "application/problem+json" || p.header.Get("Set-Cookie") != "" ||
		!strings.Contains(p.body, `"title":"Not found"`) {
		t.Fatalf("API 404: %d %q %q", p.status, p.header.Get("Content-Type"), p.body)
	}
	if p := c.get(t, "/api/v1/notices?category=nonsense"); p.status != 400 || !strings.Contains(p.body, `"param":"category"`) {
		t.Fatalf("API search still answers: %d %s", p.status, p.body)
	}
	req, _ := http.NewRequest("PUT", w.srv.URL+"/api/v1/notices", nil)
	if p := c.do(t, req); p.status != 405 || p.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(p.body, `"title":"Method not allowed"`) {
		t.Fatalf("API 405: %d %q %s", p.status, p.header.Get("Content-Type"), p.body)
	}
	for _, path := range []string{"/", "/gaps", "/healthz"} {
		req, _ := http.NewRequest("DELETE", w.srv.URL+path, nil)
		p := c.do(t, req)
		if p.status != 405 || !strings.Contains(p.header.Get("Allow"), "GET") || !strings.Contains(p.body, "<h1>Method not allowed</h1>") {
			t.Errorf("DELETE %s: %d Allow %q, want the HTML 405 page", path, p.status, p.header.Get("Allow"))
		}
		checkLockedDown(t, p)
	}
}

// TestNoticeVersionsSayWhatChanged: a revised notice lists both versions,
// newest first, with the status, window and text changes.
func TestNoticeVersionsSayWhatChanged(t *testing.T) {
	w := newWorld(t)
	p := w.client().get(t, "/notices/"+strconv.FormatInt(int64(w.ids["gh-actions"]), 10))
	body := html.UnescapeString(p.body)
	for _, want := range []string{
		"Version 2", "Version 1", "First seen.",
		"Status changed from “investigating” to “resolved”.",
		"Affected windows changed from 2025-03-10 07:41 UTC → ongoing (minute precision) to 2025-03-10 07:41 UTC → 2025-03-10 09:02 UTC (minute precision).",
		"Text revised (",
		"named by the source's structured fields",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("notice page lacks %q", want)
		}
	}
	if strings.Index(body, "Version 2") > strings.Index(body, "Version 1") {
		t.Error("versions are not newest first")
	}
	if n := strings.Count(p.body, `class="bar win win-minute"`); n != 1 {
		t.Errorf("%d window bars, want the current closed one", n)
	}
}

// TestDeleteGap: a tenant deletes its own gap (with a form token), never
// another tenant's.
func TestDeleteGap(t *testing.T) {
	w := newWorld(t)
	a, b := w.client(), w.client()
	a.signIn(t, w.keyA)
	b.signIn(t, w.keyB)
	if p := a.upload(t, "testdata/gaps.csv"); p.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", p.status, p.body)
	}
	m := gapLinkRe.FindStringSubmatch(a.get(t, "/gaps").body)
	if m == nil {
		t.Fatal("no gap listed")
	}
	gapPath := "/gaps/" + m[1]
	if p := b.post(t, gapPath+"/delete", url.Values{"csrf": {b.csrf(t, "/gaps")}}); p.status != http.StatusNotFound {
		t.Fatalf("tenant B deleting A's gap: %d", p.status)
	}
	if p := a.post(t, gapPath+"/delete", url.Values{}); p.status != http.StatusForbidden {
		t.Fatalf("delete without a form token: %d", p.status)
	}
	if p := a.get(t, gapPath); p.status != 200 || !strings.Contains(p.body, `action="`+gapPath+`/delete"`) {
		t.Fatalf("the gap is gone after refused deletes, or its page has no delete form: %d", p.status)
	}
	p := a.post(t, gapPath+"/delete", url.Values{"csrf": {a.csrf(t, gapPath)}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/gaps?deleted="+m[1] {
		t.Fatalf("delete: %d %q", p.status, p.header.Get("Location"))
	}
	if p := a.get(t, gapPath); p.status != 404 {
		t.Fatalf("deleted gap's page: %d", p.status)
	}
	if p := a.get(t, "/gaps?deleted="+m[1]); !strings.Contains(p.body, "Gap #"+m[1]+" was deleted.") || strings.Contains(p.body, `href="`+gapPath+`"`) {
		t.Fatal("the gaps page does not confirm the deletion, or still lists the gap")
	}
	fr := "/notices/" + strconv.FormatInt(int64(w.ids["ms-logs-fr"]), 10)
	if p := a.get(t, fr); strings.Contains(p.body, `href="`+gapPath+`"`) {
		t.Fatal("the notice still links the deleted gap")
	}
	if p := a.post(t, "/gaps/abc/delete", url.Values{"csrf": {a.csrf(t, "/gaps")}}); p.status != http.StatusNotFound {
		t.Fatalf("malformed gap address: %d", p.status)
	}
}
