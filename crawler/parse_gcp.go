package crawler

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// gcpDefaultBase is where incident URIs point when the source URL gives
// no base to resolve them against.
const gcpDefaultBase = "https://status.cloud.google.com/"

// ParseGCP parses Google Cloud's incidents.json: one JSON array holding the
// full incident history (Google Workspace's status dashboard serves the
// same shape). Each incident's window runs from begin to end, open while
// end is absent; its products are affected_products (else service_name).
// Incident URIs are resolved against src.URL, so a Workspace source links
// to its own dashboard. A malformed incident (no id, an unreadable time, a
// field of the wrong type) is skipped; the payload is an error only when it
// is not an array or every incident in it is malformed.
func ParseGCP(body []byte, src notice.Source) ([]notice.Item, error) {
	p, err := parseGCP(body, src)
	return p.items, err
}

// parseGCP is ParseGCP, also counting the incidents it skipped.
func parseGCP(body []byte, src notice.Source) (parsed, error) {
	var list []json.RawMessage
	if err := json.Unmarshal(body, &list); err != nil {
		return parsed{}, fmt.Errorf("parse gcp: %w", err)
	}
	if list == nil {
		return parsed{}, fmt.Errorf("parse gcp: %w", errMissingList)
	}
	base := gcpDefaultBase
	if absURL(src.URL) != "" {
		base = absURL(src.URL)
	}
	p, err := convertEntries(list, "incident", func(raw json.RawMessage) (notice.Item, error) {
		return gcpItem(raw, src, base)
	})
	if err != nil {
		return parsed{}, fmt.Errorf("parse gcp: %w", err)
	}
	return p, nil
}

// gcpIncident holds the fields of a GCP incident that gapwatch reads.
type gcpIncident struct {
	ID               string       `json:"id"`
	Begin            string       `json:"begin"`
	Created          string       `json:"created"`
	End              string       `json:"end"`
	Modified         string       `json:"modified"`
	ExternalDesc     string       `json:"external_desc"`
	Updates          []gcpUpdate  `json:"updates"`
	MostRecentUpdate *gcpUpdate   `json:"most_recent_update"`
	StatusImpact     string       `json:"status_impact"`
	Severity         string       `json:"severity"`
	ServiceName      string       `json:"service_name"`
	AffectedProducts []gcpProduct `json:"affected_products"`
	URI              string       `json:"uri"`
}

// gcpUpdate is one posted update.
type gcpUpdate struct {
	Created string `json:"created"`
	When    string `json:"when"`
	Text    string `json:"text"`
	Status  string `json:"status"`
}

// gcpProduct is an affected product.
type gcpProduct struct {
	Title string `json:"title"`
}

// gcpItem converts one incident object.
func gcpItem(raw json.RawMessage, src notice.Source, base string) (notice.Item, error) {
	var in gcpIncident
	if err := json.Unmarshal(raw, &in); err != nil {
		return notice.Item{}, err
	}
	id := strings.TrimSpace(in.ID)
	if id == "" {
		return notice.Item{}, errors.New("incident has no id")
	}
	t, err := in.times()
	if err != nil {
		return notice.Item{}, fmt.Errorf("incident %s: %w", id, err)
	}
	compact, err := compactJSON(raw)
	if err != nil {
		return notice.Item{}, err
	}
	if compact, err = capRaw(compact, rawStub{ID: id}); err != nil {
		return notice.Item{}, err
	}
	it := notice.Item{
		Source:    src.Name,
		ItemID:    id,
		Title:     oneLine(in.ExternalDesc),
		Text:      in.text(),
		URL:       in.url(base),
		Published: t.created,
		Updated:   t.modified,
		Language:  src.Language,
		Vendor:    src.Vendor,
		Status:    in.status(),
		Impact:    in.StatusImpact,
		Products:  structuredProducts(in.productNames(), src.Vendor),
		Raw:       compact,
	}
	if it.Impact == "" {
		it.Impact = in.Severity
	}
	if it.Published.IsZero() {
		it.Published = t.begin
	}
	it.Windows = windowList(in.window(t))
	return it, nil
}

// gcpTimes are an incident's parsed timestamps (UTC; zero when absent).
type gcpTimes struct {
	begin, end, created, modified time.Time
}

