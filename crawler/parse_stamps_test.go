package crawler

import (
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

func TestParseFeedStatuspageHistory(t *testing.T) {
	tests := []struct {
		file        string
		id          string
		start, end  string // end "" = open
		status      string
		maintenance bool
		textPrefix  string
	}{
		// CET page, history.rss.
		{"statuspage_history.rss", "https://status.brightchat.example/incidents/k2m9v7q4xw1z",
			"2023-04-03T08:57:00Z", "", "update", false,
			"Update - We are still seeing a backlog of push notifications on Android devices.\nMessages themselves are delivered normally.\n\nInvestigating - We are"},
		{"statuspage_history.rss", "https://status.brightchat.example/incidents/m4t7c1p0r8sd", // starts at "In progress", not at the announcement
			"2023-03-28T20:00:00Z", "2023-03-28T23:30:00Z", "completed", true,
			"Completed - The scheduled maintenance has been completed.\n\nIn progress - "},
		{"statuspage_history.rss", "https://status.brightchat.example/incidents/x8b3n6d2f5ga", // crosses midnight
			"2023-03-14T22:40:00Z", "2023-03-15T00:10:00Z", "resolved", false,
			"Resolved - This incident has been resolved. Messages queued"},
		{"statuspage_history.rss", "https://status.brightchat.example/incidents/p1q2w3e4r5t6", // space-padded day
			"2023-02-09T13:05:00Z", "2023-02-09T13:52:00Z", "resolved", false, "Resolved - This incident has been resolved.\n\nInvestigating - Some users"},
		{"statuspage_history.rss", "https://status.brightchat.example/incidents/z9y8x7w6v5u4", // crosses New Year
			"2022-12-31T21:50:00Z", "2023-01-01T01:05:00Z", "resolved", false, "Resolved - "},
		// UTC/PST page, history.atom.
		{"statuspage_history.atom", "tag:status.kitestore.example,2005:Incident/8800112", // announced, not started: the announced range
			"2024-01-14T23:00:00Z", "2024-01-15T01:00:00Z", "scheduled", true,
			"THIS IS A SCHEDULED EVENT Jan 14, 23:00 - 01:00 UTC\n\nScheduled - We will migrate"},
		{"statuspage_history.atom", "tag:status.kitestore.example,2005:Incident/8799001", // postmortem after resolution
			"2023-12-20T08:58:00Z", "2023-12-20T09:40:00Z", "postmortem", false, "Postmortem - A faulty CDN"},
		{"statuspage_history.atom", "tag:status.kitestore.example,2005:Incident/8790456",
			"2023-12-01T01:55:00Z", "2023-12-01T18:15:00Z", "resolved", false, "Resolved - "},
		{"statuspage_history.atom", "tag:status.kitestore.example,2005:Incident/8700001", // crosses New Year in UTC
			"2022-12-31T23:20:00Z", "2023-01-01T00:35:00Z", "resolved", false, "Resolved - "},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			items, err := ParseFeed(readParseFixture(t, tc.file), notice.Source{Name: "h", Vendor: "V"})
			if err != nil {
				t.Fatal(err)
			}
			it := itemByID(t, items, tc.id)
			checkWindow(t, it, tc.start, tc.end)
			if it.Status != tc.status || it.Maintenance != tc.maintenance {
				t.Errorf("status/maintenance = %q/%v, want %q/%v", it.Status, it.Maintenance, tc.status, tc.maintenance)
			}
			if !strings.HasPrefix(it.Text, tc.textPrefix) {
				t.Errorf("text = %q, want prefix %q", it.Text, tc.textPrefix)
			}
			if strings.Contains(it.Text, "data-var") || it.Summary != "" {
				t.Errorf("text %q / summary %q", it.Text, it.Summary)
			}
		})
	}
}

