package demo_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
	"github.com/mmcdole/gofeed"
)

// statuspageDoc is the part of a Statuspage API v2 payload the tests check.
type statuspageDoc struct {
	Page struct {
		Name     string `json:"name"`
		TimeZone string `json:"time_zone"`
	} `json:"page"`
	Incidents   []statuspageIncident `json:"incidents"`
	Maintenance []statuspageIncident `json:"scheduled_maintenances"`
}

type statuspageIncident struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Status     string  `json:"status"`
	Impact     string  `json:"impact"`
	CreatedAt  string  `json:"created_at"`
	StartedAt  *string `json:"started_at"`
	ResolvedAt *string `json:"resolved_at"`
	Components *[]struct {
		Name string `json:"name"`
	} `json:"components"`
	Updates []struct {
		Status    string `json:"status"`
		Body      string `json:"body"`
		CreatedAt string `json:"created_at"`
	} `json:"incident_updates"`
}

// gcpIncident is the part of a Google Cloud incidents.json entry the tests
// check.
type gcpIncident struct {
	ID           string  `json:"id"`
	Number       string  `json:"number"`
	Begin        string  `json:"begin"`
	End          *string `json:"end"`
	ExternalDesc string  `json:"external_desc"`
	ServiceName  string  `json:"service_name"`
	Severity     string  `json:"severity"`
	StatusImpact string  `json:"status_impact"`
	URI          string  `json:"uri"`
	Products     []struct {
		Title string `json:"title"`
		ID    string `json:"id"`
	} `json:"affected_products"`
	Updates []struct {
		Created string `json:"created"`
		When    string `json:"when"`
		Text    string `json:"text"`
		Status  string `json:"status"`
	} `json:"updates"`
	MostRecent struct {
		Created string `json:"created"`
	} `json:"most_recent_update"`
}

// tally accumulates what the well-formedness checks saw across sources.
type tally struct {
	items, unresolved, noStartedAt, gcpOngoing int
	vendors                                    map[string]bool
}

// checkTime parses an RFC 3339 stamp and checks it lies in the demo's span.
func checkTime(t *testing.T, what, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return ts
	}
	if ts.Before(earliest) || ts.After(today) {
		t.Errorf("%s %s is outside %s..%s", what, s, earliest.Format(time.DateOnly), today.Format(time.DateOnly))
	}
	return ts
}

// checkFeed parses a feed payload with gofeed and returns its item count.
func checkFeed(t *testing.T, w string, body []byte) int {
	t.Helper()
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse feed: %v", err)
	}
	for _, it := range feed.Items {
		if it.Title == "" || (it.Description == "" && it.Content == "") {
			t.Errorf("item %q lacks a title or text", it.GUID)
		}
		if !strings.HasPrefix(it.Link, w+"/") {
			t.Errorf("item %q links to %q, off the world server", it.Title, it.Link)
		}
		stamp := it.PublishedParsed
		if stamp == nil {
			stamp = it.UpdatedParsed
		}
		if stamp == nil {
			t.Errorf("item %q has no parseable date", it.Title)
		} else if stamp.Before(earliest) || stamp.After(today) {
			t.Errorf("item %q dated %s, outside the demo's span", it.Title, stamp)
		}
	}
	return len(feed.Items)
}

// checkStatuspage decodes one Statuspage API v2 payload.
func checkStatuspage(t *testing.T, body []byte, tl *tally) int {
	t.Helper()
	var doc statuspageDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("decode statuspage payload: %v", err)
	}
	if _, err := time.LoadLocation(doc.Page.TimeZone); err != nil || doc.Page.Name == "" {
		t.Errorf("page %q time_zone %q: %v", doc.Page.Name, doc.Page.TimeZone, err)
	}
	all := append(doc.Incidents, doc.Maintenance...)
	for _, inc := range all {
		if inc.ID == "" || inc.Name == "" || len(inc.Updates) == 0 {
			t.Errorf("incident %q lacks id, name or updates", inc.Name)
		}
		switch inc.Impact {
		case "none", "minor", "major", "critical", "maintenance":
		default:
			t.Errorf("incident %q impact %q", inc.Name, inc.Impact)
		}
		checkTime(t, inc.Name+" created_at", inc.CreatedAt)
		if inc.ResolvedAt == nil {
			tl.unresolved++
		}
		if inc.StartedAt == nil && inc.Components == nil {
			tl.noStartedAt++
		}
		var prev time.Time
		for i, u := range inc.Updates {
			ts := checkTime(t, inc.Name+" update", u.CreatedAt)
			if i > 0 && ts.After(prev) {
				t.Errorf("incident %q updates are not newest first", inc.Name)
			}
			prev = ts
		}
	}
	return len(all)
}

// checkGCP decodes a Google Cloud incidents.json payload.
func checkGCP(t *testing.T, body []byte, tl *tally) int {
	t.Helper()
	var incs []gcpIncident
	if err := json.Unmarshal(body, &incs); err != nil {
		t.Fatalf("decode incidents.json: %v", err)
	}
	for _, inc := range incs {
		if inc.ID == "" || inc.Number == "" || inc.ExternalDesc == "" || inc.ServiceName == "" || len(inc.Products) == 0 || len(inc.Updates) == 0 || inc.URI != "incidents/"+inc.ID {
			t.Errorf("incident %q lacks required fields", inc.ID)
			continue
		}
		begin := checkTime(t, inc.ID+" begin", inc.Begin)
		if inc.End == nil {
			tl.gcpOngoing++
		} else if end := checkTime(t, inc.ID+" end", *inc.End); end.Before(begin) {
			t.Errorf("incident %q ends before it begins", inc.ID)
		}
		if inc.MostRecent.Created != inc.Updates[0].Created {
			t.Errorf("incident %q most_recent_update is not updates[0]", inc.ID)
		}
	}
	return len(incs)
}

