package crawler

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gapwatch/gapwatch/notice"
)

var lumenSource = notice.Source{Name: "lumen", Kind: notice.KindStatuspage, Vendor: "Lumen Payments", Language: "en", URL: "https://fallback.lumenpay.example"}

// productNamesOf lists an item's product names.
func productNamesOf(it notice.Item) string {
	var names []string
	for _, p := range it.Products {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

func TestParseStatuspageIncidents(t *testing.T) {
	items, err := ParseStatuspageIncidents(readParseFixture(t, "statuspage_incidents.json"), lumenSource)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(items); got != 3 {
		t.Fatalf("got %d items, want 3", got)
	}
	tests := []struct {
		id, title, status, impact, products string
		start, end                          string
		evidence                            string
		published, updated                  string
		textPrefix                          string
	}{
		{id: "d4f6h8j0k2l4", title: "Card authorisations failing", status: "investigating", impact: "critical",
			products: "Card Authorisation, Webhooks",
			start:    "2023-03-14T15:41:00Z", end: "", evidence: "started_at 2023-03-14T08:41:00.000-07:00 – unresolved",
			published: "2023-03-14T15:47:31.902Z", updated: "2023-03-14T16:02:11.47Z",
			textPrefix: "Investigating - Card authorisations in the EU region are failing with error 5003.\nWe are working with our acquiring partner.\n\nInvestigating - We are investigating"},
		{id: "n7m6b5v4c3x2", title: "Dashboard unavailable during the night", status: "resolved", impact: "major",
			products: "Merchant Dashboard",
			// -08:00 start, -07:00 end: the DST change happened during the incident.
			start: "2023-03-12T07:30:00Z", end: "2023-03-12T11:15:00Z",
			evidence:  "started_at 2023-03-11T23:30:00.000-08:00 – resolved_at 2023-03-12T04:15:00.000-07:00",
			published: "2023-03-12T07:41:15.118Z", updated: "2023-03-12T11:20:02.3Z",
			textPrefix: "Resolved - This incident has been resolved.\n\nMonitoring - A fix has been deployed. See the changelog for details.\n\nWe are monitoring the results.\n\nInvestigating - "},
		{id: "old0incident9", title: "Payout reports delayed", status: "resolved", impact: "minor",
			// No started_at, no components: created_at and the updates' affected_components.
			products: "Payout Reports, CSV Export",
			start:    "2016-11-02T13:10:00Z", end: "2016-11-02T16:28:44Z",
			evidence:  "created_at 2016-11-02T06:10:00.000-07:00 – resolved_at 2016-11-02T09:28:44.000-07:00",
			published: "2016-11-02T13:10:00Z", updated: "2016-11-02T16:30:00Z",
			textPrefix: "Resolved - Payout reports are up to date again.\n\nInvestigating - Payout reports for October are delayed."},
	}
	for i, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			it := items[i] // payload order is kept
			if it.ItemID != tc.id || it.Title != tc.title || it.Status != tc.status || it.Impact != tc.impact {
				t.Errorf("got %q %q %q %q", it.ItemID, it.Title, it.Status, it.Impact)
			}
			if it.URL != "https://status.lumenpay.example/incidents/"+tc.id {
				t.Errorf("url = %q", it.URL)
			}
			if got := productNamesOf(it); got != tc.products {
				t.Errorf("products = %q, want %q", got, tc.products)
			}
			checkWindow(t, it, tc.start, tc.end)
			if it.Windows[0].Evidence != tc.evidence {
				t.Errorf("evidence = %q, want %q", it.Windows[0].Evidence, tc.evidence)
			}
			if !it.Published.Equal(mustTime(t, tc.published)) || !it.Updated.Equal(mustTime(t, tc.updated)) {
				t.Errorf("published/updated = %v / %v", it.Published, it.Updated)
			}
			if !strings.HasPrefix(it.Text, tc.textPrefix) {
				t.Errorf("text = %q, want prefix %q", it.Text, tc.textPrefix)
			}
			if it.Maintenance || it.Language != "en" || it.Vendor != "Lumen Payments" {
				t.Errorf("maintenance/language/vendor = %v/%q/%q", it.Maintenance, it.Language, it.Vendor)
			}
			var raw struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(it.Raw, &raw); err != nil || raw.ID != tc.id || strings.Contains(string(it.Raw), "\n") {
				t.Errorf("raw is not the compact incident object: %.80s (%v)", it.Raw, err)
			}
		})
	}
}