func TestStampTime(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	ref := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name     string
		stamp    string
		ref      time.Time
		fallback *time.Location
		want     string // "" = unreadable
	}{
		{"same month", "Dec 9, 14:05 CET", ref("2021-12-10T08:00:00+01:00"), nil, "2021-12-09T13:05:00Z"},
		{"padded day", "Feb  9, 16:57 UTC", ref("2021-02-09T16:57:17Z"), nil, "2021-02-09T16:57:00Z"},
		{"later month is last year", "Dec 31, 22:50 CET", ref("2023-01-01T02:05:11+01:00"), nil, "2022-12-31T21:50:00Z"},
		{"pubDate month read in the stamp's zone", "Jan 1, 00:10 CET", ref("2022-12-31T23:30:00Z"), nil, "2022-12-31T23:10:00Z"},
		{"summer time", "Jul 4, 09:00 CEST", ref("2023-07-05T00:00:00Z"), nil, "2023-07-04T07:00:00Z"},
		{"US daylight time", "Mar 14, 08:41 PDT", ref("2023-03-14T16:00:00Z"), nil, "2023-03-14T15:41:00Z"},
		{"numeric offset", "Sep 3, 10:00 +03", ref("2023-09-03T12:00:00Z"), nil, "2023-09-03T07:00:00Z"},
		{"numeric offset with minutes", "Sep 3, 10:00 +0530", ref("2023-09-03T12:00:00Z"), nil, "2023-09-03T04:30:00Z"},
		{"unknown zone uses the source zone", "Jun 2, 10:00 XYZ", ref("2023-06-02T12:00:00Z"), paris, "2023-06-02T08:00:00Z"},
		{"unknown zone without source zone uses the pubDate offset", "Jun 2, 10:00 XYZ", ref("2023-06-02T12:00:00-05:00"), nil, "2023-06-02T15:00:00Z"},
		{"no zone", "Jun 2, 10:00", ref("2023-06-02T12:00:00Z"), paris, "2023-06-02T08:00:00Z"},
		{"year in stamp", "Dec 9, 2020 - 14:05 UTC", ref("2023-01-01T00:00:00Z"), nil, "2020-12-09T14:05:00Z"},
		{"full month name", "September 3, 10:00 UTC", ref("2023-09-03T12:00:00Z"), nil, "2023-09-03T10:00:00Z"},
		{"impossible date", "Feb 30, 10:00 UTC", ref("2023-03-01T00:00:00Z"), nil, ""},
		{"impossible hour", "Feb 3, 24:10 UTC", ref("2023-03-01T00:00:00Z"), nil, ""},
		{"unknown month", "Foo 3, 10:00 UTC", ref("2023-03-01T00:00:00Z"), nil, ""},
		{"no pubDate, no year", "Feb 3, 10:00 UTC", time.Time{}, nil, ""},
		{"not a stamp", "yesterday", ref("2023-03-01T00:00:00Z"), nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := stampClock{ref: tc.ref, fallback: tc.fallback}.stampTime(tc.stamp)
			if tc.want == "" {
				if ok {
					t.Errorf("got %v, want unreadable", got)
				}
				return
			}
			if !ok || !got.Equal(mustTime(t, tc.want)) || got.Location() != time.UTC {
				t.Errorf("got %v (%v), want %s UTC", got, ok, tc.want)
			}
		})
	}
}

func TestScheduledRange(t *testing.T) {
	tests := []struct {
		name, text, ref, start, end string
	}{
		{"same day", "Apr 7, 13:00 - 15:00 UTC", "2026-03-16T07:27:49Z", "2026-04-07T13:00:00Z", "2026-04-07T15:00:00Z"},
		{"past midnight", "Jan 14, 23:00 - 01:00 UTC", "2023-12-29T16:20:31Z", "2024-01-14T23:00:00Z", "2024-01-15T01:00:00Z"},
		{"two dates", "Mar 18, 21:00 CET - Mar 20, 06:00 CET", "2024-03-01T00:00:00Z", "2024-03-18T20:00:00Z", "2024-03-20T05:00:00Z"},
		{"zone on the end only", "Nov 7, 03:00 - 07:00 EST", "2021-11-02T12:00:00Z", "2021-11-07T08:00:00Z", "2021-11-07T12:00:00Z"},
		{"past announcement", "Dec 28, 10:00 - 11:00 UTC", "2024-01-03T00:00:00Z", "2023-12-28T10:00:00Z", "2023-12-28T11:00:00Z"},
		{"unreadable", "soon", "2024-01-03T00:00:00Z", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, ok := stampClock{ref: mustTime(t, tc.ref)}.scheduledRange(tc.text)
			if tc.start == "" {
				if ok {
					t.Errorf("got %+v, want none", w)
				}
				return
			}
			if !ok {
				t.Fatal("no window")
			}
			if !w.Start.Equal(mustTime(t, tc.start)) || w.End == nil || !w.End.Equal(mustTime(t, tc.end)) {
				t.Errorf("got %v – %v, want %s – %s", w.Start, w.End, tc.start, tc.end)
			}
			if w.Validate() != nil || !strings.Contains(w.Evidence, tc.text) {
				t.Errorf("window %+v", w)
			}
		})
	}
}

// historyHTML builds a history entry from (month day, time zone, status,
// body) updates, newest first.
func historyHTML(updates ...[4]string) string {
	var b strings.Builder
	for _, u := range updates {
		md := strings.SplitN(u[0], " ", 2)
		tz := strings.SplitN(u[1], " ", 2)
		b.WriteString("<p><small>" + md[0] + " <var data-var='date'>" + md[1] + "</var>, <var data-var='time'>" + tz[0] + "</var> " + tz[1] +
			"</small><br><strong>" + u[2] + "</strong> - " + u[3] + "</p>")
	}
	return b.String()
}

