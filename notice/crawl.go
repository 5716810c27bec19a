package notice

import (
	"fmt"
	"time"
)

// Outcome is how one crawl of a source ended.
type Outcome string

// The crawl outcomes counted in the crawl summary line.
const (
	OutcomeOK          Outcome = "ok"
	OutcomeNotModified Outcome = "not modified"
	OutcomeFailed      Outcome = "failed"
)

// StoredItem is a parsed item ready to be stored: its content hash decides
// whether it is new, changed or unchanged, and Extraction is what the
// extractor read from it (only computed for new or changed content).
type StoredItem struct {
	Item       Item
	Hash       string
	Extraction Extraction
	// Extracted says Extraction was computed for this content. The crawler
	// skips extraction for items it saw unchanged; if another process
	// changed the stored item meanwhile, the store must not save an empty
	// extraction and refuses the record instead.
	Extracted bool
}

// CrawlRecord is everything one crawl of a source produced. A store saves it
// in a single transaction, so a crash leaves either the previous state or
// this one, never half: validators are saved together with the items so a
// later conditional GET can never skip items that were not stored.
type CrawlRecord struct {
	Source     string
	At         time.Time
	Outcome    Outcome
	Items      []StoredItem
	Validators map[string]Validators
	Status     int
	Err        string
	NextCheck  time.Time
}

// CrawlCounts counts what storing a crawl did to notices.
type CrawlCounts struct {
	New       int `json:"new"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Add accumulates o into c.
func (c *CrawlCounts) Add(o CrawlCounts) {
	c.New += o.New
	c.Updated += o.Updated
	c.Unchanged += o.Unchanged
}

// String renders the counts as in the crawl summary line.
func (c CrawlCounts) String() string {
	return fmt.Sprintf("%d new, %d updated, %d unchanged", c.New, c.Updated, c.Unchanged)
}

// SourceState pairs a source with its crawl state.
type SourceState struct {
	Source Source     `json:"source"`
	State  FetchState `json:"state"`
}

// Article is the cached readable text of a page linked from a news item,
// kept by URL so a page is fetched once and revalidated conditionally.
type Article struct {
	URL        string
	Validators Validators
	Text       string
	FetchedAt  time.Time
}
