package extract

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// dstRule names a daylight-saving regime. Zones are resolved with these
// built-in rules instead of the system tz database so that extraction stays
// pure (no file reads) and fast; the rules cover every zone vendors use in
// notices, and a wrong offset is at worst one hour off.
type dstRule uint8

const (
	ruleNone dstRule = iota
	ruleUS           // second Sunday of March to first Sunday of November (1987–2006: April–October)
	ruleEU           // last Sunday of March to last Sunday of October, 01:00 UTC
	ruleAU           // first Sunday of October to first Sunday of April (south-east Australia)
	ruleNZ           // last Sunday of September to first Sunday of April
)

// zoneSpec is one time zone as written in notices: its standard offset and,
// for generic names such as "PT" or "heure de Paris", the DST rule that
// picks the summer offset.
type zoneSpec struct {
	name string
	off  int32 // standard offset, seconds east of UTC
	rule dstRule
	// usStd marks the US "standard" abbreviations (EST, PST...), which
	// writers also use loosely for summer dates.
	usStd bool
}

// Zone ids; zNone (0) means "no zone".
const (
	zNone = iota
	zUTC
	zGMT
	zPST
	zPDT
	zPT
	zMST
	zMDT
	zMT
	zCSTUS
	zCDT
	zCT
	zEST
	zEDT
	zET
	zAKST
	zAKDT
	zHST
	zAST
	zCET
	zCEST
	zParis
	zLondon
	zBST
	zWET
	zWEST
	zLisbon
	zEET
	zEEST
	zHelsinki
	zIndia
	zIreland
	zJST
	zKST
	zChina
	zTaipei
	zHKT
	zSGT
	zAEST
	zAEDT
	zAET
	zACST
	zACDT
	zAWST
	zNZST
	zNZDT
	zNZT
	zMSK
	zBRT
	zART
	zICT
	zGST
	zWIB
	zPHT
	zSAST
	zCOT
	zCLT
	zTRT
	zPKT
	zWAT
	zEAT
	zCAT
	zMexico
	zAmbigCST // "CST": China or US Central, resolved by context
	zAmbigIST // "IST": India or Ireland, resolved by context
	zoneCount
)

// zoneTable holds the spec of every zone id.
var zoneTable = [zoneCount]zoneSpec{
	zUTC: {name: "UTC"}, zGMT: {name: "GMT"},
	zPST: {name: "PST", off: -8 * 3600, usStd: true}, zPDT: {name: "PDT", off: -7 * 3600},
	zPT:  {name: "PT", off: -8 * 3600, rule: ruleUS},
	zMST: {name: "MST", off: -7 * 3600, usStd: true}, zMDT: {name: "MDT", off: -6 * 3600},
	zMT:    {name: "MT", off: -7 * 3600, rule: ruleUS},
	zCSTUS: {name: "CST", off: -6 * 3600, usStd: true}, zCDT: {name: "CDT", off: -5 * 3600},
	zCT:  {name: "CT", off: -6 * 3600, rule: ruleUS},
	zEST: {name: "EST", off: -5 * 3600, usStd: true}, zEDT: {name: "EDT", off: -4 * 3600},
	zET:   {name: "ET", off: -5 * 3600, rule: ruleUS},
	zAKST: {name: "AKST", off: -9 * 3600, usStd: true}, zAKDT: {name: "AKDT", off: -8 * 3600},
	zHST: {name: "HST", off: -10 * 3600}, zAST: {name: "AST", off: -4 * 3600},
	zCET: {name: "CET", off: 3600}, zCEST: {name: "CEST", off: 2 * 3600},
	zParis: {name: "CET", off: 3600, rule: ruleEU}, zLondon: {name: "GMT", rule: ruleEU},
	zBST: {name: "BST", off: 3600}, zWET: {name: "WET"}, zWEST: {name: "WEST", off: 3600},
	zLisbon: {name: "WET", rule: ruleEU},
	zEET:    {name: "EET", off: 2 * 3600}, zEEST: {name: "EEST", off: 3 * 3600},
	zHelsinki: {name: "EET", off: 2 * 3600, rule: ruleEU},
	zIndia:    {name: "IST", off: 5*3600 + 1800}, zIreland: {name: "GMT", rule: ruleEU},
	zJST: {name: "JST", off: 9 * 3600}, zKST: {name: "KST", off: 9 * 3600},
	zChina: {name: "CST", off: 8 * 3600}, zTaipei: {name: "CST", off: 8 * 3600},
	zHKT: {name: "HKT", off: 8 * 3600}, zSGT: {name: "SGT", off: 8 * 3600},
	zAEST: {name: "AEST", off: 10 * 3600}, zAEDT: {name: "AEDT", off: 11 * 3600},
	zAET:  {name: "AEST", off: 10 * 3600, rule: ruleAU},
	zACST: {name: "ACST", off: 9*3600 + 1800}, zACDT: {name: "ACDT", off: 10*3600 + 1800},
	zAWST: {name: "AWST", off: 8 * 3600},
	zNZST: {name: "NZST", off: 12 * 3600}, zNZDT: {name: "NZDT", off: 13 * 3600},
	zNZT: {name: "NZST", off: 12 * 3600, rule: ruleNZ},
	zMSK: {name: "MSK", off: 3 * 3600}, zBRT: {name: "BRT", off: -3 * 3600}, zART: {name: "ART", off: -3 * 3600},
	zICT: {name: "ICT", off: 7 * 3600}, zGST: {name: "GST", off: 4 * 3600}, zWIB: {name: "WIB", off: 7 * 3600},
	zPHT: {name: "PHT", off: 8 * 3600}, zSAST: {name: "SAST", off: 2 * 3600},
	zCOT: {name: "COT", off: -5 * 3600}, zCLT: {name: "CLT", off: -4 * 3600}, zTRT: {name: "TRT", off: 3 * 3600},
	zPKT: {name: "PKT", off: 5 * 3600}, zWAT: {name: "WAT", off: 3600}, zEAT: {name: "EAT", off: 3 * 3600},
	zCAT: {name: "CAT", off: 2 * 3600}, zMexico: {name: "CST", off: -6 * 3600},
	zAmbigCST: {name: "CST", off: -6 * 3600}, zAmbigIST: {name: "IST", off: 5*3600 + 1800},
}

