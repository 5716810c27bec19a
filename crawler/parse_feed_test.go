package crawler

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gapwatch/gapwatch/notice"
)

func TestParseFeedFormats(t *testing.T) {
	tests := []struct {
		file      string
		tz        string
		count     int
		id        string
		title     string
		textHas   string
		summary   string
		url       string
		published string
		updated   string
		language  string
	}{
		{file: "rss20.xml", tz: "Europe/Paris", count: 4, id: "nimbus-news-4711",
			title:   "Log ingestion delays in EU-West (updated)",
			textHas: "Between 13:05 and 15:40 UTC some customers saw delayed log delivery in EU-West.\n\nNo logs were lost.",
			summary: "Some customers saw delayed logs in EU-West.",
			url:     "https://news.nimbus-hosting.example/2024/09/log-ingestion-delays", published: "2024-09-10T16:20:00Z", language: "en"},
		{file: "rss20.xml", tz: "Europe/Paris", count: 4, id: "nimbus-news-4705",
			title:   "Scheduled firewall upgrade",
			textHas: "on September 14 between", // entity-escaped <b> became text
			url:     "https://news.nimbus-hosting.example/2024/09/firewall-upgrade", published: "2024-09-09T12:30:00Z", language: "en"},
		{file: "rss091.xml", count: 2, id: "http://status.quillmail.example/bulletins/2019-118.html",
			title: "SMTP relay degraded", textHas: "Mail was queued, not lost.",
			url: "http://status.quillmail.example/bulletins/2019-118.html", language: "en"},
		{file: "atom10.xml", count: 2, id: "tag:blog.ferrodb.example,2024:incident-312",
			title:     "Replication lag on eu-central clusters",
			textHas:   "What happened\n\nFrom 14:02 to 16:11 CEST replicas in eu-central fell behind their primaries.\n\nReads could return stale data.\nWrites were not affected.",
			summary:   "Replicas in eu-central fell behind for two hours.",
			url:       "https://blog.ferrodb.example/incidents/2024-05-02-replication-lag",
			published: "2024-05-02T16:30:00Z", updated: "2024-05-03T08:15:00Z", language: "en"},
		{file: "atom10.xml", count: 2, id: "tag:blog.ferrodb.example,2024:incident-305",
			title: "Backup job failures", textHas: "Nightly backups failed for 3% of clusters on 17 April.\n\nAll were re-run successfully.",
			url: "https://blog.ferrodb.example/incidents/2024-04-18-backups", published: "2024-04-18T09:00:00Z", updated: "2024-04-18T09:00:00Z", language: "en"},
		{file: "jsonfeed11.json", count: 2, id: "note-2024-0611",
			title: "Tracking webhooks delayed", textHas: "delayed by up to 40 minutes between 07:10 and 08:25 UTC",
			summary: "Webhook deliveries were delayed by up to 40 minutes.",
			url:     "https://status.parcelbird.example/notes/2024-0611", published: "2024-06-11T09:02:00Z", updated: "2024-06-11T10:30:00Z", language: "en"},
		{file: "jsonfeed11.json", count: 2, id: "note-2024-0604",
			title: "Label printing API returned errors", textHas: "503 for 12% of requests.\n\nThe cause was",
			url: "https://status.parcelbird.example/notes/2024-0604", published: "2024-06-04T14:45:00Z", language: "en"},
	}
	for _, tc := range tests {
		t.Run(tc.file+"/"+tc.id, func(t *testing.T) {
			src := notice.Source{Name: "s", Vendor: "V", Timezone: tc.tz, URL: "https://feeds.example/x.xml"}
			items, err := ParseFeed(readParseFixture(t, tc.file), src)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != tc.count {
				t.Fatalf("got %d items, want %d", len(items), tc.count)
			}
			it := itemByID(t, items, tc.id)
			if it.Title != tc.title {
				t.Errorf("title = %q, want %q", it.Title, tc.title)
			}
			if !strings.Contains(it.Text, tc.textHas) {
				t.Errorf("text = %q, want it to contain %q", it.Text, tc.textHas)
			}
			if it.Summary != tc.summary {
				t.Errorf("summary = %q, want %q", it.Summary, tc.summary)
			}
			if it.URL != tc.url {
				t.Errorf("url = %q, want %q", it.URL, tc.url)
			}
			checkTime(t, "published", it.Published, tc.published)
			checkTime(t, "updated", it.Updated, tc.updated)
			if it.Language != tc.language {
				t.Errorf("language = %q, want %q", it.Language, tc.language)
			}
			if it.Windows != nil || it.Products != nil || it.Status != "" {
				t.Errorf("plain feed item got structured data: %+v %+v %q", it.Windows, it.Products, it.Status)
			}
			var raw map[string]any
			if err := json.Unmarshal(it.Raw, &raw); err != nil || raw["title"] == nil {
				t.Errorf("raw = %s (%v), want the gofeed item as JSON", it.Raw, err)
			}
		})
	}
}

