package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"syscall"
)

// ErrRefusedAddress is returned (wrapped) when the SSRF guard refuses to dial
// an address, so that callers can tell a misconfigured or hostile source (one
// that points at, or redirects to, an internal address) from a network error.
// The refusal happens before connect(2): no byte reaches the refused address.
var ErrRefusedAddress = errors.New("refused to dial non-public address")

// IsPublicAddr reports whether an address may be dialled when private
// targets are not allowed. It fails closed: anything that is not a globally
// routable unicast address is refused, including loopback, RFC 1918 private
// ranges, CGNAT (RFC 6598), link-local (which holds the cloud metadata
// endpoint 169.254.169.254), IPv6 unique-local, unspecified, multicast,
// reserved and documentation ranges. IPv6 forms that embed an IPv4 address
// (IPv4-mapped, NAT64 64:ff9b::/96, 6to4, Teredo) are judged by the embedded
// address, and the deprecated IPv4-compatible ::/96 block is refused whole.
func IsPublicAddr(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	a = a.WithZone("").Unmap() // ::ffff:a.b.c.d is a.b.c.d on the wire (RFC 4291 §2.5.5.2)
	if a.Is4() {
		return publicV4(a.As4())
	}
	return publicV6(a.As16())
}

// publicV4 classifies an IPv4 address against the IANA special-purpose
// registry (RFC 6890 and updates).
func publicV4(b [4]byte) bool {
	switch {
	case b[0] == 0, // "this network", includes 0.0.0.0 (RFC 1122)
		b[0] == 10,                               // private (RFC 1918)
		b[0] == 127,                              // loopback
		b[0] >= 224,                              // multicast, reserved 240/4, broadcast
		b[0] == 100 && b[1]&0xc0 == 64,           // CGNAT 100.64/10 (RFC 6598)
		b[0] == 169 && b[1] == 254,               // link-local, cloud metadata (RFC 3927)
		b[0] == 172 && b[1]&0xf0 == 16,           // private 172.16/12
		b[0] == 192 && b[1] == 168,               // private 192.168/16
		b[0] == 192 && b[1] == 0 && b[2] == 0,    // IETF protocol assignments
		b[0] == 192 && b[1] == 0 && b[2] == 2,    // TEST-NET-1 (RFC 5737)
		b[0] == 198 && b[1]&0xfe == 18,           // benchmarking 198.18/15 (RFC 2544)
		b[0] == 198 && b[1] == 51 && b[2] == 100, // TEST-NET-2
		b[0] == 203 && b[1] == 0 && b[2] == 113:  // TEST-NET-3
		return false
	}
	return true
}

// publicV6 classifies an IPv6 address that is not IPv4-mapped. Only global
// unicast 2000::/3 (RFC 4291 §2.4) and the NAT64 well-known prefix
// (RFC 6052) can be public; this refuses ::1, ::, fc00::/7, fe80::/10,
// fec0::/10, ff00::/8 and ::/96 in one test.
func publicV6(b [16]byte) bool {
	var v4 [4]byte
	switch {
	case b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && allZero(b[4:12]):
		copy(v4[:], b[12:]) // NAT64 well-known prefix 64:ff9b::/96
		return publicV4(v4)
	case b[0]&0xe0 != 0x20:
		return false // outside 2000::/3: not globally routable
	case b[0] == 0x20 && b[1] == 0x02:
		copy(v4[:], b[2:6]) // 6to4 2002::/16 (RFC 3056) relays to the embedded address
		return publicV4(v4)
	case b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00:
		// Teredo 2001::/32 (RFC 4380): server at bytes 4-7, client obfuscated in 12-15.
		var client [4]byte
		for i := range client {
			client[i] = ^b[12+i]
		}
		copy(v4[:], b[4:8])
		return publicV4(v4) && publicV4(client)
	case b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8:
		return false // documentation 2001:db8::/32 (RFC 3849)
	case b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] >= 0x10 && b[3] <= 0x2f:
		return false // ORCHID 2001:10::/28 and 2001:20::/28 (RFC 7343)
	case b[0] == 0x3f && b[1] == 0xff && b[2]&0xf0 == 0x00:
		return false // documentation 3fff::/20 (RFC 9637)
	}
	return true
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// publicAddrPort is the default dial policy when private targets are not
// allowed.
func publicAddrPort(ap netip.AddrPort) bool { return IsPublicAddr(ap.Addr()) }

// dialGuard returns a net.Dialer Control function that refuses, before the
// socket connects, any address the policy rejects. Running at dial time means
// the check sees the address actually dialled: DNS answers (including
// rebinding) and redirect targets are checked, not just the configured URL.
func dialGuard(allow func(netip.AddrPort) bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		if !strings.HasPrefix(network, "tcp") {
			return fmt.Errorf("%w: network %q", ErrRefusedAddress, network)
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: unparsable address %q: %w", ErrRefusedAddress, address, err)
		}
		if !allow(ap) {
			return fmt.Errorf("%w: %s", ErrRefusedAddress, ap.Addr())
		}
		return nil
	}
}

// hostLimiter bounds the number of concurrent requests per host so that a
// crawl never hammers one vendor, whatever the number of workers. Slots are
// reference-counted and dropped when unused, so the map does not grow with
// every host ever fetched.
type hostLimiter struct {
	per   int
	mu    sync.Mutex
	slots map[string]*hostSlot
}

type hostSlot struct {
	sem  chan struct{}
	refs int // holders plus waiters; guarded by hostLimiter.mu
}

func newHostLimiter(per int) *hostLimiter {
	return &hostLimiter{per: per, slots: make(map[string]*hostSlot)}
}

// acquire waits for a free slot for host or for ctx to end. On success the
// returned function must be called once to free the slot.
func (l *hostLimiter) acquire(ctx context.Context, host string) (func(), error) {
	l.mu.Lock()
	s := l.slots[host]
	if s == nil {
		s = &hostSlot{sem: make(chan struct{}, l.per)}
		l.slots[host] = s
	}
	s.refs++
	l.mu.Unlock()

	select {
	case s.sem <- struct{}{}:
		var once sync.Once
		return func() {
			once.Do(func() {
				<-s.sem
				l.unref(host, s)
			})
		}, nil
	case <-ctx.Done():
		l.unref(host, s)
		return nil, ctx.Err()
	}
}

func (l *hostLimiter) unref(host string, s *hostSlot) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s.refs--
	if s.refs == 0 {
		delete(l.slots, host)
	}
}

// size reports how many hosts currently hold or await a slot (for tests).
func (l *hostLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.slots)
}