// zoneCJKFirst holds the first rune of every zoneCJK name, so that most
// words are rejected without comparing strings.
var zoneCJKFirst = func() map[rune]bool {
	m := map[rune]bool{}
	for _, z := range zoneCJK {
		r, _ := utf8.DecodeRuneInString(z.text)
		m[r] = true
	}
	return m
}()

// zoneCtx carries what resolves ambiguous abbreviations.
type zoneCtx struct {
	vendor string // lower-cased vendor hint
	cjk    bool   // the text contains Chinese or Japanese script
	lang   string
}

// resolveAmbiguous maps context-dependent ids (CST, IST) to a concrete zone.
func (c zoneCtx) resolveAmbiguous(id int) int {
	switch id {
	case zAmbigCST:
		if c.cjk || c.lang == "zh" || containsAny(c.vendor, "china", "21vianet", "alibaba", "aliyun", "tencent", "huawei", "baidu") {
			return zChina
		}
		return zCSTUS
	case zAmbigIST:
		if containsAny(c.vendor, "ireland", "irish", "dublin") {
			return zIreland
		}
		return zIndia
	}
	return id
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// offsetAt returns the UTC offset of zone id for the given local wall
// time. Writers use "EST"/"PST" loosely for summer dates; when loose is
// set those abbreviations follow the US DST rule.
func offsetAt(id int, y int, m time.Month, d, h int, loose bool) int32 {
	if id <= 0 || id >= len(zoneTable) {
		return 0
	}
	z := zoneTable[id]
	rule := z.rule
	if loose && z.usStd {
		rule = ruleUS
	}
	if rule != ruleNone && inDST(rule, y, m, d, h) {
		return z.off + 3600
	}
	return z.off
}

// nthSunday returns the day of month of the n-th Sunday (n<0: last).
func nthSunday(y int, m time.Month, n int) int {
	if n < 0 {
		last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
		return last.Day() - int(last.Weekday())
	}
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return 1 + (7-int(first.Weekday()))%7 + 7*(n-1)
}

// inDST reports whether the local wall time falls in daylight time under
// rule (transition hours are approximated to the day).
func inDST(rule dstRule, y int, m time.Month, d, h int) bool {
	md := int(m)*100 + d
	switch rule {
	case ruleUS:
		sm, sd, em, ed := 3, nthSunday(y, time.March, 2), 11, nthSunday(y, time.November, 1)
		if y < 2007 {
			sm, sd, em, ed = 4, nthSunday(y, time.April, 1), 10, nthSunday(y, time.October, -1)
		}
		start, end := sm*100+sd, em*100+ed
		return (md > start || md == start && h >= 2) && (md < end || md == end && h < 2)
	case ruleEU:
		start, end := 300+nthSunday(y, time.March, -1), 1000+nthSunday(y, time.October, -1)
		return (md > start || md == start && h >= 2) && (md < end || md == end && h < 3)
	case ruleAU:
		start, end := 1000+nthSunday(y, time.October, 1), 400+nthSunday(y, time.April, 1)
		return md > start || md == start && h >= 2 || md < end || md == end && h < 3
	case ruleNZ:
		start, end := 900+nthSunday(y, time.September, -1), 400+nthSunday(y, time.April, 1)
		return md > start || md == start && h >= 2 || md < end || md == end && h < 3
	}
	return false
}

// zoneByName finds a zone id for a free-form name; offsets such as
// "UTC+8" or "GMT-07:00" return id 0 and ok with the offset in off.
func zoneByName(name string) (id int, off int32, ok bool) {
	n := strings.ToLower(strings.Join(strings.Fields(strings.Trim(name, " ()[]")), " "))
	if id, ok := zoneNames[n]; ok {
		return id, 0, true
	}
	for _, z := range zoneCJK {
		if name == z.text || strings.TrimSpace(name) == z.text {
			return z.id, 0, true
		}
	}
	for _, p := range []string{"utc", "gmt", "gmt ", "utc "} {
		if rest, found := strings.CutPrefix(n, p); found {
			if o, ok := parseOffset(strings.TrimSpace(rest)); ok {
				return 0, o, true
			}
		}
	}
	if o, ok := parseOffset(n); ok {
		return 0, o, true
	}
	return 0, 0, false
}

// parseOffset reads "+8", "-07:00", "+0530", "−5" into seconds.
func parseOffset(s string) (int32, bool) {
	s = strings.Replace(s, "−", "-", 1)
	if len(s) < 2 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	sign := int32(1)
	if s[0] == '-' {
		sign = -1
	}
	body := strings.ReplaceAll(s[1:], " ", "")
	var h, m int
	var err error
	switch {
	case strings.Contains(body, ":"):
		hs, ms, _ := strings.Cut(body, ":")
		h, err = strconv.Atoi(hs)
		if err == nil {
			m, err = strconv.Atoi(ms)
		}
	case len(body) == 4:
		h, err = strconv.Atoi(body[:2])
		if err == nil {
			m, err = strconv.Atoi(body[2:])
		}
	default:
		h, err = strconv.Atoi(body)
	}
	if err != nil || h > 14 || m > 59 {
		return 0, false
	}
	return sign * int32(h*3600+m*60), true
}

// LookupZone resolves a time-zone abbreviation, name or offset ("PDT",
// "CET", "UTC+8", "GMT-07:00", "日本時間", "hora peninsular", "Pacific Time")
// to a fixed-offset location valid on the date of at, so generic names
// such as "PT", "ET" or "heure de Paris" get their summer or winter offset.
// vendor resolves ambiguous abbreviations: "CST" is China Standard Time for
// Azure China (21Vianet), Alibaba and other Chinese clouds and US Central
// otherwise; "IST" is India unless the vendor names Ireland. It reports
// false for names it does not know.
func LookupZone(name string, at time.Time, vendor string) (*time.Location, bool) {
	id, off, ok := zoneByName(name)
	if !ok {
		return nil, false
	}
	if id == 0 {
		return time.FixedZone(offsetName(off), int(off)), true
	}
	ctx := zoneCtx{vendor: strings.ToLower(vendor)}
	id = ctx.resolveAmbiguous(id)
	u := at.UTC()
	// Evaluate the rule at the instant's wall time in the standard offset.
	w := u.Add(time.Duration(zoneTable[id].off) * time.Second)
	o := offsetAt(id, w.Year(), w.Month(), w.Day(), w.Hour(), false)
	return time.FixedZone(zoneLabel(id, o), int(o)), true
}

// zoneLabel names a resolved zone for time.Location.String.
func zoneLabel(id int, off int32) string {
	n := zoneTable[id].name
	if i := strings.IndexAny(n, "/+ "); i > 0 || strings.HasPrefix(n, "ambiguous") {
		return offsetName(off)
	}
	return n
}

// offsetName formats an offset as "UTC+08:00".
func offsetName(off int32) string {
	sign := byte('+')
	if off < 0 {
		sign = '-'
		off = -off
	}
	b := []byte("UTC")
	b = append(b, sign)
	b = appendTwo(b, int(off/3600))
	b = append(b, ':')
	b = appendTwo(b, int(off%3600/60))
	return string(b)
}

func appendTwo(b []byte, v int) []byte {
	return append(b, byte('0'+v/10%10), byte('0'+v%10))
}