func TestParseStatuspageMaintenances(t *testing.T) {
	items, err := ParseStatuspageMaintenances(readParseFixture(t, "statuspage_maintenances.json"), lumenSource)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("got %d items", len(items))
	}
	future, done := items[0], items[1]
	checkWindow(t, future, "2023-03-19T05:00:00Z", "2023-03-19T09:00:00Z")
	// Overran its schedule (03:00) until completion at 03:10.
	checkWindow(t, done, "2023-03-01T09:00:00Z", "2023-03-01T11:10:00Z")
	if !strings.HasPrefix(done.Windows[0].Evidence, "scheduled_for 2023-03-01T01:00:00.000-08:00 – resolved_at") {
		t.Errorf("evidence = %q", done.Windows[0].Evidence)
	}
	for _, it := range items {
		if !it.Maintenance || it.Impact != "maintenance" {
			t.Errorf("%s: maintenance/impact = %v/%q", it.ItemID, it.Maintenance, it.Impact)
		}
	}
	if got := productNamesOf(done); got != "API, Merchant Dashboard" {
		t.Errorf("products = %q", got)
	}
	if !strings.HasPrefix(done.Text, "Completed - The scheduled maintenance has been completed.\n\nIn progress - ") {
		t.Errorf("text = %q", done.Text)
	}
}

func TestParseStatuspageEdgeCases(t *testing.T) {
	wrap := func(incident string) []byte {
		return []byte(`{"page":{"url":"https://status.acme.example/"},"incidents":[` + incident + `]}`)
	}
	t.Run("started_at after resolved_at falls back to created_at", func(t *testing.T) {
		items, err := ParseStatuspageIncidents(wrap(`{"id":"x1","name":"n","created_at":"2024-01-01T10:00:00Z",
			"started_at":"2024-01-01T12:00:00Z","resolved_at":"2024-01-01T11:00:00Z"}`), lumenSource)
		if err != nil {
			t.Fatal(err)
		}
		checkWindow(t, items[0], "2024-01-01T10:00:00Z", "2024-01-01T11:00:00Z")
	})
	t.Run("no usable times gives no window", func(t *testing.T) {
		items, err := ParseStatuspageIncidents(wrap(`{"id":"x2","name":"n"}`), lumenSource)
		if err != nil || len(items) != 1 || items[0].Windows != nil {
			t.Fatalf("items %+v, err %v", items, err)
		}
	})
	t.Run("shortlink when no page url is known", func(t *testing.T) {
		body := []byte(`{"incidents":[{"id":"x3","name":"n","shortlink":"https://stspg.io/x3"}]}`)
		items, err := ParseStatuspageIncidents(body, notice.Source{Name: "s"})
		if err != nil || items[0].URL != "https://stspg.io/x3" {
			t.Fatalf("items %+v, err %v", items, err)
		}
	})
	t.Run("source url when the payload has no page", func(t *testing.T) {
		body := []byte(`{"incidents":[{"id":"x4","name":"n","shortlink":"https://stspg.io/x4"}]}`)
		items, err := ParseStatuspageIncidents(body, lumenSource)
		if err != nil || items[0].URL != "https://fallback.lumenpay.example/incidents/x4" {
			t.Fatalf("items %+v, err %v", items, err)
		}
	})
	t.Run("empty list", func(t *testing.T) {
		items, err := ParseStatuspageIncidents([]byte(`{"incidents":[]}`), lumenSource)
		if err != nil || len(items) != 0 {
			t.Fatalf("items %+v, err %v", items, err)
		}
	})
	t.Run("repeated id keeps one", func(t *testing.T) {
		items, err := ParseStatuspageIncidents(wrap(`{"id":"d","name":"old","updated_at":"2024-01-01T10:00:00Z"},
			{"id":"d","name":"new","updated_at":"2024-01-01T11:00:00Z"}`), lumenSource)
		if err != nil || len(items) != 1 || items[0].Title != "new" {
			t.Fatalf("items %+v, err %v", items, err)
		}
	})
}

