package api

import (
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
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
	keys   *simplelru.LRU[string, *rate.Limiter]
	global *rate.Limiter // nil: no shared bucket
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
	keys, err := simplelru.NewLRU[string, *rate.Limiter](maxKeys, nil)
	if err != nil {
		panic(err) // only for a size that is not positive, excluded above
	}
	return &Limiter{now: now, rate: r, burst: b, keys: keys}
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

// Len is the number of keys remembered.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.keys.Len()
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

// bucketOf returns key's bucket, creating it (and forgetting the least
// recently used key past the bound) when new. l.mu must be held.
func (l *Limiter) bucketOf(key string) *rate.Limiter {
	if lim, ok := l.keys.Get(key); ok {
		return lim
	}
	lim := rate.NewLimiter(l.rate, l.burst)
	l.keys.Add(key, lim)
	return lim
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
