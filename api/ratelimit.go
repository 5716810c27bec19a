package api

import (
	"container/list"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// MaxLimiterKeys bounds the keys a Limiter remembers by default; past it
// the least recently seen key is forgotten, so that clients inventing keys
// (addresses, bearer strings) cannot grow it without end.
const MaxLimiterKeys = 10000

// Failed-authentication budget of a client network: a burst of
// authFailBurst wrong keys, then one every authFailEvery. Only failures
// spend it, so clients sharing an address are not slowed by each other's
// valid requests.
const (
	authFailEvery = 3 * time.Second
	authFailBurst = 10
)

// Limiter hands out one token bucket per key (a client network, a
// tenant), remembering at most a bounded number of keys (least recently
// used evicted first), with an optional bucket shared by all keys. The API
// and the web UI share it so that both bound their memory the same way.
type Limiter struct {
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

// NewLimiter returns a limiter of r tokens a second per key, burst b,
// remembering at most maxKeys keys (MaxLimiterKeys when not positive). A
// nil now means time.Now.
func NewLimiter(now func() time.Time, r rate.Limit, b, maxKeys int) *Limiter {
	if now == nil {
		now = time.Now
	}
	if maxKeys <= 0 {
		maxKeys = MaxLimiterKeys
	}
	return &Limiter{now: now, rate: r, burst: b, max: maxKeys, lru: list.New(), byKey: map[string]*list.Element{}}
}

// Shared adds a bucket of r tokens a second, burst b, that every key also
// takes from, so that many keys together stay within it; it returns l.
func (l *Limiter) Shared(r rate.Limit, b int) *Limiter {
	l.global = rate.NewLimiter(r, b)
	return l
}

// Allow takes one token for key (and one from the shared bucket), or says
// how long to wait for one.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
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

// Exhausted reports whether key's bucket is empty, and how long until it
// holds a token, without taking one: for budgets that only failures spend
// (Allow after the failure), checked before the attempt. An unseen key is
// not remembered.
func (l *Limiter) Exhausted(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.byKey[key]
	if !ok {
		return false, 0
	}
	now := l.now()
	r := e.Value.(*bucket).lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now) // a peek: give the token back
	return d > 0, d
}

// Len is the number of keys remembered.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
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
func (l *Limiter) bucketOf(key string) *rate.Limiter {
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

// ClientKey is the rate-limit key of a client address (host or
// host:port): an IPv4 address as is, an IPv6 address by its /64, the
// smallest network one client usually holds, so that rotating through
// its addresses does not buy more tries.
func ClientKey(addr string) string {
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

// RetryAfter is a Retry-After value (RFC 9110 §10.2.3) in whole seconds,
// at least 1.
func RetryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int((d+time.Second-1)/time.Second)))
}
