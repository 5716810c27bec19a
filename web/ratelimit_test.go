package web

import (
	"strconv"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/api"
)

// fixedClock is a settable clock for limiter tests.
type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time { return c.t }

func TestSigninLimiterPerNetwork(t *testing.T) {
	clk := &fixedClock{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newSigninLimiter(clk.now)
	for i := range signinBurst {
		// Every try comes from another address of the same /64.
		if ok, _ := l.Allow(api.ClientKey("[2001:db8::" + strconv.Itoa(i+1) + "]:1")); !ok {
			t.Fatalf("try %d refused within the burst", i+1)
		}
	}
	ok, wait := l.Allow(api.ClientKey("[2001:db8::ffff]:1"))
	if ok || wait <= 0 || wait > signinEvery {
		t.Fatalf("a new address of the same /64 got a fresh budget: %v %v", ok, wait)
	}
	if ok, _ := l.Allow(api.ClientKey("[2001:db8:0:1::1]:1")); !ok {
		t.Fatal("another /64 is refused")
	}
	clk.t = clk.t.Add(signinEvery)
	if ok, _ := l.Allow(api.ClientKey("[2001:db8::1]:1")); !ok {
		t.Fatal("no try back after the refill interval")
	}
}

func TestSigninLimiterGlobalBackstop(t *testing.T) {
	clk := &fixedClock{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := newSigninLimiter(clk.now)
	allowed := 0
	for i := range 200 {
		if ok, _ := l.Allow("198.51.100." + strconv.Itoa(i%250)); ok {
			allowed++
		}
	}
	if allowed != signinGlobalBurst {
		t.Fatalf("%d tries from 200 addresses at once, want the global burst %d", allowed, signinGlobalBurst)
	}
	clk.t = clk.t.Add(time.Second)
	allowed = 0
	for i := range 20 {
		if ok, _ := l.Allow("203.0.113." + strconv.Itoa(i)); ok {
			allowed++
		}
	}
	if allowed != signinGlobalRate {
		t.Fatalf("%d tries a second later, want %d", allowed, signinGlobalRate)
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
				if ok, _ := l.Allow("1"); ok {
					n++
				}
			}
			if n != tc.want {
				t.Fatalf("%d uploads at once, want %d", n, tc.want)
			}
		})
	}
}
