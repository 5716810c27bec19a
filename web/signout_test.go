package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// A copy of a signed-in cookie stops working when its session signs out,
// for tenant and admin sessions alike; signing in again works.
func TestSignOutRevokesCopiedCookie(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct {
		name, key, page string
	}{
		{"tenant", w.keyA, "/gaps"},
		{"admin", adminKey, "/sources"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := w.client()
			c.signIn(t, tc.key)
			thief := w.client()
			u, err := url.Parse(w.srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			thief.c.Jar.SetCookies(u, c.c.Jar.Cookies(u))
			if p := thief.get(t, tc.page); p.status != http.StatusOK {
				t.Fatalf("copied cookie before sign-out: %d", p.status)
			}
			tok := c.csrf(t, tc.page)
			if p := c.post(t, "/signout", url.Values{"csrf": {tok}}); p.status != http.StatusSeeOther {
				t.Fatalf("sign-out: %d", p.status)
			}
			if p := thief.get(t, tc.page); p.status != http.StatusSeeOther {
				t.Fatalf("copied cookie after sign-out: %d, want a redirect to sign in", p.status)
			}
			c.signIn(t, tc.key)
			if p := c.get(t, tc.page); p.status != http.StatusOK {
				t.Fatalf("signing in again: %d", p.status)
			}
		})
	}
}
