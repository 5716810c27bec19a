package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/notice"
)

// signedOut reports whether a page says nobody is signed in.
func signedOut(p response) bool {
	return strings.Contains(p.body, `id="signin-link"`) && !strings.Contains(p.body, `id="who"`)
}

// TestSessionEndsWithItsCredential: a session holds only while the key it
// was opened with does.
func TestSessionEndsWithItsCredential(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()

	t.Run("tenant key rotated", func(t *testing.T) {
		c := w.client()
		c.signIn(t, w.keyA)
		if p := c.get(t, "/gaps"); p.status != 200 {
			t.Fatalf("before rotation: %d", p.status)
		}
		if _, err := w.st.RotateKey(ctx, "acme"); err != nil {
			t.Fatal(err)
		}
		if p := c.get(t, "/gaps"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/signin?") {
			t.Fatalf("after rotation: %d %q, want a redirect to sign in", p.status, p.header.Get("Location"))
		}
		if p := c.get(t, "/"); !signedOut(p) {
			t.Fatal("still shown as signed in after the key was rotated")
		}
	})

	t.Run("tenant deleted and its ID reused", func(t *testing.T) {
		old, key, err := w.st.CreateTenant(ctx, notice.Tenant{Name: "initech"})
		if err != nil {
			t.Fatal(err)
		}
		c := w.client()
		c.signIn(t, key)
		if p := c.get(t, "/gaps"); p.status != 200 || !strings.Contains(p.body, ">initech<") {
			t.Fatalf("before deletion: %d", p.status)
		}
		if err := w.st.DeleteTenant(ctx, "initech"); err != nil {
			t.Fatal(err)
		}
		reused, _, err := w.st.CreateTenant(ctx, notice.Tenant{Name: "hooli"})
		if err != nil {
			t.Fatal(err)
		}
		if reused.ID != old.ID {
			t.Fatalf("precondition: SQLite reuses the deleted tenant's ID %d, got %d", old.ID, reused.ID)
		}
		p := c.get(t, "/gaps")
		if p.status != http.StatusSeeOther || strings.Contains(p.body, "hooli") {
			t.Fatalf("the old cookie acts as the new tenant: %d", p.status)
		}
		if p := c.get(t, "/"); !signedOut(p) || strings.Contains(p.body, "hooli") {
			t.Fatal("the old cookie is shown signed in")
		}
	})

	t.Run("admin key changed", func(t *testing.T) {
		c := w.client()
		c.signIn(t, adminKey)
		same := w.serve(t, w.deps)
		if p := c.getFrom(t, same, "/sources"); p.status != 200 {
			t.Fatalf("another server with the same admin key: %d, want 200", p.status)
		}
		d := w.deps
		d.Access.AdminKey = "a-new-admin-key-0123456789abcdef"
		changed := w.serve(t, d)
		if p := c.getFrom(t, changed, "/sources"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/signin?") {
			t.Fatalf("after the admin key changed: %d %q, want a redirect to sign in", p.status, p.header.Get("Location"))
		}
	})
}

