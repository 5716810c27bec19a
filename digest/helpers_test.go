package digest

import (
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// paris is the zone of the test tenant.
func paris() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func day(s string) time.Time { return at(s + "T00:00:00Z") }

// sampleInput is a week in September 2024 for a Paris tenant: an Entra ID
// notice explains its SigninLogs gap, a Sentinel notice its
// SecurityEvent gap, an AWS notice is for a followed vendor, a notice for
// an unfollowed product and a cosmetic revision are left out, and two
// gaps stay unexplained.
func sampleInput() Input {
	since, until := at("2024-09-16T06:00:00Z"), at("2024-09-23T06:00:00Z")
	entra := notice.Notice{ID: 11, Item: notice.Item{Title: "Sign-in logs delayed in Microsoft Entra ID", URL: "https://status.example.test/entra/11",
		Published: at("2024-09-18T10:00:00Z"), Vendor: "Microsoft"},
		Extraction: notice.Extraction{Vendor: "Microsoft", Category: notice.CategoryDataLoss,
			Products: []notice.ProductRef{{Name: "Microsoft Entra ID", Vendor: "Microsoft"}},
			Windows:  []notice.Window{{Start: day("2024-09-03"), End: notice.TimePtr(day("2024-09-18")), Precision: notice.PrecisionDay, Evidence: "between 3 and 18 September"}}}}
	sentinel := notice.Notice{ID: 12, Item: notice.Item{Title: "Ingestion delays in Microsoft Sentinel", URL: "https://status.example.test/sentinel/12",
		Published: at("2024-09-17T08:00:00Z"), Vendor: "Microsoft"},
		Extraction: notice.Extraction{Vendor: "Microsoft", Category: notice.CategoryDegradation,
			Products: []notice.ProductRef{{Name: "Microsoft Sentinel", Vendor: "Microsoft"}},
			Windows:  []notice.Window{{Start: at("2024-09-16T22:30:00Z"), End: notice.TimePtr(at("2024-09-17T04:15:00Z")), Precision: notice.PrecisionMinute}}}}
	aws := notice.Notice{ID: 13, Item: notice.Item{Title: "Increased error rates for CloudTrail delivery", URL: "https://status.example.test/aws/13",
		Published: at("2024-09-20T15:00:00Z"), Vendor: "Amazon Web Services"},
		Extraction: notice.Extraction{Vendor: "Amazon Web Services", Category: notice.CategoryOutage,
			Products: []notice.ProductRef{{Name: "AWS CloudTrail", Vendor: "Amazon Web Services"}},
			Windows:  []notice.Window{{Start: at("2024-09-20T13:00:00Z"), Precision: notice.PrecisionHour}}}}
	other := notice.Notice{ID: 14, Item: notice.Item{Title: "Slack messages delayed", Published: at("2024-09-19T09:00:00Z")},
		Extraction: notice.Extraction{Vendor: "Slack", Category: notice.CategoryOutage,
			Products: []notice.ProductRef{{Name: "Slack", Vendor: "Slack"}}}}
	cosmetic := notice.Notice{ID: 15, Item: notice.Item{Title: "Entra ID maintenance (typo fixed)", Published: at("2024-09-01T09:00:00Z")},
		Extraction: notice.Extraction{Vendor: "Microsoft", Category: notice.CategoryMaintenance,
			Products: []notice.ProductRef{{Name: "Microsoft Entra ID", Vendor: "Microsoft"}}}}
	prev := cosmetic.Extraction
	gaps := []notice.GapLinks{
		{Gap: notice.Gap{ID: 1, Source: "SigninLogs", Product: "Microsoft Entra ID", Vendor: "Microsoft", Start: at("2024-09-03T07:00:00Z"), End: at("2024-09-18T09:00:00Z")},
			Links: []notice.Link{{Gap: 1, Notice: 11, Title: entra.Item.Title, Vendor: "Microsoft", Product: "Microsoft Entra ID", Match: notice.MatchExact,
				Coverage: 1, Window: entra.Extraction.Windows[0], Evidence: "between 3 and 18 September", FirstLinked: at("2024-09-18T10:05:00Z")}}},
		{Gap: notice.Gap{ID: 2, Source: "SecurityEvent", Product: "Microsoft Sentinel", Vendor: "Microsoft", Start: at("2024-09-16T23:00:00Z"), End: at("2024-09-17T04:00:00Z")},
			Links: []notice.Link{{Gap: 2, Notice: 12, Title: sentinel.Item.Title, Vendor: "Microsoft", Product: "Microsoft Sentinel", Match: notice.MatchExact,
				Coverage: 0.93, Window: sentinel.Extraction.Windows[0], FirstLinked: at("2024-09-17T08:10:00Z")}}},
		{Gap: notice.Gap{ID: 3, Source: "OfficeActivity", Product: "Microsoft 365", Start: at("2024-08-02T10:00:00Z"), End: at("2024-08-02T12:00:00Z")}},
		{Gap: notice.Gap{ID: 4, Source: "Syslog", Start: at("2024-07-30T01:00:00Z"), End: at("2024-07-30T02:00:00Z")}},
	}
	return Input{
		Tenant:       notice.Tenant{ID: 7, Name: "acme", Timezone: "Europe/Paris"},
		Subscription: notice.Subscription{Tenant: 7, Vendors: []string{"Amazon Web Services"}, Weekday: time.Monday, Hour: 8, Enabled: true},
		Since:        since, Until: until,
		Changes:        []notice.NoticeChange{{Notice: entra}, {Notice: sentinel}, {Notice: aws}, {Notice: other}, {Notice: cosmetic, Previous: &prev}},
		Gaps:           gaps,
		UnsubscribeURL: "https://gapwatch.example.test/unsubscribe?token=7.1.sig",
	}
}
