package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

// authServer is an API over an empty store with one tenant, served
// in-process so that tests choose each request's client address.
func authServer(t *testing.T) (*gin.Engine, string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, key, err := st.CreateTenant(ctx, notice.Tenant{Name: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	return api.New(api.Deps{Store: st, Tenants: st, Access: api.Access{AdminKey: adminKey, Rate: 1e6, Burst: 1e6}}), key
}

// serveFrom sends a request with a bearer key from a client address.
func serveFrom(h http.Handler, method, path, key, addr string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	req.RemoteAddr = addr
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// TestWrongKeysLimitedPerNetwork checks that wrong tenant and admin keys
// spend a per-network budget (then 429 with Retry-After, before the key
// is looked up), and that other networks are not affected.
func TestWrongKeysLimitedPerNetwork(t *testing.T) {
	for _, tc := range []struct{ name, method, path string }{
		{"tenant route", "GET", "/api/v1/gaps"},
		{"public route", "GET", "/api/v1/notices/999"},
		{"admin route", "GET", "/api/v1/tenants"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, key := authServer(t)
			const attacker = "192.0.2.7:4000"
			n401 := 0
			var w *httptest.ResponseRecorder
			for i := range 50 {
				w = serveFrom(h, tc.method, tc.path, "wrong-"+strconv.Itoa(i), attacker)
				if w.Code == http.StatusUnauthorized {
					n401++
				}
			}
			if n401 != 10 {
				t.Errorf("%d wrong keys answered 401 from one address, want 10 before 429", n401)
			}
			if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" ||
				w.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("after the budget: %d %v, want 429 problem with Retry-After", w.Code, w.Header())
			}
			good := key
			if tc.name == "admin route" {
				good = adminKey
			}
			// Authenticated: a list, or no such notice.
			if w := serveFrom(h, tc.method, tc.path, good, "198.51.100.1:4000"); w.Code != http.StatusOK && w.Code != http.StatusNotFound {
				t.Errorf("a valid key from another network: %d %s", w.Code, w.Body)
			}
			// A client sharing the guesser's address (a proxy, a NAT)
			// keeps working with its valid key.
			if w := serveFrom(h, tc.method, tc.path, good, "192.0.2.7:5000"); w.Code != http.StatusOK && w.Code != http.StatusNotFound {
				t.Errorf("a valid key from the guessing network: %d %s", w.Code, w.Body)
			}
		})
	}
}

// TestUnknownKeysRetainNoMemory is the review's reproduction: thousands of
// distinct large bearer strings, from as many addresses, must not each
// keep state (they kept 70 MiB).
func TestUnknownKeysRetainNoMemory(t *testing.T) {
	h, _ := authServer(t)
	pad := strings.Repeat("x", 16<<10)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	for i := range 4000 {
		addr := "10." + strconv.Itoa(i>>8) + "." + strconv.Itoa(i&255) + ".1:1"
		if w := serveFrom(h, "GET", "/api/v1/gaps", strconv.Itoa(i)+pad, addr); w.Code != http.StatusUnauthorized {
			t.Fatalf("code %d", w.Code)
		}
	}
	if grew := int64(heap()) - int64(before); grew > 16<<20 {
		t.Errorf("4000 unknown keys retained %d MiB", grew>>20)
	}
	runtime.KeepAlive(h)
}

// TestCreateTenantLimits checks that tenant creation refuses an oversized
// body (413) and names that could not be addressed later (400 naming
// name), and creates one within both.
func TestCreateTenantLimits(t *testing.T) {
	h, _ := authServer(t)
	post := func(body string) (*httptest.ResponseRecorder, api.Problem) {
		req := httptest.NewRequest("POST", "/api/v1/tenants", strings.NewReader(body))
		req.RemoteAddr = "192.0.2.9:1"
		req.Header.Set("Authorization", "Bearer "+adminKey)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		var p api.Problem
		json.Unmarshal(w.Body.Bytes(), &p)
		return w, p
	}
	for _, tc := range []struct {
		name, body string
		status     int
		param      string
	}{
		{"huge body", `{"name":"big","email":"` + strings.Repeat("a", 1<<20) + `"}`, http.StatusRequestEntityTooLarge, "body"},
		{"slash", `{"name":"a/b"}`, http.StatusBadRequest, "name"},
		{"space", `{"name":"Acme Corp"}`, http.StatusBadRequest, "name"},
		{"empty", `{"name":""}`, http.StatusBadRequest, "name"},
		{"dot dot", `{"name":".."}`, http.StatusBadRequest, "name"},
		{"too long", `{"name":"` + strings.Repeat("a", 65) + `"}`, http.StatusBadRequest, "name"},
		{"valid", `{"name":"Initech_2.eu-west"}`, http.StatusCreated, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, p := post(tc.body)
			if w.Code != tc.status || p.Param != tc.param {
				t.Fatalf("got %d %+v, want %d naming %q", w.Code, p, tc.status, tc.param)
			}
			if tc.status >= 400 && w.Header().Get("Content-Type") != "application/problem+json" {
				t.Fatalf("content type %q", w.Header().Get("Content-Type"))
			}
		})
	}
	// The created name is addressable by the admin routes.
	req := httptest.NewRequest("POST", "/api/v1/tenants/Initech_2.eu-west/rotate-key", nil)
	req.Header.Set("Authorization", "Bearer "+adminKey)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("rotate: %d %s", w.Code, w.Body)
	}
}
