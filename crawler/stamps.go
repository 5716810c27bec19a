package crawler

// Atlassian Statuspage history.rss / history.atom entries carry the
// incident's updates as HTML, each dated by a stamp with no year:
//
//	<p><small>Dec <var data-var='date'> 9</var>, <var data-var='time'>14:05</var> CET</small>
//	<br><strong>Resolved</strong> - text</p>
//
// newest first. Scheduled maintenances may also open with
// "THIS IS A SCHEDULED EVENT Apr 7, 13:00 - 15:00 UTC". This file reads
// those stamps into times, inferring the year from the entry's pubDate.

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/crawler/htmltext"
	"github.com/gapwatch/gapwatch/notice"
)

// stampZones maps the zone abbreviations Statuspage prints to their UTC
// offsets in seconds. Abbreviations are ambiguous in general; these are
// the readings Statuspage's (Rails) zone names produce: CST is US Central,
// IST is India.
var stampZones = map[string]int{
	"UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0,
	"WEST": 3600, "BST": 3600, "CET": 3600, "WAT": 3600, "MET": 3600,
	"CEST": 7200, "MEST": 7200, "EET": 7200, "SAST": 7200, "CAT": 7200,
	"EEST": 10800, "MSK": 10800, "EAT": 10800, "AST": -14400, "ADT": -10800,
	"GST": 14400, "PKT": 18000, "IST": 19800, "ICT": 25200, "WIB": 25200,
	"HKT": 28800, "SGT": 28800, "AWST": 28800, "JST": 32400, "KST": 32400,
	"ACST": 34200, "ACDT": 37800, "AEST": 36000, "AEDT": 39600,
	"NZST": 43200, "NZDT": 46800, "HST": -36000, "AKST": -32400, "AKDT": -28800,
	"PST": -28800, "PDT": -25200, "MST": -25200, "MDT": -21600,
	"CST": -21600, "CDT": -18000, "EST": -18000, "EDT": -14400,
	"NST": -12600, "NDT": -9000, "BRT": -10800, "ART": -10800,
}

// historyUpdatePattern finds one dated update: the <small> stamp and the
// <strong> status word that follows it.
var historyUpdatePattern = regexp.MustCompile(`(?is)<small>(.{0,400}?)</small>\s*(?:<br\s*/?>)?\s*<strong>(.{0,80}?)</strong>`)

// scheduledEventPattern finds the header of a scheduled maintenance.
var scheduledEventPattern = regexp.MustCompile(`(?is)THIS IS A SCHEDULED EVENT(.{0,600}?)</(?:strong|p|small|div)>`)

// stampPattern reads a stamp's text: "Dec 9, 14:05 CET" (a year, as in
// "Dec 9, 2021 - 14:05", is accepted too).
var stampPattern = regexp.MustCompile(`^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s*(?:(\d{4})\s*[-,]?\s*)?(\d{1,2}):(\d{2})(?:\s*(` + zonePattern + `))?$`)

// rangePattern reads a scheduled-event range: "Apr 7, 13:00 - 15:00 UTC"
// or "Mar 18, 21:00 UTC - Mar 20, 06:00 UTC".
var rangePattern = regexp.MustCompile(`^([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{1,2}):(\d{2})(?:\s*(` + zonePattern + `))?\s*[-–—]\s*(?:([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*)?(\d{1,2}):(\d{2})(?:\s*(` + zonePattern + `))?`)

// zonePattern matches a zone abbreviation or a numeric offset.
const zonePattern = `[A-Za-z]{1,5}|[+-]\d{2}(?::?\d{2})?`

// historyUpdate is one dated update of a Statuspage history entry.
type historyUpdate struct {
	status string    // as printed: "Resolved", "In progress"
	stamp  string    // the stamp's text: "Dec 9, 14:05 CET"
	at     time.Time // UTC; zero when the stamp could not be read
	body   string    // plain text
}

// statuspageHistory is what a history entry's HTML says.
type statuspageHistory struct {
	header  string          // plain text before the first update
	updates []historyUpdate // newest first, as in the source
	// scheduled is the announced maintenance range, when a header gives one.
	scheduled   notice.Window
	hasSchedule bool
}

// historyActive statuses mean the impact is (again) ongoing.
var historyActive = map[string]bool{"investigating": true, "identified": true, "monitoring": true, "in progress": true, "verifying": true}

// historyTerminal statuses end the impact.
var historyTerminal = map[string]bool{"resolved": true, "completed": true}

// historyMaintenance statuses only occur in scheduled maintenances.
var historyMaintenance = map[string]bool{"scheduled": true, "in progress": true, "verifying": true, "completed": true}

// isMaintenance reports whether the entry is a scheduled maintenance.
func (h statuspageHistory) isMaintenance() bool {
	if h.hasSchedule {
		return true
	}
	for _, u := range h.updates {
		if historyMaintenance[strings.ToLower(u.status)] {
			return true
		}
	}
	return false
}