// checkTime compares a time with an RFC 3339 expectation ("" for zero).
func checkTime(t *testing.T, name string, got time.Time, want string) {
	t.Helper()
	if want == "" {
		if !got.IsZero() {
			t.Errorf("%s = %v, want zero", name, got)
		}
		return
	}
	if !got.Equal(mustTime(t, want)) || got.Location() != time.UTC {
		t.Errorf("%s = %v, want %s UTC", name, got, want)
	}
}

func TestParseFeedLanguage(t *testing.T) {
	body := readParseFixture(t, "atom10.xml") // xml:lang="en-GB"
	items, err := ParseFeed(body, notice.Source{Name: "s", Language: "de"})
	if err != nil {
		t.Fatal(err)
	}
	if items[0].Language != "de" {
		t.Errorf("source language should win, got %q", items[0].Language)
	}
	items, err = ParseFeed(readParseFixture(t, "latin1_fr.xml"), notice.Source{Name: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if items[0].Language != "fr" {
		t.Errorf("feed language fr-FR should give fr, got %q", items[0].Language)
	}
}

func TestParseFeedLatin1(t *testing.T) {
	items, err := ParseFeed(readParseFixture(t, "latin1_fr.xml"), notice.Source{Name: "hebergix", Timezone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("got %d items", len(items))
	}
	it := items[0]
	if it.Title != "Incident réseau à Marseille : dégradation de la messagerie" {
		t.Errorf("title = %q", it.Title)
	}
	for _, want := range []string{"7 février, de 14h10 à 16h35", "a été dégradée", "Aucune donnée n'a été perdue ; les courriels reçus"} {
		if !strings.Contains(it.Text, want) {
			t.Errorf("text %q lacks %q", it.Text, want)
		}
	}
	if !strings.Contains(items[1].Text, "Équipe d'exploitation") {
		t.Errorf("text %q lacks the capital É", items[1].Text)
	}
	for _, it := range items {
		if !utf8.ValidString(it.Title + it.Text) {
			t.Errorf("%s: not valid UTF-8", it.ItemID)
		}
	}
	checkTime(t, "published", it.Published, "2024-02-07T17:40:00Z")
}

func TestParseFeedZonelessDates(t *testing.T) {
	feed := func(date string) []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>` +
			`<item><title>x</title><guid>g</guid><pubDate>` + date + `</pubDate><description>d</description></item></channel></rss>`)
	}
	tests := []struct {
		name, date, tz, want string
	}{
		{"no zone, source in Paris (summer)", "Mon, 09 Sep 2024 14:30:00", "Europe/Paris", "2024-09-09T12:30:00Z"},
		{"no zone, source in Paris (winter)", "Mon, 09 Dec 2024 14:30:00", "Europe/Paris", "2024-12-09T13:30:00Z"},
		{"no zone, no source zone: UTC", "Mon, 09 Sep 2024 14:30:00", "", "2024-09-09T14:30:00Z"},
		{"explicit offset wins over source zone", "Mon, 09 Sep 2024 14:30:00 -0400", "Europe/Paris", "2024-09-09T18:30:00Z"},
		{"named zone wins over source zone", "Mon, 09 Sep 2024 14:30:00 GMT", "Europe/Paris", "2024-09-09T14:30:00Z"},
		{"US zone abbreviation", "Fri, 10 Feb 2023 15:48:00 PST", "Europe/Paris", "2023-02-10T23:48:00Z"},
		{"zone abbreviation gofeed does not know", "Tue, 10 Sep 2024 09:00:00 JST", "", "2024-09-10T00:00:00Z"},
		{"Australian summer time", "Tue, 10 Dec 2024 09:00:00 AEDT", "", "2024-12-09T22:00:00Z"},
		{"Newfoundland half hour", "Tue, 10 Sep 2024 09:00:00 NDT", "", "2024-09-10T11:30:00Z"},
		{"two-digit year with a zone name", "Thu, 13 Aug 26 12:00:00 EDT", "", "2026-08-13T16:00:00Z"},
		{"ISO without zone in Tokyo", "2024-09-09T14:30:00", "Asia/Tokyo", "2024-09-09T05:30:00Z"},
		{"ISO with Z", "2024-09-09T14:30:00Z", "Asia/Tokyo", "2024-09-09T14:30:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, err := ParseFeed(feed(tc.date), notice.Source{Name: "s", Timezone: tc.tz})
			if err != nil {
				t.Fatal(err)
			}
			checkTime(t, "published", items[0].Published, tc.want)
		})
	}
}

func TestHasExplicitZone(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Mon, 02 Jan 2006 15:04:05 -0700", true},
		{"Mon, 02 Jan 2006 15:04:05 +01:00", true},
		{"Mon, 02 Jan 2006 15:04:05 GMT", true},
		{"Thu, 23 Jul 2026 16:29:09 Z", true},
		{"2006-01-02T15:04:05Z", true},
		{"2006-01-02T15:04:05.123z", true},
		{"2006-01-02T15:04:05+05:30", true},
		{"Mon, 02 Jan 2006 15:04:05", false},
		{"2006-01-02T15:04:05", false},
		{"2006-01-02", false},
		{"02 Jan 2006", false},
		{"Jan 2, 2006 3:04 PM", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := hasExplicitZone(tc.in); got != tc.want {
				t.Errorf("hasExplicitZone(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseFeedErrors(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		src  notice.Source
	}{
		{"html page instead of a feed", readParseFixture(t, "not_a_feed.html"), notice.Source{Name: "s"}},
		{"truncated xml", readParseFixture(t, "broken.xml"), notice.Source{Name: "s"}},
		{"empty body", nil, notice.Source{Name: "s"}},
		{"whitespace only", []byte(" \n\t "), notice.Source{Name: "s"}},
		{"json that is not a json feed", []byte(`{"incidents":[]}`), notice.Source{Name: "s"}},
		{"bad closing tag", []byte(`<rss version="2.0"><channel><item><title>a</ti&tle></item></channel></rss>`), notice.Source{Name: "s"}},
		{"plain text", []byte("Service is operating normally."), notice.Source{Name: "s"}},
		{"unknown source timezone", readParseFixture(t, "rss20.xml"), notice.Source{Name: "s", Timezone: "Mars/Olympus"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, err := ParseFeed(tc.body, tc.src)
			if err == nil {
				t.Fatalf("want an error, got %d items", len(items))
			}
			if items != nil || !strings.HasPrefix(err.Error(), "parse feed: ") {
				t.Errorf("items %v, err %q", items, err)
			}
		})
	}
	_, err := ParseFeed([]byte(`{"version":"1"}`), notice.Source{})
	if !errors.Is(err, errNotJSONFeed) {
		t.Errorf("err = %v, want errNotJSONFeed in the chain", err)
	}
}

func TestParseFeedEmptyChannelIsNotAnError(t *testing.T) {
	// Azure's status feed is an empty channel while all is well.
	body := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Azure Status</title><link>https://azure.status.example/</link></channel></rss>`)
	items, err := ParseFeed(body, notice.Source{Name: "azure"})
	if err != nil || len(items) != 0 {
		t.Errorf("got %d items, err %v; want none and no error", len(items), err)
	}
}

func TestParseFeedItemIdentity(t *testing.T) {
	items, err := ParseFeed(readParseFixture(t, "rss20.xml"), notice.Source{Name: "nimbus"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ItemID)
	}
	want := []string{
		"nimbus-news-4711", // guid; its repeat later in the feed is folded in
		"nimbus-news-4705",
		"https://news.nimbus-hosting.example/2024/09/object-storage-5xx", // no guid: link
		hashItemID("Weekly maintenance digest", "Thu, 05 Sep 2024 07:00:00 +0200"),
	}
	if strings.Join(ids, "|") != strings.Join(want, "|") {
		t.Errorf("ids = %q, want %q", ids, want)
	}
	// The repeated guid keeps the later, more complete copy.
	dup := itemByID(t, items, "nimbus-news-4711")
	if !strings.Contains(dup.Text, "fully backfilled by 16:05 UTC") || !strings.HasSuffix(dup.Title, "(updated)") {
		t.Errorf("duplicate guid kept the wrong copy: %q / %q", dup.Title, dup.Text)
	}
	// The hash identity ignores the description, so an edited body keeps it.
	again, err := ParseFeed([]byte(strings.Replace(string(readParseFixture(t, "rss20.xml")),
		"No maintenance is planned this week.", "One maintenance is planned.", 1)), notice.Source{Name: "nimbus"})
	if err != nil || again[3].ItemID != want[3] {
		t.Errorf("hash id changed with the body: %v %v", again[3].ItemID, err)
	}
}

func TestParseFeedDuplicateKeepsNewerCopy(t *testing.T) {
	body := []byte(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><id>urn:x:1</id><title>Newer</title><updated>2024-03-02T10:00:00Z</updated><content>Short.</content></entry>
<entry><id>urn:x:2</id><title>Other</title><updated>2024-03-01T10:00:00Z</updated><content>Other.</content></entry>
<entry><id>urn:x:1</id><title>Older</title><updated>2024-03-01T09:00:00Z</updated><content>A much longer but older text.</content></entry>
</feed>`)
	items, err := ParseFeed(body, notice.Source{Name: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].ItemID != "urn:x:1" || items[0].Title != "Newer" || items[1].ItemID != "urn:x:2" {
		t.Errorf("got %+v", items)
	}
}
