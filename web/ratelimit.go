package web

import (
	"container/list"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Sign-in limits: each client network gets a burst of signinBurst tries,
// then one every signinEvery; all clients together get signinGlobalRate
// tries a second (burst signinGlobalBurst), so that an attacker holding
// many addresses still cannot guess keys quickly.
const (
	signinEvery       = 3 * time.Second
	signinBurst       = 10
	signinGlobalRate  = 5
	signinGlobalBurst = 50
)

// Upload limits when Access.Rate and Access.Burst are unset: the API's
// defaults for a key, so a tenant gets the same budget in the UI.
const (
	defaultUploadRate  = 20
	defaultUploadBurst = 40
)

// maxTracked bounds the keys a limiter remembers; past it the least
// recently seen key is forgotten.
const maxTracked = 10000

// limiter hands out one token bucket per key (a client network, a
// tenant), remembering at most max keys (least recently used evicted
// first), with an optional bucket shared by all keys.
type limiter struct {
	mu     sync.Mutex
	now    func() time.Time
	rate   rate.Limit
	burst  int
	max    int
	lru    *list.List // of *bucket, most recently used first
	byKey  map[string]*list.Element
	global *rate.Limiter // nil: no shared bucket
}

// bucket is one key's token bucket.
type bucket struct {
	key string
	lim *rate.Limiter
}

// newLimiter returns a limiter of r tokens a second per key, burst b.
func newLimiter(now func() time.Time, r rate.Limit, b int) *limiter {
	return &limiter{now: now, rate: r, burst: b, max: maxTracked, lru: list.New(), byKey: map[string]*list.Element{}}
}

// newSigninLimiter limits sign-in tries per client network and overall.
func newSigninLimiter(now func() time.Time) *limiter {
	l := newLimiter(now, rate.Every(signinEvery), signinBurst)
	l.global = rate.NewLimiter(signinGlobalRate, signinGlobalBurst)
	return l
}

// newUploadLimiter limits gap uploads per tenant at the API's per-key
// rate (r per second, burst b), or its defaults when they are unset.
func newUploadLimiter(now func() time.Time, r float64, b int) *limiter {
	if r <= 0 {
		r = defaultUploadRate
	}
	if b <= 0 {
		b = defaultUploadBurst
	}
	return newLimiter(now, rate.Limit(r), b)
}

// allow takes one token for key (and one from the shared bucket), or says
// how long to wait for one.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if ok, wait := take(l.bucketOf(key), now); !ok {
		return false, wait
	}
	if l.global != nil {
		return take(l.global, now)
	}
	return true, 0
}

// take reserves one token of lim at now, or cancels and returns the wait.
func take(lim *rate.Limiter, now time.Time) (bool, time.Duration) {
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// bucketOf returns key's bucket, creating it (and evicting the least
// recently used ones past max) when new. l.mu must be held.
func (l *limiter) bucketOf(key string) *rate.Limiter {
	if e, ok := l.byKey[key]; ok {
		l.lru.MoveToFront(e)
		return e.Value.(*bucket).lim
	}
	for l.lru.Len() >= l.max {
		old := l.lru.Back()
		l.lru.Remove(old)
		delete(l.byKey, old.Value.(*bucket).key)
	}
	b := &bucket{key: key, lim: rate.NewLimiter(l.rate, l.burst)}
	l.byKey[key] = l.lru.PushFront(b)
	return b.lim
}

// clientKey is the rate-limit key of a client address (host or
// host:port): an IPv4 address as is, an IPv6 address by its /64, the
// smallest network one client usually holds, so that rotating through
// its addresses does not buy more tries.
func clientKey(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		addr = h
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.WithZone("").Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.Prefix(64) // cannot fail for an IPv6 address
	return p.String()
}

// retryAfter is a Retry-After value in whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int((d+time.Second-1)/time.Second)))
}