// times parses the incident's timestamps; one that is present but
// unreadable is an error.
func (in gcpIncident) times() (gcpTimes, error) {
	var t gcpTimes
	fields := []struct {
		name, raw string
		dst       *time.Time
	}{
		{"begin", in.Begin, &t.begin},
		{"end", in.End, &t.end},
		{"created", in.Created, &t.created},
		{"modified", in.Modified, &t.modified},
	}
	for _, f := range fields {
		v, err := parseJSONTime(f.name, f.raw)
		if err != nil {
			return gcpTimes{}, err
		}
		*f.dst = v
	}
	return t, nil
}

// window runs from begin to end, open while the incident has no end.
func (in gcpIncident) window(t gcpTimes) (notice.Window, bool) {
	if t.end.IsZero() {
		return structuredWindow(t.begin, nil, "begin "+in.Begin+" – ongoing (no end)")
	}
	return structuredWindow(t.begin, &t.end, "begin "+in.Begin+" – end "+in.End)
}

// status is "resolved" once the incident has an end; before that, the
// latest update's status (service_disruption, service_outage …)
// lower-cased.
func (in gcpIncident) status() string {
	if in.End != "" {
		return "resolved"
	}
	if in.MostRecentUpdate != nil && in.MostRecentUpdate.Status != "" {
		return strings.ToLower(in.MostRecentUpdate.Status)
	}
	if u := in.sortedUpdates(); len(u) > 0 {
		return strings.ToLower(u[0].Status)
	}
	return ""
}

// sortedUpdates returns the updates newest first. The feed already lists
// them so; sorting by "when" (else "created") makes that independent of
// the feed's order. Updates whose time cannot be read keep their place
// after the dated ones.
func (in gcpIncident) sortedUpdates() []gcpUpdate {
	ups := append([]gcpUpdate(nil), in.Updates...)
	at := func(u gcpUpdate) time.Time {
		s := u.When
		if s == "" {
			s = u.Created
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}
		}
		return t
	}
	sort.SliceStable(ups, func(i, j int) bool { return at(ups[i]).After(at(ups[j])) })
	return ups
}

// text joins the updates' texts, newest first, with their Markdown made
// readable as plain text.
func (in gcpIncident) text() string {
	var parts []string
	for _, u := range in.sortedUpdates() {
		if t := markdownText(u.Text); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n\n")
}

// productNames are the affected products' titles, else the service name.
func (in gcpIncident) productNames() []string {
	var names []string
	for _, p := range in.AffectedProducts {
		names = append(names, p.Title)
	}
	if len(names) == 0 && in.ServiceName != "" {
		names = append(names, in.ServiceName)
	}
	return names
}

// url resolves the incident's relative uri ("incidents/abc") against the
// source URL; an incident without uri gets "incidents/<id>".
func (in gcpIncident) url(base string) string {
	uri := strings.TrimSpace(in.URI)
	if uri == "" {
		uri = "incidents/" + url.PathEscape(strings.TrimSpace(in.ID))
	}
	return absURL(uri, base)
}

var (
	// mdLink matches a Markdown link [text](url).
	mdLink = regexp.MustCompile(`\[([^\]\n]*)\]\(([^)\s]+)\)`)
	// mdEmphasis matches **bold** and __bold__ markers.
	mdEmphasis = regexp.MustCompile(`\*\*|__`)
	// mdHeading matches a heading marker at the start of a line.
	mdHeading = regexp.MustCompile(`(?m)^[ \t]*#{1,6}[ \t]+`)
)

// markdownText makes the Markdown of GCP update texts readable as plain
// text: emphasis markers and heading hashes dropped, links written as
// "text (url)". List dashes and line breaks are kept. Any HTML is
// converted first.
func markdownText(s string) string {
	s = typedText(s)
	s = mdLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := mdLink.FindStringSubmatch(m)
		if sub[1] == "" || sub[1] == sub[2] {
			return sub[2]
		}
		return sub[1] + " (" + sub[2] + ")"
	})
	s = mdEmphasis.ReplaceAllString(s, "")
	s = mdHeading.ReplaceAllString(s, "")
	return tidyLines(s)
}
