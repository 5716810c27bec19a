package crawler

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// errMissingList marks a Statuspage payload without the expected list
// (valid JSON of the wrong shape, such as another endpoint's answer).
var errMissingList = errors.New("payload has no list of the expected kind")

// ParseStatuspageIncidents parses an Atlassian Statuspage API v2
// /api/v2/incidents.json payload. Each incident becomes an item whose
// window runs from started_at (created_at on older pages that lack it) to
// resolved_at, open while unresolved, and whose products are the
// incident's components (else the components its updates affected). A
// malformed incident (no id, an unreadable time, a field of the wrong
// type) is skipped; the payload is an error only when its envelope is
// wrong or every incident in it is malformed.
func ParseStatuspageIncidents(body []byte, src notice.Source) ([]notice.Item, error) {
	p, err := parseStatuspageIncidents(body, src)
	return p.items, err
}

// ParseStatuspageMaintenances parses an Atlassian Statuspage API v2
// /api/v2/scheduled-maintenances.json payload. Items are marked
// Maintenance and their window is scheduled_for → scheduled_until.
// Malformed entries are skipped as in ParseStatuspageIncidents.
func ParseStatuspageMaintenances(body []byte, src notice.Source) ([]notice.Item, error) {
	p, err := parseStatuspageMaintenances(body, src)
	return p.items, err
}

// parseStatuspageIncidents is ParseStatuspageIncidents, also counting the
// entries it skipped.
func parseStatuspageIncidents(body []byte, src notice.Source) (parsed, error) {
	p, err := parseStatuspage(body, src, "incidents", false)
	if err != nil {
		return parsed{}, fmt.Errorf("parse statuspage incidents: %w", err)
	}
	return p, nil
}

// parseStatuspageMaintenances is ParseStatuspageMaintenances, also
// counting the entries it skipped.
func parseStatuspageMaintenances(body []byte, src notice.Source) (parsed, error) {
	p, err := parseStatuspage(body, src, "scheduled_maintenances", true)
	if err != nil {
		return parsed{}, fmt.Errorf("parse statuspage maintenances: %w", err)
	}
	return p, nil
}

// spPayload is the envelope of the Statuspage list endpoints; only the
// fields gapwatch reads are decoded.
type spPayload struct {
	Page *struct {
		URL string `json:"url"`
	} `json:"page"`
	Incidents    *[]json.RawMessage `json:"incidents"`
	Maintenances *[]json.RawMessage `json:"scheduled_maintenances"`
}

// spIncident is one incident or scheduled maintenance.
type spIncident struct {
	ID             string        `json:"id"`
	Name           string        `json:"name"`
	Status         string        `json:"status"`
	Impact         string        `json:"impact"`
	Shortlink      string        `json:"shortlink"`
	CreatedAt      string        `json:"created_at"`
	UpdatedAt      string        `json:"updated_at"`
	ResolvedAt     string        `json:"resolved_at"`
	StartedAt      string        `json:"started_at"`
	ScheduledFor   string        `json:"scheduled_for"`
	ScheduledUntil string        `json:"scheduled_until"`
	Updates        []spUpdate    `json:"incident_updates"`
	Components     []spComponent `json:"components"`
}

// spUpdate is one posted update of an incident.
type spUpdate struct {
	Status             string        `json:"status"`
	Body               string        `json:"body"`
	AffectedComponents []spComponent `json:"affected_components"`
}

// spComponent is a component reference; only its name matters here.
type spComponent struct {
	Name string `json:"name"`
}

// parseStatuspage decodes the list under key and converts each entry,
// skipping malformed ones.
func parseStatuspage(body []byte, src notice.Source, key string, maintenance bool) (parsed, error) {
	var p spPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return parsed{}, err
	}
	list := p.Incidents
	if maintenance {
		list = p.Maintenances
	}
	if list == nil {
		return parsed{}, fmt.Errorf("%w: no %q", errMissingList, key)
	}
	pageURL := src.URL
	if p.Page != nil && absURL(p.Page.URL) != "" {
		pageURL = absURL(p.Page.URL)
	}
	return convertEntries(*list, key+" entry", func(raw json.RawMessage) (notice.Item, error) {
		return statuspageItem(raw, src, pageURL, maintenance)
	})
}

// statuspageItem converts one incident or maintenance object.
func statuspageItem(raw json.RawMessage, src notice.Source, pageURL string, maintenance bool) (notice.Item, error) {
	var in spIncident
	if err := json.Unmarshal(raw, &in); err != nil {
		return notice.Item{}, err
	}
	if strings.TrimSpace(in.ID) == "" {
		return notice.Item{}, errors.New("entry has no id")
	}
	t, err := in.times()
	if err != nil {
		return notice.Item{}, fmt.Errorf("entry %s: %w", in.ID, err)
	}
	compact, err := compactJSON(raw)
	if err != nil {
		return notice.Item{}, err
	}
	if compact, err = capRaw(compact, rawStub{ID: strings.TrimSpace(in.ID)}); err != nil {
		return notice.Item{}, err
	}
	it := notice.Item{
		Source:      src.Name,
		ItemID:      strings.TrimSpace(in.ID),
		Title:       oneLine(in.Name),
		Text:        in.text(),
		URL:         in.url(pageURL),
		Published:   t.created,
		Updated:     t.updated,
		Language:    src.Language,
		Vendor:      src.Vendor,
		Status:      in.Status,
		Impact:      in.Impact,
		Maintenance: maintenance || in.ScheduledFor != "",
		Products:    structuredProducts(in.productNames(), src.Vendor),
		Raw:         compact,
	}
	if it.Published.IsZero() {
		it.Published = t.started
	}
	if it.Maintenance && !t.scheduledFor.IsZero() {
		it.Windows = windowList(in.maintenanceWindow(t))
	} else {
		it.Windows = windowList(in.incidentWindow(t))
	}
	return it, nil
}

