package notice

import "time"

// TenantID identifies a customer of gapwatch.
type TenantID int64

// Tenant is a customer whose log gaps gapwatch explains. Its API key is
// never held here: the store keeps only a hash.
type Tenant struct {
	ID    TenantID `json:"id"`
	Name  string   `json:"name"`
	Email string   `json:"email,omitempty"`
	// Timezone is the IANA zone for times given without one and for
	// digests (default UTC).
	Timezone string    `json:"timezone"`
	Created  time.Time `json:"created"`
}

// GapID identifies a stored gap.
type GapID int64

// Gap is an interval during which a tenant's log source went missing.
type Gap struct {
	ID     GapID    `json:"id"`
	Tenant TenantID `json:"-"`
	// Source is the customer's log source or table ("SigninLogs").
	Source string `json:"source"`
	// Product is the catalog product the source belongs to, given or
	// resolved from the source name; Vendor is that product's vendor.
	Product string    `json:"product"`
	Vendor  string    `json:"vendor,omitempty"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Note    string    `json:"note"`
	// Detected marks gaps found from telemetry rather than imported.
	Detected bool      `json:"detected"`
	Created  time.Time `json:"created"`
}

// MatchKind says how a notice's product relates to a gap's product, best
// first.
type MatchKind string

// Product match kinds, strongest first.
const (
	// MatchExact: the notice names the gap's product (or an alias).
	MatchExact MatchKind = "exact"
	// MatchFamily: same product family or umbrella (Microsoft 365 for
	// Exchange Online).
	MatchFamily MatchKind = "family"
	// MatchVendor: the notice concerns the vendor without naming the
	// product (or names only its platform).
	MatchVendor MatchKind = "vendor"
)

// Link ties a gap to a notice whose window overlaps it, with a score and an
// explanation a person can read and an auditor can check.
type Link struct {
	Gap      GapID     `json:"gap_id"`
	Notice   ID        `json:"notice_id"`
	Title    string    `json:"title"`
	Vendor   string    `json:"vendor"`
	Product  string    `json:"product"`
	Match    MatchKind `json:"product_match"`
	Category Category  `json:"category"`
	// Coverage is the fraction (0–1) of the gap inside the window;
	// WindowCoverage the fraction of the window inside the gap.
	Coverage       float64 `json:"coverage"`
	WindowCoverage float64 `json:"window_coverage"`
	Window         Window  `json:"window"`
	Score          float64 `json:"score"`
	Explanation    string  `json:"explanation"`
	Evidence       string  `json:"evidence"`
	// FirstLinked is when the link was first found; it survives
	// re-linking as long as the link holds.
	FirstLinked time.Time `json:"first_linked"`
}

// GapFilter selects a tenant's gaps. Explained, when set, keeps gaps with
// (true) or without (false) links to notices.
type GapFilter struct {
	From, To  time.Time
	Source    string
	Explained *bool
	Limit     int
}
