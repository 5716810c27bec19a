package extract

import (
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// want is one expected window; end "" means open (ongoing).
type want struct {
	start, end string
	prec       notice.Precision
}

func ts(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("bad time %q: %v", s, err)
	}
	return v
}

func checkWindows(t *testing.T, text string, got []notice.Window, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d windows %s, want %d", len(got), fmtWindows(got), len(wants))
	}
	for i, w := range wants {
		g := got[i]
		if !g.Start.Equal(ts(t, w.start)) {
			t.Errorf("window %d start = %s, want %s", i, g.Start.Format(time.RFC3339), w.start)
		}
		switch {
		case w.end == "" && g.End != nil:
			t.Errorf("window %d end = %s, want open", i, g.End.Format(time.RFC3339))
		case w.end != "" && g.End == nil:
			t.Errorf("window %d end = open, want %s", i, w.end)
		case w.end != "" && !g.End.Equal(ts(t, w.end)):
			t.Errorf("window %d end = %s, want %s", i, g.End.Format(time.RFC3339), w.end)
		}
		if g.Precision != w.prec {
			t.Errorf("window %d precision = %s, want %s", i, g.Precision, w.prec)
		}
		if g.Origin != notice.OriginText || !strings.Contains(text, g.Evidence) || g.Evidence == "" {
			t.Errorf("window %d evidence %q origin %q: not a substring of the text", i, g.Evidence, g.Origin)
		}
	}
}

func fmtWindows(ws []notice.Window) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString("[" + w.Start.Format(time.RFC3339) + " .. ")
		if w.End != nil {
			b.WriteString(w.End.Format(time.RFC3339))
		} else {
			b.WriteString("open")
		}
		b.WriteString(" " + string(w.Precision) + " " + w.Evidence + "] ")
	}
	return b.String()
}

type windowCase struct {
	name  string
	text  string
	hints WindowHints
	want  []want
}

func runCases(t *testing.T, cases []windowCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkWindows(t, c.text, ExtractWindows(c.text, c.hints), c.want)
		})
	}
}

