package web

import (
	"strconv"
	"testing"
	"time"
)

func TestClientKey(t *testing.T) {
	cases := map[string]string{
		"192.0.2.7:5555":                "192.0.2.7",
		"192.0.2.7":                     "192.0.2.7",
		"[2001:db8:1:2:3:4:5:6]:443":    "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::1]:443":    "2001:db8:1:2::/64",
		"[2001:db8:1:3::1]:443":         "2001:db8:1:3::/64",
		"[::ffff:192.0.2.7]:80":         "192.0.2.7",
		"[fe80::1%eth0]:80":             "fe80::/64",
		"not-an-address":                "not-an-address",
		"[::1]:8080":                    "::/64",
		"2001:db8:aaaa:bbbb:cccc::dddd": "2001:db8:aaaa:bbbb::/64",
	}
	for in, want := range cases {
		if got := clientKey(in); got != want {
			t.Errorf("clientKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// fixedClock is a settable clock for limiter tests.
type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time { return c.t }

func TestSigninLimiterPerNetwork(t *testing.T) {
	clk := &fixedClock{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newSigninLimiter(clk.now)
	for i := range signinBurst {
		// Every try comes from another address of the same /64.
		if ok, _ := l.allow(clientKey("[2001:db8::" + strconv.Itoa(i+1) + "]:1")); !ok {
			t.Fatalf("try %d refused within the burst", i+1)
		}
	}
	ok, wait := l.allow(clientKey("[2001:db8::ffff]:1"))
	if ok || wait <= 0 || wait > signinEvery {
		t.Fatalf("a new address of the same /64 got a fresh budget: %v %v", ok, wait)
	}
	if ok, _ := l.allow(clientKey("[2001:db8:0:1::1]:1")); !ok {
		t.Fatal("another /64 is refused")
	}
	clk.t = clk.t.Add(signinEvery)
	if ok, _ := l.allow(clientKey("[2001:db8::1]:1")); !ok {
		t.Fatal("no try back after the refill interval")
	}
}

func TestSigninLimiterGlobalBackstop(t *testing.T) {
	clk := &fixedClock{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newSigninLimiter(clk.now)
	allowed := 0
	for i := range 200 {
		if ok, _ := l.allow("198.51.100." + strconv.Itoa(i%250)); ok {
			allowed++
		}
	}
	if allowed != signinGlobalBurst {
		t.Fatalf("%d tries from 200 addresses at once, want the global burst %d", allowed, signinGlobalBurst)
	}
	clk.t = clk.t.Add(time.Second)
	allowed = 0
	for i := range 20 {
		if ok, _ := l.allow("203.0.113." + strconv.Itoa(i)); ok {
			allowed++
		}
	}
	if allowed != signinGlobalRate {
		t.Fatalf("%d tries a second later, want %d", allowed, signinGlobalRate)
	}
}

func TestLimiterEvictsLeastRecentlyUsed(t *testing.T) {
	clk := &fixedClock{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newLimiter(clk.now, 0, 1) // one try per key, never refilled
	l.max = 3
	for _, k := range []string{"a", "b", "c"} {
		if ok, _ := l.allow(k); !ok {
			t.Fatalf("first try of %s refused", k)
		}
	}
	if ok, _ := l.allow("a"); ok { // a is now the most recently used
		t.Fatal("a second try of a allowed")
	}
	if ok, _ := l.allow("d"); !ok { // evicts b, the least recently used
		t.Fatal("first try of d refused")
	}
	if len(l.byKey) != 3 || l.lru.Len() != 3 {
		t.Fatalf("%d keys tracked, want 3", len(l.byKey))
	}
	for _, tc := range []struct {
		key  string
		want bool
	}{{"a", false}, {"c", false}, {"d", false}, {"b", true}} {
		if ok, _ := l.allow(tc.key); ok != tc.want {
			t.Errorf("%s allowed %v, want %v (only the evicted b starts afresh)", tc.key, ok, tc.want)
		}
	}
}

func TestUploadLimiterDefaults(t *testing.T) {
	clk := &fixedClock{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	for name, tc := range map[string]struct {
		rate  float64
		burst int
		want  int
	}{"API defaults": {0, 0, defaultUploadBurst}, "configured": {1, 3, 3}} {
		t.Run(name, func(t *testing.T) {
			l := newUploadLimiter(clk.now, tc.rate, tc.burst)
			n := 0
			for range 100 {
				if ok, _ := l.allow("1"); ok {
					n++
				}
			}
			if n != tc.want {
				t.Fatalf("%d uploads at once, want %d", n, tc.want)
			}
		})
	}
}
