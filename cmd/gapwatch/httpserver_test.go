package main

import (
	"net"
	"net/http"
	"strings"
	"testing"
)

// The server refuses header blocks past maxHeaderBytes with 431 and
// still serves ordinary requests.
func TestHTTPServerHeaderLimit(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	url := "http://" + ln.Addr().String() + "/"
	get := func(header string) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		if header != "" {
			req.Header.Set("Authorization", "Bearer "+header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get("k"); got != http.StatusNoContent {
		t.Fatalf("small header: status %d", got)
	}
	if got := get(strings.Repeat("k", 2*maxHeaderBytes)); got != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("header of %d bytes: status %d, want 431", 2*maxHeaderBytes, got)
	}
}
