package notice

import "time"

// Subscription is what a tenant follows in its weekly digest and when it
// hears about it. It lives in the domain package so that the store can
// persist it and the digest service can act on it without either
// importing the other; validation against the product catalog stays in
// the digest package.
type Subscription struct {
	Tenant TenantID `json:"-"`
	// Recipients are the addresses the digest goes to; empty means the
	// tenant's contact address.
	Recipients []string `json:"recipients"`
	// Vendors and Products are canonical catalog names followed on top of
	// the products of the tenant's gaps, which are followed automatically.
	Vendors  []string `json:"vendors"`
	Products []string `json:"products"`
	// Categories limits notices to these categories; empty means all.
	Categories []Category `json:"categories"`
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
// Monday 08:00 in its own zone, to its contact address. Slices are empty
// rather than nil so that they encode as [] in JSON.
func DefaultSubscription(t Tenant) Subscription {
	return Subscription{Tenant: t.ID, Weekday: time.Monday, Hour: 8, Enabled: true,
		Recipients: []string{}, Vendors: []string{}, Products: []string{}, Categories: []Category{}}
}

// DigestState is where a digest period stands; the store records it so
// that a period is delivered at most once, even across processes.
type DigestState string

// Digest states.
const (
	// DigestStatePending: claimed by a sender, being built and sent.
	DigestStatePending DigestState = "pending"
	// DigestStateSent: delivered (or written to the outbox).
	DigestStateSent DigestState = "sent"
	// DigestStateEmpty: nothing changed and the tenant wants no all-quiet
	// note.
	DigestStateEmpty DigestState = "empty"
	// DigestStateFailed: the last attempt failed; retried after
	// NextAttempt.
	DigestStateFailed DigestState = "failed"
	// DigestStateSuperseded: a later period started before this one was
	// delivered and covers its content.
	DigestStateSuperseded DigestState = "superseded"
)

// DigestRecord is the bookkeeping of one tenant's digest period
// (Start, End], kept by the store so that sends are claimed, retried with
// back-off and never duplicated.
type DigestRecord struct {
	ID          int64       `json:"id"`
	Tenant      TenantID    `json:"tenant_id"`
	Start       time.Time   `json:"period_start"`
	End         time.Time   `json:"period_end"`
	State       DigestState `json:"state"`
	Attempts    int         `json:"attempts"`
	LastError   string      `json:"last_error,omitempty"`
	Subject     string      `json:"subject,omitempty"`
	Claimed     time.Time   `json:"claimed"`
	NextAttempt time.Time   `json:"next_attempt,omitzero"`
	Sent        time.Time   `json:"sent,omitzero"`
}

// NoticeChange is a notice stored or revised during a period, with the
// extraction it had before the period (nil for a notice first seen in
// it), so a digest can tell a meaningful revision from a cosmetic one.
type NoticeChange struct {
	Notice   Notice
	Previous *Extraction
}

// GapLinks is one of a tenant's gaps with the notices linked to it, best
// first; the store loads it in one pass so a digest needs no per-gap
// queries.
type GapLinks struct {
	Gap   Gap
	Links []Link
}
