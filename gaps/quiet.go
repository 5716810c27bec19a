package gaps

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// QuietRule declares an expected lull of a source, such as weekends for a
// business-hours source, so that detection does not call it a gap.
type QuietRule struct {
	// Source is the source the rule applies to (ignoring case); empty
	// means every source.
	Source string `json:"source,omitempty"`
	// Weekdays are the local days the rule covers; empty means every day.
	// In JSON they may be numbers (0 = Sunday) or English names ("sat",
	// "Saturday").
	Weekdays []time.Weekday `json:"weekdays,omitempty"`
	// FromHour and ToHour are local hours [From, To); 0, 24 (or 0, 0) is
	// the whole day, and From > To wraps past midnight (22, 6).
	FromHour int `json:"from_hour"`
	ToHour   int `json:"to_hour"`
	// Zone is the IANA zone of the hours and days; empty means the
	// tenant's zone.
	Zone string `json:"zone,omitempty"`
}

// UnmarshalJSON reads a rule whose weekdays are numbers or names.
func (q *QuietRule) UnmarshalJSON(b []byte) error {
	type plain QuietRule
	var raw struct {
		plain
		Weekdays []json.RawMessage `json:"weekdays"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*q = QuietRule(raw.plain)
	q.Weekdays = nil
	for _, w := range raw.Weekdays {
		d, err := parseWeekday(w)
		if err != nil {
			return err
		}
		q.Weekdays = append(q.Weekdays, d)
	}
	return nil
}

// parseWeekday reads a weekday given as a number (0 = Sunday) or a name.
func parseWeekday(raw json.RawMessage) (time.Weekday, error) {
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		return time.Weekday(n), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("%w: weekday %s: want a number or a name", notice.ErrInvalid, raw)
	}
	s = strings.ToLower(strings.TrimSpace(s))
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if len(s) >= 3 && strings.HasPrefix(name, s) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("%w: weekday %q", notice.ErrInvalid, s)
}

// validate checks one rule: known days, hours within 0–24 and a loadable
// zone.
func (q QuietRule) validate(zones zoneCache) error {
	for _, d := range q.Weekdays {
		if d < time.Sunday || d > time.Saturday {
			return fmt.Errorf("weekday %d: want 0 (Sunday) to 6 (Saturday)", int(d))
		}
	}
	if q.FromHour < 0 || q.FromHour > 24 || q.ToHour < 0 || q.ToHour > 24 {
		return fmt.Errorf("hours %d–%d: want 0 to 24", q.FromHour, q.ToHour)
	}
	if q.FromHour == q.ToHour && q.FromHour != 0 {
		return fmt.Errorf("hours %d–%d: empty range", q.FromHour, q.ToHour)
	}
	if q.Zone != "" {
		if _, err := zones.load(q.Zone); err != nil {
			return err
		}
	}
	return nil
}

// quietRule is a QuietRule ready to test buckets against.
type quietRule struct {
	source   string
	days     [7]bool
	from, to int
	loc      *time.Location
}

// compileQuiet prepares the rules, skipping those Validate refuses.
func compileQuiet(rules []QuietRule, loc *time.Location) []quietRule {
	zones := zoneCache{}
	out := make([]quietRule, 0, len(rules))
	for _, q := range rules {
		if q.validate(zones) != nil {
			continue
		}
		r := quietRule{source: strings.TrimSpace(q.Source), from: q.FromHour, to: q.ToHour, loc: loc}
		if r.from == 0 && r.to == 0 {
			r.to = 24
		}
		if q.Zone != "" {
			r.loc, _ = zones.load(q.Zone)
		}
		for _, d := range q.Weekdays {
			r.days[d] = true
		}
		if len(q.Weekdays) == 0 {
			r.days = [7]bool{true, true, true, true, true, true, true}
		}
		out = append(out, r)
	}
	return out
}

// covers reports whether the bucket of source starting at t lies in the
// rule's lull (judged by the bucket's start, in the rule's zone).
func (r quietRule) covers(source string, t time.Time) bool {
	if r.source != "" && !strings.EqualFold(r.source, source) {
		return false
	}
	lt := t.In(r.loc)
	if !r.days[lt.Weekday()] {
		return false
	}
	h := lt.Hour()
	if r.from <= r.to {
		return h >= r.from && h < r.to
	}
	return h >= r.from || h < r.to
}
