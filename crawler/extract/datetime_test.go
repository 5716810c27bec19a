package extract

import "testing"

func parsePoints(text, lang string) []point {
	var z tokenizer
	ps := dtParser{text: text, toks: z.tokenize(text, nil), dayFirst: lang != "" && lang != "en"}
	return ps.points(nil)
}

func TestPointShapes(t *testing.T) {
	cases := []struct {
		name           string
		text, lang     string
		y, m, d, h, mi int // -1 hour: no time
		zone           int
		mer            int8
	}{
		{"ISO date and time", "2024-07-30 14:05", "en", 2024, 7, 30, 14, 5, 0, merNone},
		{"ISO with Z", "2024-07-19T04:09:00Z", "en", 2024, 7, 19, 4, 9, zUTC, merNone},
		{"month first with year", "July 20, 2017 21:41 UTC", "en", 2017, 7, 20, 21, 41, zUTC, merNone},
		{"day first with weekday", "Friday, 26 February 2021, at 06:43 UTC", "en", 2021, 2, 26, 6, 43, zUTC, merNone},
		{"abbreviated month with dot", "Jan. 7th at 13:15 UTC", "en", 0, 1, 7, 13, 15, zUTC, merNone},
		{"dotted a.m.", "8:45 a.m. EST", "en", 0, 0, 0, 8, 45, zEST, merAM},
		{"dot time before AM", "3.54 AM PST", "en", 0, 0, 0, 3, 54, zPST, merAM},
		{"compact pm and PT", "2:35pm PT", "en", 0, 0, 0, 2, 35, zPT, merPM},
		{"hour only pm", "10 pm PT on July 1", "en", 0, 7, 1, 10, 0, zPT, merPM},
		{"US numeric", "4/18/22", "en", 2022, 4, 18, -1, 0, 0, merNone},
		{"European numeric", "20/08/2020", "fr", 2020, 8, 20, -1, 0, 0, merNone},
		{"French hour", "13h30", "fr", 0, 0, 0, 13, 30, 0, merNone},
		{"French date", "mercredi 10 mars 2021 à 12h07", "fr", 2021, 3, 10, 12, 7, 0, merNone},
		{"German date", "18. April 2022, 23:57 UTC", "de", 2022, 4, 18, 23, 57, zUTC, merNone},
		{"German dotted date", "29.09.", "de", 0, 9, 29, -1, 0, 0, merNone},
		{"German Uhr", "um 6:00 Uhr UTC", "de", 0, 0, 0, 6, 0, zUTC, merNone},
		{"Spanish date", "17 de noviembre de 2025", "es", 2025, 11, 17, -1, 0, 0, merNone},
		{"Spanish zone", "08:40 (hora peninsular española)", "es", 0, 0, 0, 8, 40, zParis, merNone},
		{"Japanese", "2025年10月19日午後11時48分", "ja", 2025, 10, 19, 11, 48, 0, merPM},
		{"Japanese zone prefix", "日本時間22日午前9時", "ja", 0, 0, 22, 9, 0, zJST, merAM},
		{"Chinese", "北京时间2016/4/16 11：45", "zh", 2016, 4, 16, 11, 45, zChina, merNone},
		{"Korean", "25년 12월 5일 저녁 6시경", "ko", 2025, 12, 5, 6, 0, 0, merEvening},
		{"offset zone", "14:48 UTC+8", "en", 0, 0, 0, 14, 48, 0, merNone},
		{"night of", "nuit du 9 au 10 mars", "fr", 0, 3, 10, -1, 0, 0, merNone},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pts := parsePoints(c.text, c.lang)
			if len(pts) == 0 {
				t.Fatalf("no point in %q", c.text)
			}
			p := pts[0]
			if p.year != c.y || p.month != c.m || p.day != c.d || p.hour != c.h || c.h >= 0 && p.min != c.mi || p.zone != c.zone || p.mer != c.mer {
				t.Errorf("%q = %+v, want %d-%d-%d %d:%d zone %d mer %d", c.text, p, c.y, c.m, c.d, c.h, c.mi, c.zone, c.mer)
			}
		})
	}
}

func TestNotPoints(t *testing.T) {
	for _, text := range []string{"version 7.11", "1.1.1.1", "50,000 users", "in 2018", "thread 2/ and 4/", "may have seen errors"} {
		for _, p := range parsePoints(text, "en") {
			if p.valid() {
				t.Errorf("%q: unexpected point %+v", text, p)
			}
		}
	}
}
