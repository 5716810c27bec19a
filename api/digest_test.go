package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/digest"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

// catalogNames resolves names through the built-in catalog.
type catalogNames struct{ c *extract.Catalog }

func (n catalogNames) Product(s string) (string, bool) {
	p, ok := n.c.Lookup(s)
	return p.Name, ok
}

func (n catalogNames) Vendor(s string) (string, bool) { return n.c.CanonicalVendor(s) }

type digestEnv struct {
	srv *httptest.Server
	st  *store.Store
	svc *digest.Service
	key string
	ten notice.Tenant
}

func newDigestEnv(t *testing.T) *digestEnv {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "gapwatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ten, key, err := st.CreateTenant(ctx, notice.Tenant{Name: "acme", Email: "soc@acme.test", Timezone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := extract.DefaultCatalog()
	signer, _ := digest.NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	svc, err := digest.NewService(digest.Options{Store: st, Signer: signer, Resolver: catalogNames{cat},
		Sender: digest.Outbox{Dir: t.TempDir()}, From: "gapwatch@example.test", BaseURL: "http://127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Deps{Catalog: cat, Tenants: st, Digest: svc}))
	t.Cleanup(srv.Close)
	return &digestEnv{srv: srv, st: st, svc: svc, key: key, ten: ten}
}

func (e *digestEnv) do(t *testing.T, method, path, key, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	if res.StatusCode >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("%s %s: %d without problem+json", method, path, res.StatusCode)
	}
	return res.StatusCode, out
}

func TestSubscriptionAPI(t *testing.T) {
	e := newDigestEnv(t)
	code, got := e.do(t, "GET", "/api/v1/subscription", e.key, "")
	if code != 200 || got["weekday"] != "Monday" || got["hour"] != 8.0 || got["enabled"] != true {
		t.Fatalf("default subscription %d %v", code, got)
	}
	bad := []struct{ name, body, param string }{
		{"recipient", `{"recipients":["not-an-address"]}`, "recipients[0]"},
		{"zone", `{"timezone":"Mars/Olympus"}`, "timezone"},
		{"hour", `{"hour":24}`, "hour"},
		{"weekday", `{"weekday":"someday"}`, "weekday"},
		{"vendor", `{"vendors":["No Such Vendor Inc"]}`, "vendors[0]"},
		{"product", `{"products":["Flux Capacitor Cloud"]}`, "products[0]"},
		{"category", `{"categories":["gossip"]}`, "categories[0]"},
	}
	for _, b := range bad {
		t.Run("rejects bad "+b.name, func(t *testing.T) {
			code, got := e.do(t, "PUT", "/api/v1/subscription", e.key, b.body)
			if code != 400 || got["param"] != b.param {
				t.Errorf("%d %v, want 400 naming %s", code, got, b.param)
			}
		})
	}
	t.Run("aliases resolve to canonical names", func(t *testing.T) {
		code, got := e.do(t, "PUT", "/api/v1/subscription", e.key,
			`{"recipients":["lead@acme.test"],"vendors":["MSFT"],"products":["Azure Active Directory"],"weekday":"fri","hour":17,"timezone":"Asia/Tokyo"}`)
		if code != 200 {
			t.Fatalf("%d %v", code, got)
		}
		if got["weekday"] != "Friday" || got["hour"] != 17.0 || got["vendors"].([]any)[0] != "Microsoft" ||
			got["products"].([]any)[0] != "Microsoft Entra ID" {
			t.Errorf("stored %v", got)
		}
	})
	t.Run("needs a tenant key", func(t *testing.T) {
		if code, _ := e.do(t, "GET", "/api/v1/subscription", "", ""); code != 401 {
			t.Errorf("%d without a key", code)
		}
	})
}

func TestDigestPreviewAPI(t *testing.T) {
	e := newDigestEnv(t)
	code, got := e.do(t, "GET", "/api/v1/digest/preview", e.key, "")
	if code != 200 || got["empty"] != true || !strings.Contains(got["text"].(string), "All quiet") ||
		!strings.Contains(got["html"].(string), "<table") {
		t.Fatalf("preview %d %v", code, got)
	}
}

func TestUnsubscribeAPI(t *testing.T) {
	e := newDigestEnv(t)
	link := e.svc.UnsubscribeURL(e.ten)
	u, _ := url.Parse(link)
	tok := u.Query().Get("token")
	for _, c := range []struct{ name, token string }{
		{"tampered", strings.Replace(tok, "1.", "2.", 1)},
		{"missing", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, got := e.do(t, "GET", "/unsubscribe?token="+url.QueryEscape(c.token), "", "")
			if code != 400 || got["param"] != "token" {
				t.Errorf("%d %v, want 400 problem naming token", code, got)
			}
		})
	}
	sub, _ := e.st.Subscription(context.Background(), e.ten)
	if !sub.Enabled {
		t.Fatal("a rejected token unsubscribed the tenant")
	}
	code, got := e.do(t, "POST", "/unsubscribe?token="+url.QueryEscape(tok), "", "List-Unsubscribe=One-Click")
	if _, named := got["tenant"]; code != 200 || got["unsubscribed"] != true || named {
		t.Fatalf("one-click unsubscribe %d %v", code, got)
	}
	if sub, _ = e.st.Subscription(context.Background(), e.ten); sub.Enabled {
		t.Error("still subscribed after a valid link")
	}
}