// TestPrivateSearch: with Access.PrivateSearch, search and notice pages
// send anonymous visitors to sign in and come back; tenants and the admin
// read them.
func TestPrivateSearch(t *testing.T) {
	w := newWorldWith(t, worldConfig{access: func(a *api.Access) { a.PrivateSearch = true }})
	ec2 := "/notices/" + strconv.FormatInt(int64(w.ids["aws-ec2"]), 10)
	anon := w.client()
	for _, path := range []string{"/", "/?q=logs&vendor=Microsoft", ec2} {
		p := anon.get(t, path)
		if want := "/signin?next=" + url.QueryEscape(path); p.status != http.StatusSeeOther || p.header.Get("Location") != want {
			t.Errorf("anonymous %s: %d %q, want a redirect to %q", path, p.status, p.header.Get("Location"), want)
		}
	}
	if p := anon.get(t, "/signin"); p.status != 200 {
		t.Fatalf("sign-in page: %d", p.status)
	}
	tok := anon.csrf(t, "/signin")
	p := anon.post(t, "/signin", url.Values{"csrf": {tok}, "key": {w.keyB}, "next": {ec2}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != ec2 {
		t.Fatalf("sign-in with next: %d %q", p.status, p.header.Get("Location"))
	}
	for _, key := range []string{w.keyA, adminKey} {
		c := w.client()
		c.signIn(t, key)
		if p := c.get(t, "/"); p.status != 200 || total(t, p) != "7" {
			t.Errorf("signed-in search: %d", p.status)
		}
		if p := c.get(t, ec2); p.status != 200 || !strings.Contains(p.body, "Increased error rates for Amazon EC2") {
			t.Errorf("signed-in notice: %d", p.status)
		}
	}
	if p := w.client().get(t, "/api/v1/notices"); p.status != 401 {
		t.Fatalf("the API's search is private too: %d", p.status)
	}
}

// TestSigninStaysOnSite: whatever next= a sign-in form carries, the
// visitor lands on a path of this site.
func TestSigninStaysOnSite(t *testing.T) {
	w := newWorld(t)
	cases := []struct{ next, want string }{
		{"//evil.test", "/gaps"},
		{"/\\evil.test", "/gaps"},
		{"https://evil.test", "/gaps"},
		{"https://evil.test/gaps", "/gaps"},
		{"javascript:alert(1)", "/gaps"},
		{"/gaps?from=2024-09-01", "/gaps?from=2024-09-01"},
	}
	for _, tc := range cases {
		t.Run(tc.next, func(t *testing.T) {
			c := w.client()
			tok := c.csrf(t, "/signin?next="+url.QueryEscape(tc.next))
			p := c.post(t, "/signin", url.Values{"csrf": {tok}, "key": {w.keyA}, "next": {tc.next}})
			if p.status != http.StatusSeeOther || p.header.Get("Location") != tc.want {
				t.Fatalf("next=%q: %d to %q, want %q", tc.next, p.status, p.header.Get("Location"), tc.want)
			}
		})
	}
}

// TestSigninKeepsTheAddress: a page that needs a tenant sends to sign in
// with its full address (query included); the sign-in page itself offers
// no sign-in link.
func TestSigninKeepsTheAddress(t *testing.T) {
	w := newWorld(t)
	c := w.client()
	path := "/gaps?from=2024-09-01&source=SigninLogs"
	p := c.get(t, path)
	if want := "/signin?next=" + url.QueryEscape(path); p.status != http.StatusSeeOther || p.header.Get("Location") != want {
		t.Fatalf("%d %q, want %q", p.status, p.header.Get("Location"), want)
	}
	if p := c.get(t, "/signin?next="+url.QueryEscape(path)); strings.Contains(p.body, `id="signin-link"`) ||
		!strings.Contains(p.body, `name="next" value="/gaps?from=2024-09-01&amp;source=SigninLogs"`) {
		t.Fatal("the sign-in page links to itself or lost next")
	}
	if p := c.get(t, "/"); !strings.Contains(p.body, `id="signin-link"`) {
		t.Fatal("other pages lack the sign-in link")
	}
}

// TestUploadChecksTenantFirstAndIsRateLimited: an anonymous upload is sent
// to sign in before its body is read (a body that cannot be parsed is not
// even looked at), and each tenant's uploads are limited at the API's
// per-key rate.
func TestUploadChecksTenantFirstAndIsRateLimited(t *testing.T) {
	w := newWorldWith(t, worldConfig{access: func(a *api.Access) { a.Rate, a.Burst = 0.001, 2 }})
	anon := w.client()
	req, _ := http.NewRequest("POST", w.srv.URL+"/gaps", strings.NewReader("not multipart at all"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=nowhere")
	if p := anon.do(t, req); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/signin?") {
		t.Fatalf("anonymous unreadable upload: %d %q, want a redirect to sign in (not 400)", p.status, p.header.Get("Location"))
	}
	a, b := w.client(), w.client()
	a.signIn(t, w.keyA)
	b.signIn(t, w.keyB)
	req, _ = http.NewRequest("POST", w.srv.URL+"/gaps", strings.NewReader("not multipart at all"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=nowhere")
	if p := b.do(t, req); p.status != http.StatusBadRequest || !strings.Contains(p.body, "Unreadable form") {
		t.Fatalf("signed-in unreadable upload: %d, want 400", p.status)
	}
	for i := range 2 {
		if p := a.upload(t, "testdata/gaps.csv"); p.status != http.StatusSeeOther {
			t.Fatalf("upload %d: %d", i+1, p.status)
		}
	}
	p := a.upload(t, "testdata/gaps.csv")
	if p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") == "" || !strings.Contains(p.body, "Too many uploads") {
		t.Fatalf("third quick upload: %d Retry-After %q", p.status, p.header.Get("Retry-After"))
	}
	checkLockedDown(t, p)
	if p := b.upload(t, "testdata/gaps.csv"); p.status != http.StatusSeeOther {
		t.Fatalf("another tenant's upload: %d, want its own budget", p.status)
	}
}