// status is the newest update's status word, lower-cased like the
// Statuspage API's ("resolved", "in progress").
func (h statuspageHistory) status() string {
	return strings.ToLower(h.updates[0].status)
}

// text is the entry as plain text: the header, then each update as
// "Status - body", newest first as in the source.
func (h statuspageHistory) text() string {
	var parts []string
	if h.header != "" {
		parts = append(parts, h.header)
	}
	for _, u := range h.updates {
		line := u.status
		if u.body != "" {
			line += " - " + u.body
		}
		parts = append(parts, line)
	}
	return strings.Join(parts, "\n\n")
}

// window is the span the updates cover: from the earliest stamp (for a
// maintenance, the earliest one after the "Scheduled" announcement) to the
// Resolved/Completed stamp, open when the entry is not resolved or was
// reopened after it. A maintenance that has not started falls back to its
// announced range. An entry with a single stamp gives no window: a
// zero-length structured window would hide the real times that the text
// may state.
func (h statuspageHistory) window() (notice.Window, bool) {
	maint := h.isMaintenance()
	var first, last *historyUpdate
	for i := len(h.updates) - 1; i >= 0; i-- { // oldest first
		u := &h.updates[i]
		s := strings.ToLower(u.status)
		if u.at.IsZero() || (maint && s == "scheduled") {
			continue
		}
		if first == nil || u.at.Before(first.at) {
			first = u
		}
		switch {
		case historyTerminal[s]:
			last = u
		case historyActive[s]:
			last = nil
		}
	}
	if first == nil || first == last {
		return h.scheduled, h.hasSchedule
	}
	evidence := first.status + " " + first.stamp + " – "
	var end *time.Time
	if last != nil {
		end = &last.at
		evidence += last.status + " " + last.stamp
	} else {
		evidence += "unresolved"
	}
	return structuredWindow(first.at, end, evidence)
}

// stampClock reads times for stamps: ref is the entry's pubDate (which
// fixes the year) and fallback the zone for stamps with an unknown or no
// abbreviation (nil: use ref's own offset).
type stampClock struct {
	ref      time.Time
	fallback *time.Location
}

// maxHistoryInput bounds the fragment parseStatuspageHistory reads: its
// patterns cost about half a microsecond per byte, so a 10 MiB hostile
// description would hold a worker for seconds. Real history entries are a
// few KiB; updates past the cut are not read.
const maxHistoryInput = 256 << 10

// parseStatuspageHistory reads the dated updates of a history entry (from
// at most its first maxHistoryInput bytes). ok is false when the fragment
// holds no Statuspage update stamps.
func parseStatuspageHistory(fragment string, clock stampClock) (statuspageHistory, bool) {
	fragment = cutText(fragment, maxHistoryInput)
	var h statuspageHistory
	idx := historyUpdatePattern.FindAllStringSubmatchIndex(fragment, -1)
	for i, m := range idx {
		inner := fragment[m[2]:m[3]]
		if !strings.Contains(strings.ToLower(inner), "data-var") {
			continue
		}
		end := len(fragment)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		stamp := htmltext.Text(inner)
		body := strings.TrimSpace(htmltext.Text(fragment[m[1]:end]))
		body = strings.TrimSpace(strings.TrimLeft(body, "-–— "))
		at, _ := clock.stampTime(stamp)
		if len(h.updates) == 0 {
			h.header = htmltext.Text(fragment[:m[0]])
		}
		h.updates = append(h.updates, historyUpdate{
			status: oneLine(htmltext.Text(fragment[m[4]:m[5]])),
			stamp:  stamp,
			at:     at,
			body:   body,
		})
	}
	if len(h.updates) == 0 {
		return h, false
	}
	if m := scheduledEventPattern.FindStringSubmatch(fragment); m != nil {
		h.scheduled, h.hasSchedule = clock.scheduledRange(oneLine(htmltext.Text(m[1])))
	}
	return h, true
}

// stampTime converts a stamp's text to UTC. Without a year in the stamp,
// the year is the pubDate's, or the year before when the stamp's month is
// later than the pubDate's month (an update always precedes the entry's
// pubDate, so "Dec 31" in an entry published on Jan 1 is last year's).
func (c stampClock) stampTime(stamp string) (time.Time, bool) {
	m := stampPattern.FindStringSubmatch(strings.TrimSpace(stamp))
	if m == nil {
		return time.Time{}, false
	}
	mon, ok := monthOf(m[1])
	if !ok {
		return time.Time{}, false
	}
	day, _ := strconv.Atoi(m[2])
	year, _ := strconv.Atoi(m[3])
	hour, _ := strconv.Atoi(m[4])
	minute, _ := strconv.Atoi(m[5])
	loc := c.zone(m[6])
	if year == 0 {
		if c.ref.IsZero() {
			return time.Time{}, false
		}
		r := c.ref.In(loc)
		year = r.Year()
		if mon > r.Month() {
			year--
		}
	}
	return wallTime(year, mon, day, hour, minute, loc)
}

