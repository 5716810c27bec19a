package notice

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// ID identifies a stored notice.
type ID int64

// Category classifies what a notice reports.
type Category string

// The notice categories.
const (
	CategoryOutage      Category = "outage"
	CategoryDegradation Category = "degradation"
	// CategoryDataLoss means data (typically logs) was lost or is missing;
	// these notices rank highest when explaining a customer's log gap.
	CategoryDataLoss         Category = "data-loss"
	CategorySecurityIncident Category = "security-incident"
	CategoryMaintenance      Category = "maintenance"
)

// Categories lists every category in a stable order.
var Categories = []Category{CategoryOutage, CategoryDegradation, CategoryDataLoss, CategorySecurityIncident, CategoryMaintenance}

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	for _, k := range Categories {
		if c == k {
			return true
		}
	}
	return false
}

// ProductRef names a product a notice says was affected, and how gapwatch
// came to that conclusion.
type ProductRef struct {
	Name   string `json:"name"`
	Vendor string `json:"vendor,omitempty"`
	// Matched says how the product was found: "structured" (a component or
	// affected-product field of the source), or the alias text that matched.
	Matched string `json:"matched,omitempty"`
}

// Item is one entry parsed from a source payload, before it is stored. Its
// identity is (Source, ItemID); Hash fingerprints its content so an
// unchanged re-crawl changes nothing.
type Item struct {
	Source string `json:"source"`
	ItemID string `json:"item_id"`
	Title  string `json:"title"`
	// Text is the notice body as plain text.
	Text string `json:"text"`
	// Summary is the feed's own summary when Text came from the article.
	Summary   string    `json:"summary,omitempty"`
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published"`
	Updated   time.Time `json:"updated,omitempty"`
	Language  string    `json:"language,omitempty"`
	Vendor    string    `json:"vendor,omitempty"`
	// Status is the source's own status word (resolved, investigating,
	// completed …) when it has one.
	Status string `json:"status,omitempty"`
	// Impact is the source's structured impact/severity field, if any.
	Impact string `json:"impact,omitempty"`
	// Maintenance marks scheduled-maintenance entries.
	Maintenance bool `json:"maintenance,omitempty"`
	// Products and Windows carry what the source states in structured
	// fields; they win over anything extracted from text.
	Products []ProductRef `json:"products,omitempty"`
	Windows  []Window     `json:"windows,omitempty"`
	// Raw is the item's bytes as fetched (or as re-encoded from its
	// payload), kept for audit and re-parsing.
	Raw []byte `json:"-"`
}

// Extraction is what gapwatch read out of a notice version: the affected
// products, windows and category. Structured facts from the source come
// first; text adds to them.
type Extraction struct {
	Vendor   string       `json:"vendor,omitempty"`
	Language string       `json:"language,omitempty"`
	Products []ProductRef `json:"products"`
	Windows  []Window     `json:"windows"`
	Category Category     `json:"category,omitempty"`
	// Version records which extractor produced this, so `gapwatch
	// reextract` knows what is stale.
	Version string `json:"extractor_version,omitempty"`
}

// Notice is the latest version of a stored item together with what
// extraction found in it.
type Notice struct {
	ID         ID         `json:"id"`
	Version    int        `json:"version"`
	Item       Item       `json:"item"`
	Extraction Extraction `json:"extraction"`
	FirstSeen  time.Time  `json:"first_seen"`
	LastSeen   time.Time  `json:"last_seen"`
}

// Version is one stored revision of a notice. Old versions are kept because
// vendors revise windows (preliminary vs final post-incident reviews).
type Version struct {
	NoticeID   ID         `json:"notice_id"`
	Version    int        `json:"version"`
	Hash       string     `json:"hash"`
	Seen       time.Time  `json:"seen"`
	Item       Item       `json:"item"`
	Extraction Extraction `json:"extraction"`
}

// Change says what storing an item did.
type Change int

// The outcomes of storing an item.
const (
	Unchanged Change = iota
	New
	Updated
)

// Hash fingerprints the item's parsed content (not its raw bytes, which may
// carry volatile fields), so that re-crawling unchanged data changes nothing
// and an edited item gets a new version.
func (it Item) Hash() string {
	b, err := json.Marshal(it)
	if err != nil {
		// Item holds only strings, times and slices of them, so Marshal
		// cannot fail; an empty hash would only make the item look changed.
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
