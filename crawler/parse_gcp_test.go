package crawler

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gapwatch/gapwatch/notice"
)

var gcpSource = notice.Source{Name: "gcp", Kind: notice.KindGCP, Vendor: "Google Cloud", Language: "en", URL: "https://status.cloud.google.com/incidents.json"}

func TestParseGCP(t *testing.T) {
	items, err := ParseGCP(readParseFixture(t, "gcp_incidents.json"), gcpSource)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 {
		t.Fatalf("got %d items", len(items))
	}
	tests := []struct {
		id, title, status, impact, products, start, end, textPrefix string
	}{
		{"Xq7RkL2mN9pT4vW1aB3c", "Cloud Logging: log entries delayed in europe-west1", "service_outage", "SERVICE_OUTAGE",
			"Cloud Logging, Cloud Monitoring", "2024-10-08T14:20:00Z", "",
			"Summary: Cloud Logging: log entries delayed in europe-west1\nDescription: Mitigation work is underway."},
		{"Hb5TgY8uJ3kL0pQ2wE6r", "Multiple services impacted by a Pub/Sub issue in us-central1", "resolved", "SERVICE_DISRUPTION",
			"Cloud Pub/Sub, Dataflow", "2024-09-26T20:54:00Z", "2024-09-26T23:59:00Z",
			"Mini Incident Report\nWe apologize for the inconvenience this service disruption may have caused. If you have experienced impact outside of what is listed below, please reach out to Google Cloud Support (https://cloud.google.com/support).\n(All Times US/Pacific)\nIncident Start: 26 September 2024 13:54\nIncident End: 26 September 2024 16:59\n"},
		// Empty status_impact falls back to severity, no affected_products to service_name.
		{"Zc1VbN4mQ7wE9rT2yU5i", "Cloud Build triggers not firing", "resolved", "low",
			"Cloud Build", "2024-09-03T08:05:00Z", "2024-09-03T09:12:00Z",
			"The issue with Cloud Build has been resolved for all affected users as of Tuesday, 2024-09-03 02:12 US/Pacific.\n\nSummary: Cloud Build triggers not firing"},
	}
	for i, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			it := items[i]
			if it.ItemID != tc.id || it.Title != tc.title || it.Status != tc.status || it.Impact != tc.impact {
				t.Errorf("got %q %q %q %q", it.ItemID, it.Title, it.Status, it.Impact)
			}
			if it.URL != "https://status.cloud.google.com/incidents/"+tc.id {
				t.Errorf("url = %q", it.URL)
			}
			if got := productNamesOf(it); got != tc.products {
				t.Errorf("products = %q, want %q", got, tc.products)
			}
			checkWindow(t, it, tc.start, tc.end)
			if !strings.HasPrefix(it.Text, tc.textPrefix) {
				t.Errorf("text = %q, want prefix %q", it.Text, tc.textPrefix)
			}
			if strings.Contains(it.Text, "**") || strings.Contains(it.Text, "# ") {
				t.Errorf("markdown left in text: %q", it.Text)
			}
			var raw struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(it.Raw, &raw); err != nil || raw.ID != tc.id {
				t.Errorf("raw = %.60s (%v)", it.Raw, err)
			}
		})
	}
	if w := items[0].Windows[0]; w.Evidence != "begin 2024-10-08T14:20:00+00:00 – ongoing (no end)" {
		t.Errorf("evidence = %q", w.Evidence)
	}
}

func TestParseGCPDetails(t *testing.T) {
	t.Run("workspace links to its own dashboard", func(t *testing.T) {
		src := notice.Source{Name: "workspace", URL: "https://www.google.com/appsstatus/dashboard/incidents.json"}
		items, err := ParseGCP([]byte(`[{"id":"w1","external_desc":"Gmail delays","uri":"incidents/w1","begin":"2024-01-01T10:00:00+00:00"}]`), src)
		if err != nil || items[0].URL != "https://www.google.com/appsstatus/dashboard/incidents/w1" {
			t.Fatalf("items %+v, err %v", items, err)
		}
	})
	t.Run("missing uri and source url", func(t *testing.T) {
		items, err := ParseGCP([]byte(`[{"id":"abc","external_desc":"x"}]`), notice.Source{Name: "gcp"})
		if err != nil || items[0].URL != "https://status.cloud.google.com/incidents/abc" || items[0].Windows != nil {
			t.Fatalf("items %+v, err %v", items, err)
		}
	})
	t.Run("updates are ordered newest first whatever the feed order", func(t *testing.T) {
		body := `[{"id":"o","external_desc":"x","begin":"2024-01-01T10:00:00+00:00","updates":[
			{"when":"2024-01-01T10:05:00+00:00","text":"first","status":"SERVICE_DISRUPTION"},
			{"when":"2024-01-01T11:00:00+00:00","text":"second","status":"SERVICE_OUTAGE"}]}]`
		items, err := ParseGCP([]byte(body), gcpSource)
		if err != nil {
			t.Fatal(err)
		}
		if items[0].Text != "second\n\nfirst" || items[0].Status != "service_outage" || items[0].Impact != "" {
			t.Errorf("text %q, status %q, impact %q", items[0].Text, items[0].Status, items[0].Impact)
		}
	})
	t.Run("end before begin gives no window", func(t *testing.T) {
		items, err := ParseGCP([]byte(`[{"id":"b","begin":"2024-01-02T00:00:00+00:00","end":"2024-01-01T00:00:00+00:00"}]`), gcpSource)
		if err != nil || items[0].Windows != nil {
			t.Fatalf("items %+v, err %v", items, err)
		}
	})
	t.Run("empty history", func(t *testing.T) {
		items, err := ParseGCP([]byte(` [] `), gcpSource)
		if err != nil || len(items) != 0 {
			t.Fatalf("items %+v, err %v", items, err)
		}
	})
}

