package gaps

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// timeFormats is what a bad time is told to look like.
const timeFormats = `want RFC 3339 or "YYYY-MM-DD HH:MM[:SS]" with an optional zone (Z, +02:00 or an IANA name)`

// zoneCache remembers the zones loaded during one request, so a file with
// ten thousand "Europe/Paris" rows loads the zone once.
type zoneCache map[string]*time.Location

// load resolves an IANA zone name. "Local" is refused: the server's own
// zone means nothing to a customer.
func (z zoneCache) load(name string) (*time.Location, error) {
	if loc, ok := z[name]; ok {
		return loc, nil
	}
	if name == "" || strings.EqualFold(name, "local") {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	z[name] = loc
	return loc, nil
}

// parseTime reads an RFC 3339 time, or "YYYY-MM-DD HH:MM[:SS[.frac]]"
// (space or T between date and time) optionally followed by a zone: Z,
// UTC, a numeric offset (+02:00, +0200, +02) or an IANA name, with or
// without a space before it. Times without a zone are in loc. The error is
// the reason shown to the customer.
func parseTime(s string, loc *time.Location, zones zoneCache) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("required")
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if len(s) < 16 || (s[10] != ' ' && s[10] != 'T' && s[10] != 't') {
		return time.Time{}, fmt.Errorf("%q: %s", s, timeFormats)
	}
	n := localLen(s)
	layout := "2006-01-02 15:04"
	if n > 16 {
		layout += ":05"
	}
	local := s[:10] + " " + s[11:n]
	zone := strings.TrimSpace(s[n:])
	in := loc
	if zone != "" {
		z, err := parseZone(zone, zones)
		if err != nil {
			return time.Time{}, err
		}
		in = z
	}
	t, err := time.ParseInLocation(layout, local, in)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: %s", s, timeFormats)
	}
	return t.UTC(), nil
}

// localLen returns the length of the "YYYY-MM-DD HH:MM[:SS[.frac]]" prefix
// of s (at least 16): where the zone, if any, begins.
func localLen(s string) int {
	n := 16
	if len(s) >= 19 && s[16] == ':' && isDigits(s[17:19]) {
		n = 19
		if len(s) > 20 && (s[19] == '.' || s[19] == ',') && isDigit(s[20]) {
			n = 20
			for n < len(s) && isDigit(s[n]) {
				n++
			}
		}
	}
	return n
}

// parseZone reads an explicit zone: Z, UTC/GMT, a numeric offset or an
// IANA name.
func parseZone(z string, zones zoneCache) (*time.Location, error) {
	switch {
	case z == "Z" || z == "z" || strings.EqualFold(z, "UTC") || strings.EqualFold(z, "GMT"):
		return time.UTC, nil
	case z[0] == '+' || z[0] == '-':
		return parseOffset(z)
	}
	return zones.load(z)
}

// parseOffset reads +02:00, +0200 or +02 as a fixed zone.
func parseOffset(z string) (*time.Location, error) {
	digits := strings.ReplaceAll(z[1:], ":", "")
	if (len(digits) != 2 && len(digits) != 4) || !isDigits(digits) || (len(z) == 6 && z[3] != ':') {
		return nil, fmt.Errorf("bad zone offset %q", z)
	}
	h, _ := strconv.Atoi(digits[:2])
	m := 0
	if len(digits) == 4 {
		m, _ = strconv.Atoi(digits[2:])
	}
	if h > 14 || m > 59 {
		return nil, fmt.Errorf("bad zone offset %q", z)
	}
	off := h*3600 + m*60
	if z[0] == '-' {
		off = -off
	}
	return time.FixedZone(z, off), nil
}

// isDigit reports an ASCII digit.
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isDigits reports a non-empty run of ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}