func TestHistoryWindowRules(t *testing.T) {
	ref := mustTime(t, "2024-06-10T12:00:00Z")
	tests := []struct {
		name       string
		html       string
		start, end string // start "" = no window; end "" = open
	}{
		{"reopened after resolution is open",
			historyHTML([4]string{"Jun 10", "11:00 UTC", "Investigating", "It is back."},
				[4]string{"Jun 10", "10:00 UTC", "Resolved", "Resolved."},
				[4]string{"Jun 10", "09:00 UTC", "Investigating", "Broken."}),
			"2024-06-10T09:00:00Z", ""},
		{"resolved again after reopening",
			historyHTML([4]string{"Jun 10", "11:30 UTC", "Resolved", "Done."},
				[4]string{"Jun 10", "11:00 UTC", "Identified", "Cause found."},
				[4]string{"Jun 10", "10:00 UTC", "Resolved", "Resolved."},
				[4]string{"Jun 10", "09:00 UTC", "Investigating", "Broken."}),
			"2024-06-10T09:00:00Z", "2024-06-10T11:30:00Z"},
		{"single resolved stamp gives no window",
			historyHTML([4]string{"Jun 10", "10:00 UTC", "Resolved", "From 08:00 to 09:30 UTC uploads failed."}), "", ""},
		{"announced maintenance without range gives no window",
			historyHTML([4]string{"Jun 1", "10:00 UTC", "Scheduled", "Maintenance next week."}), "", ""},
		{"unreadable stamps are skipped",
			historyHTML([4]string{"Jun 10", "10:30 UTC", "Resolved", "Done."},
				[4]string{"Jun 99", "09:00 UTC", "Update", "Garbled."},
				[4]string{"Jun 10", "09:15 UTC", "Investigating", "Broken."}),
			"2024-06-10T09:15:00Z", "2024-06-10T10:30:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, ok := parseStatuspageHistory(tc.html, stampClock{ref: ref})
			if !ok {
				t.Fatal("no updates found")
			}
			w, ok := h.window()
			if tc.start == "" {
				if ok {
					t.Errorf("got %+v, want no window", w)
				}
				return
			}
			it := notice.Item{ItemID: tc.name, Windows: windowList(w, ok)}
			checkWindow(t, it, tc.start, tc.end)
		})
	}
}

func TestParseStatuspageHistoryIgnoresOrdinaryHTML(t *testing.T) {
	for _, s := range []string{
		"<p><small>Posted by the team</small><br><strong>Note</strong> - nothing dated here.</p>",
		"<p>Plain news item.</p>",
		"",
	} {
		if h, ok := parseStatuspageHistory(s, stampClock{ref: mustTime(t, "2024-01-01T00:00:00Z")}); ok {
			t.Errorf("%q: found updates %+v", s, h.updates)
		}
	}
}

// TestParseStatuspageHistoryBoundsInput: only the first maxHistoryInput
// bytes are read, so the patterns' cost per byte is bounded per item; an
// update placed past the cut is not seen.
func TestParseStatuspageHistoryBoundsInput(t *testing.T) {
	first := historyHTML([4]string{"Jun 10", "09:00 UTC", "Investigating", "Broken."})
	late := historyHTML([4]string{"Jun 10", "10:30 UTC", "Resolved", "Done."})
	clock := stampClock{ref: mustTime(t, "2024-06-10T12:00:00Z")}
	pad := func(n int) string { return strings.Repeat("<p>filler text</p>", n/18+1) }
	for _, tc := range []struct {
		name    string
		html    string
		updates int
	}{
		{"within the cap", first + pad(maxHistoryInput/2) + late, 2},
		{"past the cap", first + pad(maxHistoryInput) + late, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, ok := parseStatuspageHistory(tc.html, clock)
			if !ok || len(h.updates) != tc.updates {
				t.Fatalf("found %d updates (ok %v), want %d", len(h.updates), ok, tc.updates)
			}
		})
	}
}

func TestParseFeedHistoryUnknownZoneUsesPubDateOffset(t *testing.T) {
	desc := historyHTML([4]string{"Jun 10", "10:30 WITA", "Resolved", "Done."},
		[4]string{"Jun 10", "09:00 WITA", "Investigating", "Broken."})
	body := `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>t</title>` +
		`<guid>https://status.x.example/incidents/1</guid><pubDate>Mon, 10 Jun 2024 10:30:00 +0800</pubDate>` +
		`<description><![CDATA[` + desc + `]]></description></item></channel></rss>`
	tests := []struct {
		name, tz, start, end string
	}{
		{"pubDate offset", "", "2024-06-10T01:00:00Z", "2024-06-10T02:30:00Z"},
		{"source zone wins", "Asia/Tokyo", "2024-06-10T00:00:00Z", "2024-06-10T01:30:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items, err := ParseFeed([]byte(body), notice.Source{Name: "x", Timezone: tc.tz})
			if err != nil {
				t.Fatal(err)
			}
			checkWindow(t, items[0], tc.start, tc.end)
		})
	}
}
