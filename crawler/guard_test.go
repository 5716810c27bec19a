package crawler

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// Classification only: none of these addresses is ever dialled.
func TestIsPublicAddr(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"10.0.0.1", false},
		{"10.255.255.255", false},
		{"172.16.0.1", false},
		{"172.31.255.254", false},
		{"172.32.0.1", true},
		{"172.15.255.255", true},
		{"192.168.1.1", false},
		{"169.254.169.254", false},
		{"127.0.0.1", false},
		{"127.1.2.3", false},
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"100.64.0.1", false},
		{"100.127.255.255", false},
		{"100.128.0.1", true},
		{"224.0.0.1", false},
		{"255.255.255.255", false},
		{"192.0.2.10", false},
		{"198.18.0.1", false},
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"::1", false},
		{"::", false},
		{"fc00::1", false},
		{"fd12::1", false},
		{"fe80::1", false},
		{"fe80::1%eth0", false},
		{"fec0::1", false},
		{"ff02::1", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.1.2.3", false},
		{"::ffff:169.254.169.254", false},
		{"::ffff:8.8.8.8", true},
		{"::127.0.0.1", false}, // IPv4-compatible (deprecated)
		{"::10.1.2.3", false},
		{"64:ff9b::7f00:1", false},           // NAT64 of 127.0.0.1
		{"64:ff9b::a9fe:a9fe", false},        // NAT64 of 169.254.169.254
		{"64:ff9b::808:808", true},           // NAT64 of 8.8.8.8
		{"64:ff9b:1::a00:1", false},          // local-use NAT64 prefix
		{"2002:7f00:1::1", false},            // 6to4 of 127.0.0.1
		{"2002:c0a8:101::1", false},          // 6to4 of 192.168.1.1
		{"2002:808:808::1", true},            // 6to4 of 8.8.8.8
		{"2001:0:808:808::80ff:fefe", false}, // Teredo, client 127.0.1.1
		{"2001:db8::1", false},
		{"3fff::1", false},
		{"2001:4860::8888", true},
		{"2001:4860:4860::8844", true},
		{"2606:4700::1111", true},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			a := netip.MustParseAddr(tt.addr)
			if got := IsPublicAddr(a); got != tt.want {
				t.Errorf("IsPublicAddr(%s) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
	if IsPublicAddr(netip.Addr{}) {
		t.Error("IsPublicAddr(zero Addr) = true, want false")
	}
}

func TestGuardDialControl(t *testing.T) {
	control := dialGuard(publicAddrPort)
	tests := []struct {
		name, network, address string
		refused                bool
	}{
		{"public v4", "tcp4", "8.8.8.8:443", false},
		{"public v6", "tcp6", "[2001:4860::8888]:443", false},
		{"loopback", "tcp4", "127.0.0.1:80", true},
		{"metadata", "tcp4", "169.254.169.254:80", true},
		{"mapped loopback", "tcp6", "[::ffff:127.0.0.1]:80", true},
		{"link-local zone", "tcp6", "[fe80::1%lo]:80", true},
		{"udp", "udp4", "8.8.8.8:53", true},
		{"unparsable", "tcp", "example:80", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := control(tt.network, tt.address, nil)
			if got := errors.Is(err, ErrRefusedAddress); got != tt.refused {
				t.Errorf("control(%s, %s) = %v, refused want %v", tt.network, tt.address, err, tt.refused)
			}
		})
	}
}

// fetchTestServer is an httptest server that counts accepted connections and
// handled requests, to prove that a refused dial sent nothing.
type fetchTestServer struct {
	*httptest.Server
	conns atomic.Int64
	hits  atomic.Int64
}

func newFetchTestServer(t *testing.T, h http.HandlerFunc) *fetchTestServer {
	t.Helper()
	s := &fetchTestServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func (s *fetchTestServer) port() string {
	return strconv.Itoa(s.Listener.Addr().(*net.TCPAddr).Port)
}

func fetchTestOK(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }

func TestGuardRefusesLoopbackSource(t *testing.T) {
	srv := newFetchTestServer(t, fetchTestOK)
	f := NewFetcher(FetchConfig{AllowPrivate: false, Timeout: 5 * time.Second})
	for _, u := range []string{
		srv.URL + "/feed",
		"http://localhost:" + srv.port() + "/feed", // resolved name, checked after DNS
		"http://[::ffff:127.0.0.1]:" + srv.port() + "/feed",
	} {
		t.Run(u, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), u, notice.Validators{})
			if !errors.Is(err, ErrRefusedAddress) {
				t.Fatalf("Fetch(%s) error = %v, want ErrRefusedAddress", u, err)
			}
		})
	}
	if n := srv.conns.Load(); n != 0 {
		t.Errorf("listener accepted %d connections, want 0", n)
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("handler called %d times, want 0", n)
	}
}

