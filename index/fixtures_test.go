package index

import (
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// at parses an RFC 3339 time for fixtures.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// win builds a window; an empty end makes it open.
func win(start, end string, p notice.Precision) notice.Window {
	w := notice.Window{Start: at(start), Precision: p}
	if end != "" {
		w.End = notice.TimePtr(at(end))
	}
	return w
}

// fixture describes one test notice compactly.
type fixture struct {
	id        notice.ID
	lang      string // Extraction.Language
	itemLang  string // Item.Language
	vendor    string
	source    string
	products  []string
	category  notice.Category
	published string
	title     string
	text      string
	windows   []notice.Window
}

func (f fixture) notice() notice.Notice {
	n := notice.Notice{
		ID:      f.id,
		Version: 1,
		Item: notice.Item{
			Source: f.source, ItemID: "item-" + docID(f.id), Title: f.title, Text: f.text,
			URL: "https://status.example.test/incidents/" + docID(f.id), Published: at(f.published),
			Language: f.itemLang, Vendor: f.vendor,
		},
		Extraction: notice.Extraction{Vendor: f.vendor, Language: f.lang, Category: f.category, Windows: f.windows},
	}
	for _, p := range f.products {
		n.Extraction.Products = append(n.Extraction.Products, notice.ProductRef{Name: p, Vendor: f.vendor, Matched: p})
	}
	return n
}

// fixtureNotices is the test corpus: English, French and German notices,
// several vendors, minute, hour and day windows, an open window, a notice
// with two disjoint windows and one without any.
func fixtureNotices() []notice.Notice {
	fs := []fixture{
		{
			id: 1, lang: "en", vendor: "Microsoft", source: "azure-status", products: []string{"Microsoft Entra ID"},
			category: notice.CategoryOutage, published: "2024-03-03T12:00:00Z",
			title: "Sign-in failures for Microsoft Entra ID",
			text: "Between 09:00 and 11:30 UTC on 3 March 2024, a subset of customers experienced sign-in failures " +
				"when authenticating to Microsoft Entra ID. Token issuance was degraded and audit records were delayed.",
			windows: []notice.Window{win("2024-03-03T09:00:00Z", "2024-03-03T11:30:00Z", notice.PrecisionMinute)},
		},
		{
			id: 2, lang: "fr", vendor: "OVHcloud", source: "ovh-status", products: []string{"Logs Data Platform"},
			category: notice.CategoryDataLoss, published: "2024-03-06T08:00:00Z",
			title: "Perte partielle de journaux de sécurité",
			text: "Le 5 mars 2024, une partie des journaux de sécurité envoyés à Logs Data Platform n'a pas été " +
				"ingérée. Les équipes ont rétabli l'ingestion ; les données perdues ne peuvent pas être récupérées.",
			windows: []notice.Window{win("2024-03-05T00:00:00Z", "2024-03-05T00:00:00Z", notice.PrecisionDay)},
		},
		{
			id: 3, lang: "en", vendor: "Okta", source: "okta-status", products: []string{"Okta Workforce Identity"},
			category: notice.CategorySecurityIncident, published: "2024-04-01T12:00:00Z",
			title: "Investigating unauthorized access to support system",
			text: "We are investigating unauthorized access to our customer support system that began at 10:00 UTC. " +
				"The investigation is ongoing and affected customers will be notified.",
			windows: []notice.Window{win("2024-04-01T10:00:00Z", "", notice.PrecisionMinute)},
		},
		{
			id: 4, lang: "en", vendor: "Microsoft", source: "azure-status",
			products: []string{"Microsoft Sentinel", "Microsoft Defender for Endpoint"},
			category: notice.CategoryDataLoss, published: "2024-02-11T09:00:00Z",
			title: "Delayed security logs in Microsoft Sentinel",
			text: "Security logs from Defender for Endpoint were delayed on two occasions: 1 February 00:00-02:00 UTC " +
				"and 10 February 00:00-01:00 UTC. Some logging data was dropped during ingestion.",
			windows: []notice.Window{
				win("2024-02-01T00:00:00Z", "2024-02-01T02:00:00Z", notice.PrecisionMinute),
				win("2024-02-10T00:00:00Z", "2024-02-10T01:00:00Z", notice.PrecisionMinute),
			},
		},
		{
			id: 5, lang: "en", vendor: "Cloudflare", source: "cloudflare-status", products: []string{"Cloudflare CDN"},
			category: notice.CategoryDegradation, published: "2023-12-15T16:00:00Z",
			title: "Elevated latency in Frankfurt",
			text:  "Customers may see elevated latency for requests served from the Frankfurt data center.",
		},
		{
			id: 6, lang: "de", vendor: "Atlassian", source: "atlassian-status", products: []string{"Jira Cloud"},
			category: notice.CategoryMaintenance, published: "2024-01-19T08:00:00Z",
			title:   "Geplante Wartung von Jira Cloud",
			text:    "Während der Wartung am 4. März zwischen 10 und 12 Uhr UTC kann die Anmeldung kurzzeitig fehlschlagen.",
			windows: []notice.Window{win("2024-03-04T10:00:00Z", "2024-03-04T12:00:00Z", notice.PrecisionHour)},
		},
		{
			id: 7, lang: "en", vendor: "Microsoft", source: "azure-status", products: []string{"Microsoft Entra ID"},
			category: notice.CategoryOutage, published: "2024-03-03T12:00:00Z",
			title:   "Entra ID MFA outage",
			text:    "Multi-factor authentication prompts were not delivered from 10:00 to 10:30 UTC.",
			windows: []notice.Window{win("2024-03-03T10:00:00Z", "2024-03-03T10:30:00Z", notice.PrecisionMinute)},
		},
		{
			id: 8, itemLang: "fr-CA", vendor: "Google Cloud", source: "gcp-incidents", products: []string{"Google Compute Engine"},
			category: notice.CategoryOutage, published: "2024-05-01T07:00:00Z",
			title:   "Interruption du service Compute Engine",
			text:    "Les instances de la région northamerica-northeast1 étaient inaccessibles ; la connectivité réseau a été rétablie.",
			windows: []notice.Window{win("2024-04-30T22:00:00Z", "2024-05-01T03:00:00Z", notice.PrecisionMinute)},
		},
	}
	ns := make([]notice.Notice, len(fs))
	for i, f := range fs {
		ns[i] = f.notice()
	}
	return ns
}

// eachOf adapts a slice to the shape of store.EachNotice.
func eachOf(ns []notice.Notice) func(func(notice.Notice) error) error {
	return func(fn func(notice.Notice) error) error {
		for _, n := range ns {
			if err := fn(n); err != nil {
				return err
			}
		}
		return nil
	}
}