// badStatuspageEntries are malformed incidents or maintenances: each is
// skipped, and fails the payload only when no good entry is beside it.
var badStatuspageEntries = []struct{ name, entry string }{
	{"entry without id", `{"name":"x"}`},
	{"name of the wrong type", `{"id":"a","name":5}`},
	{"unreadable time", `{"id":"a","created_at":"yesterday"}`},
	{"updates not a list", `{"id":"a","incident_updates":"none"}`},
	{"a number", `7`},
}

func TestParseStatuspageErrors(t *testing.T) {
	type errCase struct {
		name  string
		body  string
		maint bool
	}
	tests := []errCase{
		{"empty body", ``, false},
		{"truncated", `{"incidents":[{"id":"a"`, false},
		{"array instead of object", `[{"id":"a"}]`, false},
		{"incidents is an object", `{"incidents":{"id":"a"}}`, false},
		{"incidents is null", `{"incidents":null}`, false},
		{"no incidents key", `{"page":{"id":"p"},"components":[]}`, false},
		{"maintenances payload to the incidents parser", `{"scheduled_maintenances":[]}`, false},
		{"incidents payload to the maintenances parser", `{"incidents":[]}`, true},
		{"html error page", `<html><body>502 Bad Gateway</body></html>`, false},
	}
	for _, bad := range badStatuspageEntries {
		tests = append(tests,
			errCase{"only " + bad.name, `{"incidents":[` + bad.entry + `]}`, false},
			errCase{"only maintenance " + bad.name, `{"scheduled_maintenances":[` + bad.entry + `,` + bad.entry + `]}`, true})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parse, prefix := ParseStatuspageIncidents, "parse statuspage incidents: "
			if tc.maint {
				parse, prefix = ParseStatuspageMaintenances, "parse statuspage maintenances: "
			}
			items, err := parse([]byte(tc.body), lumenSource)
			if err == nil {
				t.Fatalf("want an error, got %+v", items)
			}
			if items != nil || !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("items %v, err %q", items, err)
			}
		})
	}
	_, err := ParseStatuspageIncidents([]byte(`{}`), lumenSource)
	if !errors.Is(err, errMissingList) {
		t.Errorf("err = %v, want errMissingList in the chain", err)
	}
}

// TestParseStatuspageSkipsMalformed: one malformed entry among good ones
// is skipped and counted; the good ones come through, for incidents and
// maintenances alike.
func TestParseStatuspageSkipsMalformed(t *testing.T) {
	const good = `{"id":"good-%d","name":"fine","created_at":"2024-01-01T00:00:00Z"}`
	for _, key := range []string{"incidents", "scheduled_maintenances"} {
		for _, bad := range badStatuspageEntries {
			t.Run(key+"/"+bad.name, func(t *testing.T) {
				body := fmt.Sprintf(`{"page":{"url":"https://status.lumenpay.example"},%q:[`+good+`,%s,`+good+`]}`, key, 1, bad.entry, 2)
				parse, public := parseStatuspageIncidents, ParseStatuspageIncidents
				if key == "scheduled_maintenances" {
					parse, public = parseStatuspageMaintenances, ParseStatuspageMaintenances
				}
				p, err := parse([]byte(body), lumenSource)
				if err != nil {
					t.Fatal(err)
				}
				if len(p.items) != 2 || p.items[0].ItemID != "good-1" || p.items[1].ItemID != "good-2" {
					t.Fatalf("items = %+v", p.items)
				}
				if p.skipped != 1 || p.firstSkip == nil || !strings.Contains(p.firstSkip.Error(), "entry 1") {
					t.Errorf("skipped %d, first %v; want 1, entry 1", p.skipped, p.firstSkip)
				}
				if items, err := public([]byte(body), lumenSource); err != nil || len(items) != 2 {
					t.Errorf("exported parser = %d items, %v", len(items), err)
				}
			})
		}
	}
}