func pub(s string) time.Time {
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestExtractWindowsEnglish(t *testing.T) {
	runCases(t, []windowCase{
		{"full dates both ends", "Between 08:51 UTC on 14 March 2024 and 15:30 UTC on 15 March 2024, customers saw errors.",
			WindowHints{}, []want{{"2024-03-14T08:51:00Z", "2024-03-15T15:30:00Z", notice.PrecisionMinute}}},
		{"date from publication", "Between 12:15 PM and 12:21 PM PDT some requests failed.",
			WindowHints{Published: pub("2024-06-12T20:30:00Z")}, []want{{"2024-06-12T19:15:00Z", "2024-06-12T19:21:00Z", notice.PrecisionMinute}}},
		{"publication in the next UTC day", "Between 11:00 AM and 6:00 PM PDT, some customers received wrong alerts.",
			WindowHints{Published: pub("2022-06-16T01:15:54Z")}, []want{{"2022-06-15T18:00:00Z", "2022-06-16T01:00:00Z", notice.PrecisionMinute}}},
		{"zone and date after range", "Errors occurred from 10:21 to 13:05 PDT on June 12.",
			WindowHints{Published: pub("2024-06-20T00:00:00Z")}, []want{{"2024-06-12T17:21:00Z", "2024-06-12T20:05:00Z", notice.PrecisionMinute}}},
		{"crossing midnight", "On July 18, 2024, from 22:37 UTC to 04:47 UTC, Codespaces failed to start.",
			WindowHints{}, []want{{"2024-07-18T22:37:00Z", "2024-07-19T04:47:00Z", notice.PrecisionMinute}}},
		{"two windows in one sentence", "Between 8:59 AM and 9:32 AM PST and between 9:40 AM and 10:16 AM PST we observed packet loss.",
			WindowHints{Published: pub("2021-12-24T18:41:17Z")}, []want{
				{"2021-12-24T16:59:00Z", "2021-12-24T17:32:00Z", notice.PrecisionMinute},
				{"2021-12-24T17:40:00Z", "2021-12-24T18:16:00Z", notice.PrecisionMinute}}},
		{"US numeric date", "On 4/18/22 between 10:00 and 11:30 UTC the API returned errors.",
			WindowHints{}, []want{{"2022-04-18T10:00:00Z", "2022-04-18T11:30:00Z", notice.PrecisionMinute}}},
		{"duration gives the end", "The outage began at 14:00 UTC on 3 May 2024, lasting 7 hours 3 minutes.",
			WindowHints{}, []want{{"2024-05-03T14:00:00Z", "2024-05-03T21:03:00Z", notice.PrecisionMinute}}},
		{"approximate start and duration", "The outage began at around 6 a.m. ET on June 8, 2021 and sites were down for an hour.",
			WindowHints{}, []want{{"2021-06-08T10:00:00Z", "2021-06-08T11:00:00Z", notice.PrecisionHour}}},
		{"began and ended with declared zone", "Incident began at 2020-12-09 18:31 and ended at 2020-12-09 19:55 (all times are US/Pacific).",
			WindowHints{}, []want{{"2020-12-10T02:31:00Z", "2020-12-10T03:55:00Z", notice.PrecisionMinute}}},
		{"start and end labels", "Start Time: Friday, February 26, 2021, at 06:43 UTC\nEnd Time: Friday, February 26, 2021, at 20:42 UTC\n",
			WindowHints{}, []want{{"2021-02-26T06:43:00Z", "2021-02-26T20:42:00Z", notice.PrecisionMinute}}},
		{"ongoing since", "Since 09:30 UTC on 5 March 2024 some users cannot sign in. We are still investigating.",
			WindowHints{}, []want{{"2024-03-05T09:30:00Z", "", notice.PrecisionMinute}}},
		{"start cue and later resolution", "At 2:35pm PT on September 7th, we received reports that emails were failing. At 4:55pm PT, we deployed an update that fixed the problem.",
			WindowHints{Published: pub("2018-09-08T01:34:15Z")}, []want{{"2018-09-07T21:35:00Z", "2018-09-07T23:55:00Z", notice.PrecisionMinute}}},
		{"restatement in another zone is one window", "Beginning at 10:51 PDT (1:51 PM EDT) on June 12, 2025, the outage lasted until 18:18 PDT (9:18 PM EDT).",
			WindowHints{}, []want{{"2025-06-12T17:51:00Z", "2025-06-13T01:18:00Z", notice.PrecisionMinute}}},
		{"same window twice is one", "Between 02:50 and 10:37 UTC on 27 Oct 2018, deployments failed. Summary: from 02:50 to 10:37 UTC on 27 Oct 2018 deployments failed.",
			WindowHints{}, []want{{"2018-10-27T02:50:00Z", "2018-10-27T10:37:00Z", notice.PrecisionMinute}}},
		{"day range with year on the end", "The attacker had access between September 29 and October 17, 2023.",
			WindowHints{}, []want{{"2023-09-29T00:00:00Z", "2023-10-17T00:00:00Z", notice.PrecisionDay}}},
		{"local time without a place is skipped", "The maintenance runs between 07:00 and 11:00 UTC on November 19, 2025, that is 02:00 to 06:00 local time.",
			WindowHints{}, []want{{"2025-11-19T07:00:00Z", "2025-11-19T11:00:00Z", notice.PrecisionMinute}}},
	})
}

func TestExtractWindowsNotWindows(t *testing.T) {
	runCases(t, []windowCase{
		{"next update", "We are investigating elevated errors. We will provide an update by 15:00 UTC.", WindowHints{}, nil},
		{"publication stamp", "Posted Jul 23, 2018 - 13:33 EDT", WindowHints{}, nil},
		{"update stamp in French", "[Mise à jour le mercredi 10 mars 2021 à 12h07] Les équipes enquêtent.", WindowHints{}, nil},
		{"earlier events for context", "Gmail had already failed in January 2020. In December 2020 Google suffered a 30 minute outage.", WindowHints{}, nil},
		{"planned fix", "A hotfix will be deployed at approximately 10:00pm US Pacific Time on September 23, 2024.", WindowHints{}, nil},
		{"versions and addresses", "Sensor 7.11 and resolver 1.1.1.1 are affected.", WindowHints{}, nil},
	})
}

func TestExtractWindowsOtherLanguages(t *testing.T) {
	runCases(t, []windowCase{
		{"fr entre le et le", "La panne a duré entre le 2 et le 19 septembre.",
			WindowHints{Language: "fr", Published: pub("2024-10-01T08:00:00Z")}, []want{{"2024-09-02T00:00:00Z", "2024-09-19T00:00:00Z", notice.PrecisionDay}}},
		{"fr du au, previous year", "Le service a été perturbé du 2 au 19 septembre.",
			WindowHints{Language: "fr", Published: pub("2024-03-01T08:00:00Z")}, []want{{"2023-09-02T00:00:00Z", "2023-09-19T00:00:00Z", notice.PrecisionDay}}},
		{"fr nuit du au", "L'incendie s'est déclaré dans la nuit du 9 au 10 mars, à 00h47.",
			WindowHints{Language: "fr", Published: pub("2021-03-10T11:07:00Z")}, []want{{"2021-03-09T23:47:00Z", "", notice.PrecisionMinute}}},
		{"fr depuis heures", "De nombreux utilisateurs de Gmail n'ont pas pu se connecter depuis 7 heures environ, ce jeudi 20 août.",
			WindowHints{Language: "fr", Published: pub("2020-08-20T09:02:00Z")}, []want{{"2020-08-20T05:00:00Z", "", notice.PrecisionHour}}},
		{"de date and time", "Die Störung begann am 18. April 2022, 23:57 UTC und dauerte bis 19. April 2022, 02:10 UTC.",
			WindowHints{Language: "de"}, []want{{"2022-04-18T23:57:00Z", "2022-04-19T02:10:00Z", notice.PrecisionMinute}}},
		{"de night to weekday", "Die Störung begann in der Nacht zum Dienstag (29.09.) gegen 2 Uhr.",
			WindowHints{Language: "de", Published: pub("2020-09-29T10:00:00Z")}, []want{{"2020-09-29T00:00:00Z", "", notice.PrecisionHour}}},
		{"es hora peninsular", "Los primeros fallos aparecieron hacia las 08:40 (hora peninsular) del lunes 20 de octubre de 2025 y el servicio se restableció a las 13:08.",
			WindowHints{Language: "es"}, []want{{"2025-10-20T06:40:00Z", "2025-10-20T11:08:00Z", notice.PrecisionMinute}}},
		{"es entre las y las", "El primer incidente ocurrió el 17 de noviembre de 2025 entre las 16:52 y las 19:08 UTC.",
			WindowHints{Language: "es"}, []want{{"2025-11-17T16:52:00Z", "2025-11-17T19:08:00Z", notice.PrecisionMinute}}},
		{"it dalle alle", "Il servizio è rimasto bloccato dalle 17:45 del 26 gennaio 2024 alle 6:53 del 27 gennaio.",
			WindowHints{Language: "it"}, []want{{"2024-01-26T16:45:00Z", "2024-01-27T05:53:00Z", notice.PrecisionMinute}}},
		{"zh range with offset", "2024年5月6日 20:23 至 21:56 (UTC+8)，部分用户无法访问控制台。",
			WindowHints{Language: "zh"}, []want{{"2024-05-06T12:23:00Z", "2024-05-06T13:56:00Z", notice.PrecisionMinute}}},
		{"zh beijing time full-width colon", "事件总结：北京时间2016/4/16 11：45到15:10，用户无法打开管理门户。",
			WindowHints{Language: "zh"}, []want{{"2016-04-16T03:45:00Z", "2016-04-16T07:10:00Z", notice.PrecisionMinute}}},
		{"ja nihon jikan", "日本時間2024年1月10日午前9時から午前11時30分まで、一部のサービスで障害が発生しました。",
			WindowHints{Language: "ja"}, []want{{"2024-01-10T00:00:00Z", "2024-01-10T02:30:00Z", notice.PrecisionHour}}},
		{"ko pacific standard time", "태평양 표준시 (PST) 기준 오전 3시 32분에서 오전 3시 54분사이에 연결 문제가 발생했습니다.",
			WindowHints{Language: "ko", Published: pub("2022-02-06T12:29:56Z")}, []want{{"2022-02-06T11:32:00Z", "2022-02-06T11:54:00Z", notice.PrecisionMinute}}},
		{"ko evening and minutes", "오늘(25년 12월 5일 저녁 6시경) 클라우드플레어 장애가 발생했습니다. 약 16분만에 복구되었습니다.",
			WindowHints{Language: "ko", Published: pub("2025-12-05T12:00:00Z")}, []want{{"2025-12-05T09:00:00Z", "2025-12-05T09:16:00Z", notice.PrecisionHour}}},
	})
}

func TestExtractWindowsZones(t *testing.T) {
	runCases(t, []windowCase{
		{"CST is China for Azure China", "Between 11:45 and 15:10 CST on 16 Apr 2016 customers could not reach the portal.",
			WindowHints{Vendor: "Microsoft Azure operated by 21Vianet"}, []want{{"2016-04-16T03:45:00Z", "2016-04-16T07:10:00Z", notice.PrecisionMinute}}},
		{"CST is US Central otherwise", "Between 11:45 and 15:10 CST on 16 Jan 2016 customers could not reach the portal.",
			WindowHints{Vendor: "Example"}, []want{{"2016-01-16T17:45:00Z", "2016-01-16T21:10:00Z", notice.PrecisionMinute}}},
		{"IST is India", "As of 1:40 PM Indian Standard Time on June 21, 2022 the issue has been resolved. It was declared at 06:34 AM UTC as an incident.",
			WindowHints{}, []want{{"2022-06-21T06:34:00Z", "2022-06-21T08:10:00Z", notice.PrecisionMinute}}},
		{"EST in summer means Eastern time", "La panne a démarré à 10h31 EST le jeudi 15 septembre 2022 et a duré pendant plus d'une heure.",
			WindowHints{Language: "fr"}, []want{{"2022-09-15T14:31:00Z", "2022-09-15T15:31:00Z", notice.PrecisionMinute}}},
		{"zone-less time uses the language default", "Gmail est en panne depuis 13h30, ce lundi 27 février 2023.",
			WindowHints{Language: "fr"}, []want{{"2023-02-27T12:30:00Z", "", notice.PrecisionMinute}}},
		{"explicit hint zone", "The outage began at 09:00 on 1 July 2024 and was resolved at 10:15 on 1 July 2024.",
			WindowHints{Timezone: "Asia/Tokyo"}, []want{{"2024-07-01T00:00:00Z", "2024-07-01T01:15:00Z", notice.PrecisionMinute}}},
	})
}

func TestExtractWindowsStatusLog(t *testing.T) {
	text := "Dec 20, 09:42 CET\nResolved - This incident has been resolved.\n" +
		"Dec 17, 17:14 CET\nMonitoring - Uploads should work again.\n" +
		"Dec 17, 13:38 CET\nInvestigating - We have received reports of upload errors.\n"
	runCases(t, []windowCase{
		{"statuspage stamps without a year", text, WindowHints{Published: pub("2021-12-20T08:42:32Z")},
			[]want{{"2021-12-17T12:38:00Z", "2021-12-20T08:42:00Z", notice.PrecisionMinute}}},
		{"timeline with duration", "The outage lasted for 1 hour and 15 minutes.\n03:56 UTC: We deploy the change.\n06:27: The change reaches the spines. This is when the incident started.\n09:00: Incident closed.\n",
			WindowHints{Published: pub("2022-06-21T00:00:00Z")}, []want{{"2022-06-21T06:27:00Z", "2022-06-21T07:42:00Z", notice.PrecisionMinute}}},
	})
}

func TestExtractWindowsNeverInverted(t *testing.T) {
	ws := ExtractWindows("Between 18:00 and 17:00 UTC on 3 March 2024, and from 5 May 2024 to 1 May 2024, errors.", WindowHints{})
	for _, w := range ws {
		if err := w.Validate(); err != nil {
			t.Errorf("invalid window %v: %v", w, err)
		}
	}
}
