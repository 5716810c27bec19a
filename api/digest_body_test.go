package api_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// TestSubscriptionBodyLimit sends a subscription body over the 64 KiB
// limit: it is refused with 413 naming the body, and one under the limit
// is still accepted.
func TestSubscriptionBodyLimit(t *testing.T) {
	e := newDigestEnv(t)
	big := `{"vendors":["` + strings.Repeat("v", 1<<20) + `"]}`
	code, got := e.do(t, http.MethodPut, "/api/v1/subscription", e.key, big)
	if code != http.StatusRequestEntityTooLarge || got["param"] != "body" {
		t.Fatalf("1 MiB body: %d %v, want 413 naming body", code, got)
	}
	if code, got := e.do(t, http.MethodPut, "/api/v1/subscription", e.key, `{"weekday":"tuesday"}`); code != http.StatusOK {
		t.Fatalf("small body: %d %v", code, got)
	}
}

// TestUnsubscribeGetConfirms opens an unsubscribe link with GET (as a
// mail scanner would): it shows a form that POSTs the same link, names no
// tenant and leaves the subscription on; the POST then turns it off.
func TestUnsubscribeGetConfirms(t *testing.T) {
	e := newDigestEnv(t)
	link := e.svc.UnsubscribeURL(e.ten)
	u, _ := url.Parse(link)
	path := "/unsubscribe?" + u.RawQuery
	res, err := http.Get(e.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	page := string(body)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !strings.Contains(page, `method="post"`) || !strings.Contains(page, html.EscapeString(path)) {
		t.Errorf("no form posting %s:\n%s", path, page)
	}
	if strings.Contains(page, e.ten.Name) {
		t.Errorf("confirmation page names the tenant:\n%s", page)
	}
	if sub, _ := e.st.Subscription(context.Background(), e.ten); !sub.Enabled {
		t.Fatal("GET unsubscribed the tenant")
	}
	code, got := e.do(t, http.MethodPost, path, "", "")
	if code != http.StatusOK || got["unsubscribed"] != true {
		t.Fatalf("POST: %d %v", code, got)
	}
	if sub, _ := e.st.Subscription(context.Background(), e.ten); sub.Enabled {
		t.Error("still subscribed after POST")
	}
}

// TestUnsubscribeReusedTenantID deletes a tenant and creates another that
// gets the same ID: the deleted tenant's link is refused and the new
// tenant stays subscribed.
func TestUnsubscribeReusedTenantID(t *testing.T) {
	e := newDigestEnv(t)
	ctx := context.Background()
	link := e.svc.UnsubscribeURL(e.ten)
	u, _ := url.Parse(link)
	if err := e.st.DeleteTenant(ctx, e.ten.Name); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	nt, _, err := e.st.CreateTenant(ctx, notice.Tenant{Name: "initech"})
	if err != nil {
		t.Fatal(err)
	}
	code, got := e.do(t, http.MethodPost, "/unsubscribe?"+u.RawQuery, "", "")
	if code != http.StatusBadRequest || got["param"] != "token" {
		t.Fatalf("old link: %d %v, want 400 naming token", code, got)
	}
	if sub, _ := e.st.Subscription(ctx, nt); !sub.Enabled {
		t.Error("a deleted tenant's link turned off the new tenant's digest")
	}
}