func TestSourcesAreWellFormed(t *testing.T) {
	w := startWorld(t)
	tl := tally{vendors: map[string]bool{}}
	for _, s := range w.Sources {
		t.Run(s.Name, func(t *testing.T) {
			n := 0
			for _, u := range payloadURLs(s) {
				_, body := fetchOK(t, u)
				switch s.Kind {
				case notice.KindFeed:
					n += checkFeed(t, w.URL, body)
				case notice.KindStatuspage:
					n += checkStatuspage(t, body, &tl)
				case notice.KindGCP:
					n += checkGCP(t, body, &tl)
				}
			}
			if n < 3 {
				t.Errorf("%d items, want at least 3 per source", n)
			}
			t.Logf("%s (%s): %d items", s.Name, s.Kind, n)
			tl.items += n
			if s.Vendor != "" {
				tl.vendors[s.Vendor] = true
			}
		})
	}
	if tl.items < 40 {
		t.Errorf("%d items across sources, want at least 40", tl.items)
	}
	if len(tl.vendors) < 8 {
		t.Errorf("%d vendors, want at least 8", len(tl.vendors))
	}
	if tl.unresolved < 1 || tl.noStartedAt < 1 || tl.gcpOngoing < 1 {
		t.Errorf("unresolved statuspage incidents %d, without started_at/components %d, ongoing GCP incidents %d; want at least 1 each",
			tl.unresolved, tl.noStartedAt, tl.gcpOngoing)
	}
}

func TestContentTypes(t *testing.T) {
	w := startWorld(t)
	want := map[string]string{
		"demo-aws":             "application/rss+xml; charset=UTF-8",
		"demo-azure":           "application/rss+xml; charset=utf-8",
		"demo-okta":            "application/feed+json; charset=utf-8",
		"demo-github":          "application/json; charset=utf-8",
		"demo-datadog":         "application/json; charset=utf-8",
		"demo-scaleway":        "application/rss+xml; charset=UTF-8",
		"demo-atlassian":       "application/atom+xml; charset=UTF-8",
		"demo-gcp":             "application/json; charset=utf-8",
		"demo-cloudflare-blog": "application/atom+xml; charset=utf-8",
		"demo-securitywire":    "application/rss+xml; charset=UTF-8",
		"demo-byteregister":    "application/atom+xml; charset=UTF-8",
		"demo-lemagsecu":       "application/rss+xml; charset=UTF-8",
		"demo-actusecu":        "application/rss+xml; charset=ISO-8859-1",
	}
	if len(want) != len(w.Sources) {
		t.Errorf("table covers %d sources, world has %d", len(want), len(w.Sources))
	}
	for _, s := range w.Sources {
		t.Run(s.Name, func(t *testing.T) {
			resp, body := fetchOK(t, payloadURLs(s)[0])
			if got := resp.Header.Get("Content-Type"); got != want[s.Name] {
				t.Errorf("Content-Type %q, want %q", got, want[s.Name])
			}
			if s.Name == "demo-actusecu" {
				if !bytes.HasPrefix(body, []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>`)) {
					t.Error("ISO-8859-1 feed does not declare its encoding")
				}
				if !bytes.Contains(body, []byte("s\xe9curit\xe9")) {
					t.Error("ISO-8859-1 feed does not hold Latin-1 bytes for \"sécurité\"")
				}
			}
		})
	}
}

func TestConditionalGet(t *testing.T) {
	w := startWorld(t)
	for _, s := range w.Sources {
		for _, u := range payloadURLs(s) {
			t.Run(strings.TrimPrefix(u, w.URL), func(t *testing.T) {
				resp, _ := fetchOK(t, u)
				etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
				if etag == "" || lastMod == "" {
					t.Fatalf("ETag %q Last-Modified %q, want both", etag, lastMod)
				}
				zresp, _ := fetch(t, u, map[string]string{"Accept-Encoding": "gzip"})
				gzTag := zresp.Header.Get("ETag")
				earlier := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Format(http.TimeFormat)
				cases := []struct {
					name   string
					header map[string]string
					want   int
				}{
					{"matching etag", map[string]string{"If-None-Match": etag}, http.StatusNotModified},
					{"etag among others", map[string]string{"If-None-Match": `"other", ` + etag}, http.StatusNotModified},
					{"gzip etag with gzip", map[string]string{"If-None-Match": gzTag, "Accept-Encoding": "gzip"}, http.StatusNotModified},
					{"identity etag with gzip", map[string]string{"If-None-Match": etag, "Accept-Encoding": "gzip"}, http.StatusNotModified},
					{"stale etag", map[string]string{"If-None-Match": `"stale"`}, http.StatusOK},
					{"if-modified-since last-modified", map[string]string{"If-Modified-Since": lastMod}, http.StatusNotModified},
					{"if-modified-since earlier", map[string]string{"If-Modified-Since": earlier}, http.StatusOK},
					{"stale etag wins over date", map[string]string{"If-None-Match": `"stale"`, "If-Modified-Since": lastMod}, http.StatusOK},
				}
				for _, c := range cases {
					got, body := fetch(t, u, c.header)
					if got.StatusCode != c.want {
						t.Errorf("%s: status %d, want %d", c.name, got.StatusCode, c.want)
					}
					if c.want == http.StatusNotModified && len(body) != 0 {
						t.Errorf("%s: 304 with a %d-byte body", c.name, len(body))
					}
				}
			})
		}
	}
}
