package notice

import (
	"encoding/json"
	"fmt"
	"time"
)

// SourceKind says which parser understands a source's payload.
type SourceKind string

// The source kinds gapwatch can crawl.
const (
	// KindFeed is RSS 0.9x/2.0, Atom 1.0 or JSON Feed, including Statuspage
	// history.rss/history.atom.
	KindFeed SourceKind = "feed"
	// KindStatuspage is the Atlassian Statuspage public API v2; the source
	// URL is the page's base URL.
	KindStatuspage SourceKind = "statuspage"
	// KindGCP is Google Cloud's incidents.json (also used by Google
	// Workspace's status dashboard).
	KindGCP SourceKind = "gcp"
)

// Valid reports whether k is a kind gapwatch knows how to parse.
func (k SourceKind) Valid() bool {
	switch k {
	case KindFeed, KindStatuspage, KindGCP:
		return true
	}
	return false
}

// Source is one configured vendor notice feed or news feed.
type Source struct {
	// Name identifies the source; it is part of every notice's identity.
	Name string `json:"name"`
	// Kind selects the parser.
	Kind SourceKind `json:"kind"`
	// URL is the feed URL, or the base URL of a Statuspage page.
	URL string `json:"url"`
	// Vendor is the vendor whose own status feed this is; empty for news
	// feeds, whose items may concern any vendor.
	Vendor string `json:"vendor,omitempty"`
	// Language is the BCP 47 language of the source's items ("en", "fr").
	Language string `json:"language,omitempty"`
	// Timezone is the IANA zone assumed for dates that carry no zone, a
	// common cause of wrong times in feeds.
	Timezone string `json:"timezone,omitempty"`
	// Interval is how often the source is checked when healthy.
	Interval time.Duration `json:"interval"`
	// Enabled sources are crawled; disabled ones are kept but skipped.
	Enabled bool `json:"enabled"`
	// FetchArticle asks the crawler to fetch the linked page when an item's
	// content is short (news feeds often carry only a summary).
	FetchArticle bool `json:"fetch_article,omitempty"`
}

// FetchState is a source's crawl state, kept in the store so that the
// scheduler and `gapwatch sources` read the same truth.
type FetchState struct {
	Source            string    `json:"source"`
	LastFetch         time.Time `json:"last_fetch"`
	LastSuccess       time.Time `json:"last_success"`
	NextCheck         time.Time `json:"next_check"`
	ConsecutiveErrors int       `json:"consecutive_errors"`
	LastError         string    `json:"last_error,omitempty"`
	LastStatus        int       `json:"last_status,omitempty"`
	// Items is how many notices the source has produced so far.
	Items int `json:"items"`
}

// Validators are the HTTP cache validators stored per fetched URL so that
// the next fetch can be conditional (RFC 9110 §13.1).
type Validators struct {
	ETag         string
	LastModified string
	// BodyHash fingerprints the last body processed from the URL, so that
	// an unchanged body served with 200 (many feeds ignore conditional
	// requests) is not parsed and diffed again.
	BodyHash string
}

// MarshalJSON writes Interval as a duration ("5m0s") rather than
// nanoseconds, for the API and the CLI.
func (s Source) MarshalJSON() ([]byte, error) {
	type plain Source
	return json.Marshal(struct {
		plain
		Interval string `json:"interval"`
	}{plain(s), s.Interval.String()})
}

// UnmarshalJSON reads what MarshalJSON writes; Interval may also be a
// number of nanoseconds.
func (s *Source) UnmarshalJSON(b []byte) error {
	type plain Source
	var v struct {
		plain
		Interval json.RawMessage `json:"interval"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = Source(v.plain)
	if len(v.Interval) == 0 || string(v.Interval) == "null" {
		return nil
	}
	var text string
	if err := json.Unmarshal(v.Interval, &text); err != nil {
		return json.Unmarshal(v.Interval, &s.Interval)
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return fmt.Errorf("%w: source interval %q: %w", ErrInvalid, text, err)
	}
	s.Interval = d
	return nil
}
