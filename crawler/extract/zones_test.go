package extract

import (
	"testing"
	"time"
)

func TestLookupZone(t *testing.T) {
	summer := time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC)
	winter := time.Date(2024, 1, 15, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		zone   string
		at     time.Time
		vendor string
		offset int // seconds east of UTC
		ok     bool
	}{
		{"PDT", "PDT", winter, "", -7 * 3600, true},
		{"PST", "PST", summer, "", -8 * 3600, true},
		{"PT in summer", "PT", summer, "AWS", -7 * 3600, true},
		{"PT in winter", "PT", winter, "Google Cloud", -8 * 3600, true},
		{"Pacific Time", "Pacific Time", summer, "", -7 * 3600, true},
		{"ET in winter", "ET", winter, "", -5 * 3600, true},
		{"US/Pacific", "US/Pacific", summer, "", -7 * 3600, true},
		{"CET", "CET", summer, "", 3600, true},
		{"CEST", "CEST", winter, "", 2 * 3600, true},
		{"heure de Paris summer", "heure de Paris", summer, "", 2 * 3600, true},
		{"heure de Paris winter", "heure de Paris", winter, "", 3600, true},
		{"hora peninsular", "hora peninsular", time.Date(2025, 10, 20, 8, 0, 0, 0, time.UTC), "", 2 * 3600, true},
		{"UTC+8", "UTC+8", summer, "", 8 * 3600, true},
		{"GMT-07:00", "GMT-07:00", summer, "", -7 * 3600, true},
		{"UTC+05:30", "UTC+05:30", summer, "", 5*3600 + 1800, true},
		{"日本時間", "日本時間", summer, "", 9 * 3600, true},
		{"北京时间", "北京时间", summer, "", 8 * 3600, true},
		{"KST", "KST", summer, "", 9 * 3600, true},
		{"AEST", "AEST", summer, "", 10 * 3600, true},
		{"Sydney summer is January", "Australia/Sydney", winter, "", 11 * 3600, true},
		{"CST for Azure China", "CST", winter, "Azure China (21Vianet)", 8 * 3600, true},
		{"CST for Alibaba", "CST", winter, "Alibaba Cloud", 8 * 3600, true},
		{"CST otherwise", "CST", winter, "Microsoft", -6 * 3600, true},
		{"IST India", "IST", winter, "", 5*3600 + 1800, true},
		{"IST Ireland", "IST", summer, "Ireland Hosting", 3600, true},
		{"UTC", "UTC", summer, "", 0, true},
		{"parenthesized", "(UTC)", summer, "", 0, true},
		{"unknown", "Mars Standard Time", summer, "", 0, false},
		{"empty", "", summer, "", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			loc, ok := LookupZone(c.zone, c.at, c.vendor)
			if ok != c.ok {
				t.Fatalf("LookupZone(%q) ok = %v, want %v", c.zone, ok, c.ok)
			}
			if !ok {
				return
			}
			_, off := c.at.In(loc).Zone()
			if off != c.offset {
				t.Errorf("LookupZone(%q, %s) offset = %d, want %d", c.zone, c.at.Format("2006-01-02"), off, c.offset)
			}
		})
	}
}

func TestDSTTransitions(t *testing.T) {
	cases := []struct {
		name string
		rule dstRule
		date time.Time
		dst  bool
	}{
		{"US before second Sunday of March", ruleUS, time.Date(2024, 3, 9, 12, 0, 0, 0, time.UTC), false},
		{"US after second Sunday of March", ruleUS, time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC), true},
		{"US first Sunday of November", ruleUS, time.Date(2024, 11, 3, 12, 0, 0, 0, time.UTC), false},
		{"US 2005 April rule", ruleUS, time.Date(2005, 3, 20, 12, 0, 0, 0, time.UTC), false},
		{"EU last Sunday of March", ruleEU, time.Date(2024, 3, 31, 12, 0, 0, 0, time.UTC), true},
		{"EU October end", ruleEU, time.Date(2024, 10, 27, 12, 0, 0, 0, time.UTC), false},
		{"AU January", ruleAU, time.Date(2024, 1, 10, 12, 0, 0, 0, time.UTC), true},
		{"AU July", ruleAU, time.Date(2024, 7, 10, 12, 0, 0, 0, time.UTC), false},
		{"NZ December", ruleNZ, time.Date(2024, 12, 10, 12, 0, 0, 0, time.UTC), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := inDST(c.rule, c.date.Year(), c.date.Month(), c.date.Day(), c.date.Hour()); got != c.dst {
				t.Errorf("inDST = %v, want %v", got, c.dst)
			}
		})
	}
}