// scheduledRange reads "Apr 7, 13:00 - 15:00 UTC". An announcement may lie
// before or after the entry's pubDate, so the year chosen is the one that
// puts the start nearest to the pubDate.
func (c stampClock) scheduledRange(text string) (notice.Window, bool) {
	m := rangePattern.FindStringSubmatch(text)
	if m == nil || c.ref.IsZero() {
		return notice.Window{}, false
	}
	zone1, zone2 := m[5], m[10]
	if zone1 == "" {
		zone1 = zone2
	}
	if zone2 == "" {
		zone2 = zone1
	}
	mon1, ok1 := monthOf(m[1])
	mon2, ok2 := mon1, true
	day2 := m[2]
	if m[6] != "" {
		mon2, ok2 = monthOf(m[6])
		day2 = m[7]
	}
	if !ok1 || !ok2 {
		return notice.Window{}, false
	}
	start, ok := c.nearestYear(mon1, stampAtoi(m[2]), stampAtoi(m[3]), stampAtoi(m[4]), c.zone(zone1))
	if !ok {
		return notice.Window{}, false
	}
	loc2 := c.zone(zone2)
	s2 := start.In(loc2)
	end, ok := wallTime(s2.Year(), mon2, stampAtoi(day2), stampAtoi(m[8]), stampAtoi(m[9]), loc2)
	if ok && end.Before(start) && m[6] == "" {
		end = end.AddDate(0, 0, 1) // "23:00 - 01:00": ends the next day
	} else if ok && end.Before(start) {
		end, ok = wallTime(s2.Year()+1, mon2, stampAtoi(day2), stampAtoi(m[8]), stampAtoi(m[9]), loc2)
	}
	if !ok {
		return notice.Window{}, false
	}
	return structuredWindow(start, &end, "THIS IS A SCHEDULED EVENT "+text)
}

// nearestYear builds the time in the year (pubDate's, or one either side)
// closest to the pubDate.
func (c stampClock) nearestYear(mon time.Month, day, hour, minute int, loc *time.Location) (time.Time, bool) {
	y := c.ref.In(loc).Year()
	var best time.Time
	found := false
	for _, year := range []int{y - 1, y, y + 1} {
		t, ok := wallTime(year, mon, day, hour, minute, loc)
		if ok && (!found || stampDistance(t.Sub(c.ref)) < stampDistance(best.Sub(c.ref))) {
			best, found = t, true
		}
	}
	return best, found
}

// zone resolves a stamp's zone: an abbreviation from stampZones or a
// numeric offset; else the source's zone, else the pubDate's offset.
func (c stampClock) zone(abbr string) *time.Location {
	abbr = strings.ToUpper(strings.TrimSpace(abbr))
	if off, ok := stampZones[abbr]; ok {
		return time.FixedZone(abbr, off)
	}
	if off, ok := numericOffset(abbr); ok {
		return time.FixedZone(abbr, off)
	}
	if c.fallback != nil {
		return c.fallback
	}
	if !c.ref.IsZero() {
		return c.ref.Location()
	}
	return time.UTC
}

// numericOffset reads "+03", "+0530" or "-03:30" as seconds east of UTC.
func numericOffset(s string) (int, bool) {
	if len(s) < 3 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	digits := strings.ReplaceAll(s[1:], ":", "")
	if len(digits) != 2 && len(digits) != 4 {
		return 0, false
	}
	h, err := strconv.Atoi(digits[:2])
	if err != nil || h > 14 {
		return 0, false
	}
	mins := 0
	if len(digits) == 4 {
		if mins, err = strconv.Atoi(digits[2:]); err != nil || mins > 59 {
			return 0, false
		}
	}
	off := h*3600 + mins*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

// wallTime builds a wall-clock time in loc, refusing impossible dates
// (Feb 30, 25:00) rather than letting time.Date roll them over.
func wallTime(year int, mon time.Month, day, hour, minute int, loc *time.Location) (time.Time, bool) {
	if day < 1 || hour > 23 || minute > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, mon, day, hour, minute, 0, 0, loc)
	if t.Day() != day || t.Month() != mon {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// monthOf reads an English month name or its abbreviation.
func monthOf(s string) (time.Month, bool) {
	if len(s) < 3 {
		return 0, false
	}
	p := strings.ToLower(s[:3])
	for m := time.January; m <= time.December; m++ {
		if strings.ToLower(m.String()[:3]) == p {
			return m, true
		}
	}
	return 0, false
}

// stampAtoi converts digits matched by a pattern; they always parse.
func stampAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// stampDistance is the length of d, whatever its sign.
func stampDistance(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
