package digest

import "time"

// LastSlot returns the latest send time at or before now: weekday at
// hour:00 on the wall clock of loc. Daylight-saving changes are handled by
// building the time from the local date: 08:00 stays 08:00 local across a
// change, and an hour skipped in spring is moved forward by time.Date's
// normalisation.
func LastSlot(now time.Time, wd time.Weekday, hour int, loc *time.Location) time.Time {
	local := now.In(loc)
	y, m, d := local.Date()
	for back := 0; back <= 7; back++ {
		c := time.Date(y, m, d-back, hour, 0, 0, 0, loc)
		if c.Weekday() == wd && !c.After(now) {
			return c.UTC()
		}
	}
	// Unreachable: one of eight consecutive days has the weekday and at
	// least the oldest lies before now.
	return time.Date(y, m, d-7, hour, 0, 0, 0, loc).UTC()
}

// NextSlot returns the first send time after now.
func NextSlot(now time.Time, wd time.Weekday, hour int, loc *time.Location) time.Time {
	local := now.In(loc)
	y, m, d := local.Date()
	for ahead := 0; ahead <= 8; ahead++ {
		c := time.Date(y, m, d+ahead, hour, 0, 0, 0, loc)
		if c.Weekday() == wd && c.After(now) {
			return c.UTC()
		}
	}
	return time.Date(y, m, d+7, hour, 0, 0, 0, loc).UTC()
}

// backoff is the wait before retry n (1-based): base doubled each time,
// capped, so a relay outage costs a few attempts an hour.
func backoff(n int, base, ceiling time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < ceiling; i++ {
		d *= 2
	}
	return min(d, ceiling)
}