func TestMarkdownText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bold labels", "**Incident Start:** 26 September 2024 13:54", "Incident Start: 26 September 2024 13:54"},
		{"heading", "# Incident Report\n## Summary\ntext", "Incident Report\nSummary\ntext"},
		{"link", "open a case [here](https://cloud.google.com/support).", "open a case here (https://cloud.google.com/support)."},
		{"bare link text", "[https://x.example/](https://x.example/)", "https://x.example/"},
		{"list kept", "- Cloud Pub/Sub\n- Dataflow", "- Cloud Pub/Sub\n- Dataflow"},
		{"html in markdown keeps line breaks", "Line one<br>\nLine <b>two</b>\nLine three", "Line one\n\nLine two\nLine three"},
		{"hash that is not a heading", "Issue #123 fixed", "Issue #123 fixed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := markdownText(tc.in); got != tc.want {
				t.Errorf("markdownText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// badGCPIncidents are malformed incidents: each is skipped, and fails the
// payload only when no good incident is beside it.
var badGCPIncidents = []struct{ name, entry string }{
	{"incident without id", `{"external_desc":"x"}`},
	{"id of the wrong type", `{"id":42}`},
	{"unreadable begin", `{"id":"a","begin":"last tuesday"}`},
	{"unreadable end", `{"id":"a","begin":"2024-01-01T00:00:00Z","end":"soon"}`},
	{"products not a list", `{"id":"a","affected_products":"BigQuery"}`},
	{"a string", `"a"`},
	{"null", `null`},
}

func TestParseGCPErrors(t *testing.T) {
	tests := []struct{ name, body string }{
		{"empty body", ``},
		{"object instead of array", `{"incidents":[]}`},
		{"null", `null`},
		{"truncated", `[{"id":"a",`},
		{"array of strings", `["a","b"]`},
	}
	for _, bad := range badGCPIncidents {
		tests = append(tests, struct{ name, body string }{"only " + bad.name, "[" + bad.entry + "," + bad.entry + "]"})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, err := ParseGCP([]byte(tc.body), gcpSource)
			if err == nil {
				t.Fatalf("want an error, got %+v", items)
			}
			if items != nil || !strings.HasPrefix(err.Error(), "parse gcp: ") {
				t.Errorf("items %v, err %q", items, err)
			}
		})
	}
}

// TestParseGCPSkipsMalformed: one malformed incident among good ones is
// skipped and counted; the good ones come through.
func TestParseGCPSkipsMalformed(t *testing.T) {
	const good = `{"id":"good-%d","begin":"2024-01-01T00:00:00Z","external_desc":"fine %d"}`
	for _, bad := range badGCPIncidents {
		t.Run(bad.name, func(t *testing.T) {
			body := "[" + fmt.Sprintf(good, 1, 1) + "," + bad.entry + "," + fmt.Sprintf(good, 2, 2) + "]"
			p, err := parseGCP([]byte(body), gcpSource)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.items) != 2 || p.items[0].ItemID != "good-1" || p.items[1].ItemID != "good-2" {
				t.Fatalf("items = %+v", p.items)
			}
			if p.skipped != 1 || p.firstSkip == nil || !strings.Contains(p.firstSkip.Error(), "incident 1") {
				t.Errorf("skipped %d, first %v; want 1, incident 1", p.skipped, p.firstSkip)
			}
			items, err := ParseGCP([]byte(body), gcpSource)
			if err != nil || len(items) != 2 {
				t.Errorf("ParseGCP = %d items, %v", len(items), err)
			}
		})
	}
}
