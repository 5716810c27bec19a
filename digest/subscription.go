package digest

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// Resolver maps names and aliases to canonical catalog names; the
// product catalog (extract.Catalog through a small adapter) implements it.
type Resolver interface {
	Product(nameOrAlias string) (canonical string, ok bool)
	Vendor(nameOrAlias string) (canonical string, ok bool)
}

// ValidateSubscription checks a subscription and replaces vendor and
// product names by their canonical catalog names, naming the field at
// fault in a notice.ParamError. It lives here rather than on
// notice.Subscription because it needs the catalog (through r).
func ValidateSubscription(s *notice.Subscription, r Resolver) error {
	for i, a := range s.Recipients {
		addr, err := mail.ParseAddress(a)
		if err != nil || addr.Name != "" || !strings.Contains(addr.Address, "@") {
			return &notice.ParamError{Param: fmt.Sprintf("recipients[%d]", i), Reason: fmt.Sprintf("%q is not an email address", a)}
		}
		s.Recipients[i] = addr.Address
	}
	if s.Timezone != "" {
		if _, err := time.LoadLocation(s.Timezone); err != nil {
			return &notice.ParamError{Param: "timezone", Reason: fmt.Sprintf("unknown IANA zone %q", s.Timezone)}
		}
	}
	if s.Hour < 0 || s.Hour > 23 {
		return &notice.ParamError{Param: "hour", Reason: "an hour from 0 to 23"}
	}
	if s.Weekday < time.Sunday || s.Weekday > time.Saturday {
		return &notice.ParamError{Param: "weekday", Reason: "a day of the week"}
	}
	for i, c := range s.Categories {
		if !c.Valid() {
			return &notice.ParamError{Param: fmt.Sprintf("categories[%d]", i), Reason: fmt.Sprintf("unknown category %q (one of %v)", c, notice.Categories)}
		}
	}
	for i, v := range s.Vendors {
		c, ok := r.Vendor(v)
		if !ok {
			return &notice.ParamError{Param: fmt.Sprintf("vendors[%d]", i), Reason: fmt.Sprintf("no vendor %q in the catalog", v)}
		}
		s.Vendors[i] = c
	}
	for i, p := range s.Products {
		c, ok := r.Product(p)
		if !ok {
			return &notice.ParamError{Param: fmt.Sprintf("products[%d]", i), Reason: fmt.Sprintf("no product %q in the catalog", p)}
		}
		s.Products[i] = c
	}
	return nil
}

// ParseWeekday reads a weekday name in English ("monday", "Mon").
func ParseWeekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if s == name || (len(s) >= 3 && strings.HasPrefix(name, s)) {
			return d, true
		}
	}
	return 0, false
}

// Location returns the zone the digest is scheduled and written in: the
// subscription's, else the tenant's, else UTC.
func Location(t notice.Tenant, s notice.Subscription) *time.Location {
	for _, z := range []string{s.Timezone, t.Timezone} {
		if z == "" {
			continue
		}
		if loc, err := time.LoadLocation(z); err == nil {
			return loc
		}
	}
	return time.UTC
}