func TestGuardRefusesRedirectTarget(t *testing.T) {
	target := newFetchTestServer(t, fetchTestOK)
	for _, loc := range []string{
		target.URL + "/internal",
		"http://localhost:" + target.port() + "/internal",
	} {
		t.Run(loc, func(t *testing.T) {
			origin := newFetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, loc, http.StatusFound)
			})
			// Admit only the origin's port: the redirect target is refused like
			// a private address would be with AllowPrivate false.
			originPort := origin.Listener.Addr().(*net.TCPAddr).Port
			f := newFetcher(FetchConfig{Timeout: 5 * time.Second}, func(ap netip.AddrPort) bool {
				return int(ap.Port()) == originPort
			})
			_, err := f.Fetch(context.Background(), origin.URL+"/feed", notice.Validators{})
			if !errors.Is(err, ErrRefusedAddress) {
				t.Fatalf("error = %v, want ErrRefusedAddress", err)
			}
			if n := origin.hits.Load(); n != 1 {
				t.Errorf("origin handled %d requests, want 1", n)
			}
		})
	}
	if n := target.conns.Load(); n != 0 {
		t.Errorf("redirect target accepted %d connections, want 0", n)
	}
	if n := target.hits.Load(); n != 0 {
		t.Errorf("redirect target handled %d requests, want 0", n)
	}
}

func TestGuardHostLimiter(t *testing.T) {
	l := newHostLimiter(2)
	ctx := context.Background()
	r1, err1 := l.acquire(ctx, "a.example")
	r2, err2 := l.acquire(ctx, "a.example")
	if err1 != nil || err2 != nil {
		t.Fatalf("acquire: %v, %v", err1, err2)
	}

	t.Run("full host waits until ctx ends", func(t *testing.T) {
		wctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if _, err := l.acquire(wctx, "a.example"); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("third acquire error = %v, want DeadlineExceeded", err)
		}
	})
	t.Run("other host is independent", func(t *testing.T) {
		r, err := l.acquire(ctx, "b.example")
		if err != nil {
			t.Fatalf("acquire other host: %v", err)
		}
		r()
	})
	t.Run("release frees a slot", func(t *testing.T) {
		got := make(chan error, 1)
		go func() {
			r, err := l.acquire(ctx, "a.example")
			if err == nil {
				r()
			}
			got <- err
		}()
		r1()
		r1() // idempotent: must not free a second slot
		select {
		case err := <-got:
			if err != nil {
				t.Fatalf("acquire after release: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("acquire did not proceed after release")
		}
	})
	r2()
	if n := l.size(); n != 0 {
		t.Errorf("limiter keeps %d idle hosts, want 0", n)
	}
}

func TestFetchPerHostLimit(t *testing.T) {
	const perHost, workers = 2, 8
	var inFlight, peak atomic.Int64
	srv := newFetchTestServer(t, func(w http.ResponseWriter, _ *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(50 * time.Millisecond)
		_, _ = w.Write([]byte("ok"))
	})
	f := fetchTestFetcher(FetchConfig{PerHost: perHost})
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			if _, err := f.Fetch(context.Background(), srv.URL, notice.Validators{}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Fetch: %v", err)
	}
	if p := peak.Load(); p != perHost {
		t.Errorf("peak in-flight requests = %d, want %d", p, perHost)
	}
	if n := srv.hits.Load(); n != workers {
		t.Errorf("server handled %d requests, want %d", n, workers)
	}
}

func TestFetchContextCancel(t *testing.T) {
	release := make(chan struct{})
	srv := newFetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	f := fetchTestFetcher(FetchConfig{PerHost: 1})

	t.Run("in flight", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		if _, err := f.Fetch(ctx, srv.URL, notice.Validators{}); !errors.Is(err, context.Canceled) {
			t.Fatalf("error = %v, want context.Canceled", err)
		}
	})
	t.Run("waiting for host slot", func(t *testing.T) {
		blocked := make(chan error, 1)
		bctx, bcancel := context.WithCancel(context.Background())
		defer bcancel()
		go func() { _, err := f.Fetch(bctx, srv.URL, notice.Validators{}); blocked <- err }()
		for srv.hits.Load() < 2 { // the first request holds the only slot
			time.Sleep(5 * time.Millisecond)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, err := f.Fetch(ctx, srv.URL, notice.Validators{}); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("error = %v, want DeadlineExceeded", err)
		}
		if n := srv.hits.Load(); n != 2 {
			t.Errorf("server saw %d requests, want 2 (queued request must not be sent)", n)
		}
		bcancel()
		<-blocked
	})
}
