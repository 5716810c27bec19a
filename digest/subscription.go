package digest

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// Subscription is what a tenant follows and when it hears about it.
type Subscription struct {
	Tenant notice.TenantID `json:"-"`
	// Recipients are the addresses the digest goes to; empty means the
	// tenant's contact address.
	Recipients []string `json:"recipients"`
	// Vendors and Products are canonical catalog names followed on top of
	// the products of the tenant's gaps, which are followed automatically.
	Vendors  []string `json:"vendors"`
	Products []string `json:"products"`
	// Categories limits notices to these categories; empty means all.
	Categories []notice.Category `json:"categories"`
	// Weekday and Hour are the send time in Timezone (default Monday
	// 08:00); an empty Timezone means the tenant's zone.
	Weekday  time.Weekday `json:"-"`
	Hour     int          `json:"hour"`
	Timezone string       `json:"timezone"`
	Enabled  bool         `json:"enabled"`
	// AllQuiet sends a short "nothing changed" note instead of nothing.
	AllQuiet bool `json:"all_quiet"`
}

// DefaultSubscription is a tenant's subscription until it sets one:
// Monday 08:00 in its own zone, to its contact address.
func DefaultSubscription(t notice.Tenant) Subscription {
	return Subscription{Tenant: t.ID, Weekday: time.Monday, Hour: 8, Enabled: true,
		Recipients: []string{}, Vendors: []string{}, Products: []string{}, Categories: []notice.Category{}}
}

// Resolver maps names and aliases to canonical catalog names; the
// product catalog (extract.Catalog through a small adapter) implements it.
type Resolver interface {
	Product(nameOrAlias string) (canonical string, ok bool)
	Vendor(nameOrAlias string) (canonical string, ok bool)
}

// Validate checks a subscription and replaces vendor and product names by
// their canonical catalog names, naming the field at fault in a
// notice.ParamError.
func (s *Subscription) Validate(r Resolver) error {
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
func Location(t notice.Tenant, s Subscription) *time.Location {
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

// State is where a digest period stands.
type State string

// Digest states.
const (
	// StatePending: claimed by a sender, being built and sent.
	StatePending State = "pending"
	// StateSent: delivered (or written to the outbox).
	StateSent State = "sent"
	// StateEmpty: nothing changed and the tenant wants no all-quiet note.
	StateEmpty State = "empty"
	// StateFailed: the last attempt failed; retried after NextAttempt.
	StateFailed State = "failed"
	// StateSuperseded: a later period started before this one was
	// delivered and covers its content.
	StateSuperseded State = "superseded"
)

// Record is the bookkeeping of one tenant's digest period (Start, End].
type Record struct {
	ID          int64           `json:"id"`
	Tenant      notice.TenantID `json:"tenant_id"`
	Start       time.Time       `json:"period_start"`
	End         time.Time       `json:"period_end"`
	State       State           `json:"state"`
	Attempts    int             `json:"attempts"`
	LastError   string          `json:"last_error,omitempty"`
	Subject     string          `json:"subject,omitempty"`
	Claimed     time.Time       `json:"claimed"`
	NextAttempt time.Time       `json:"next_attempt,omitzero"`
	Sent        time.Time       `json:"sent,omitzero"`
}
