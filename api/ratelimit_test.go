package api

import (
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
		if got := ClientKey(in); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// fixedClock is a settable clock for limiter tests.
type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time { return c.t }

func TestLimiterEvictsLeastRecentlyUsed(t *testing.T) {
	clk := &fixedClock{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewLimiter(clk.now, 0, 1, 3) // one try per key, never refilled; three keys
	for _, k := range []string{"a", "b", "c"} {
		if ok, _ := l.Allow(k); !ok {
			t.Fatalf("first try of %s refused", k)
		}
	}
	if ok, _ := l.Allow("a"); ok { // a is now the most recently used
		t.Fatal("a second try of a allowed")
	}
	if ok, _ := l.Allow("d"); !ok { // evicts b, the least recently used
		t.Fatal("first try of d refused")
	}
	if l.Len() != 3 {
		t.Fatalf("%d keys tracked, want 3", l.Len())
	}
	for _, tc := range []struct {
		key  string
		want bool
	}{{"a", false}, {"c", false}, {"d", false}, {"b", true}} {
		if ok, _ := l.Allow(tc.key); ok != tc.want {
			t.Errorf("%s allowed %v, want %v (only the evicted b starts afresh)", tc.key, ok, tc.want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "1", time.Millisecond: "1", time.Second: "1", 1500 * time.Millisecond: "2"} {
		if got := RetryAfter(d); got != want {
			t.Errorf("RetryAfter(%v) = %s, want %s", d, got, want)
		}
	}
}