// spTimes are an entry's parsed timestamps (UTC; zero when absent).
type spTimes struct {
	created, updated, started, resolved, scheduledFor, scheduledUntil time.Time
}

// times parses the entry's timestamps. Statuspage writes them with the
// page's offset, which changes with daylight saving inside one payload
// (-08:00 and -07:00); parsing each with its own offset handles that.
func (in spIncident) times() (spTimes, error) {
	var t spTimes
	fields := []struct {
		name string
		raw  string
		dst  *time.Time
	}{
		{"created_at", in.CreatedAt, &t.created},
		{"updated_at", in.UpdatedAt, &t.updated},
		{"started_at", in.StartedAt, &t.started},
		{"resolved_at", in.ResolvedAt, &t.resolved},
		{"scheduled_for", in.ScheduledFor, &t.scheduledFor},
		{"scheduled_until", in.ScheduledUntil, &t.scheduledUntil},
	}
	for _, f := range fields {
		v, err := parseJSONTime(f.name, f.raw)
		if err != nil {
			return spTimes{}, err
		}
		*f.dst = v
	}
	return t, nil
}

// incidentWindow runs from started_at to resolved_at, open while
// unresolved. created_at stands in for started_at on pages that predate
// it, and when a hand-edited started_at falls after resolved_at.
func (in spIncident) incidentWindow(t spTimes) (notice.Window, bool) {
	if !t.started.IsZero() {
		if w, ok := in.spanFrom("started_at "+in.StartedAt, t.started, t); ok {
			return w, true
		}
	}
	return in.spanFrom("created_at "+in.CreatedAt, t.created, t)
}

// spanFrom builds the window from start to resolved_at; startEvidence
// names the start field and its original text.
func (in spIncident) spanFrom(startEvidence string, start time.Time, t spTimes) (notice.Window, bool) {
	if t.resolved.IsZero() {
		return structuredWindow(start, nil, startEvidence+" – unresolved")
	}
	return structuredWindow(start, &t.resolved, startEvidence+" – resolved_at "+in.ResolvedAt)
}

// maintenanceWindow runs from scheduled_for to scheduled_until. A
// maintenance that overran its schedule (completed after scheduled_until)
// ends at resolved_at instead, since the impact lasted until then.
func (in spIncident) maintenanceWindow(t spTimes) (notice.Window, bool) {
	evidence := "scheduled_for " + in.ScheduledFor + " – "
	var end *time.Time
	switch {
	case !t.resolved.IsZero() && t.resolved.After(t.scheduledUntil):
		end = &t.resolved
		evidence += "resolved_at " + in.ResolvedAt
	case !t.scheduledUntil.IsZero():
		end = &t.scheduledUntil
		evidence += "scheduled_until " + in.ScheduledUntil
	default:
		evidence += "no scheduled_until"
	}
	return structuredWindow(t.scheduledFor, end, evidence)
}

// text lays the updates out as "Status - body", newest first as the API
// lists them.
func (in spIncident) text() string {
	parts := make([]string, 0, len(in.Updates))
	for _, u := range in.Updates {
		line := statusLabel(u.Status)
		if b := typedText(u.Body); b != "" {
			if line != "" {
				line += " - "
			}
			line += b
		}
		if line != "" {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, "\n\n")
}

// statusLabel prints an API status the way Statuspage pages do:
// "in_progress" → "In progress".
func statusLabel(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", " ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// productNames are the incident's components, or when a page does not
// list them (older pages), the components its updates affected.
func (in spIncident) productNames() []string {
	var names []string
	for _, c := range in.Components {
		names = append(names, c.Name)
	}
	if len(names) > 0 {
		return names
	}
	for _, u := range in.Updates {
		for _, c := range u.AffectedComponents {
			names = append(names, c.Name)
		}
	}
	return names
}

// url is the incident's page on the status site, or the shortlink when
// the page URL is unknown. The page URL is preferred: it is the vendor's
// own domain and names the incident, where the shortlink is a redirector.
func (in spIncident) url(pageURL string) string {
	if pageURL != "" {
		if u := absURL("incidents/"+url.PathEscape(in.ID), strings.TrimRight(pageURL, "/")+"/"); u != "" {
			return u
		}
	}
	return absURL(in.Shortlink)
}
