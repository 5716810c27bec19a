package extract

import (
	"sort"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// ctxState is what the text has said so far: the last stated date, year
// and zone, which later times that omit them inherit.
type ctxState struct {
	y, m, d int
	hasDate bool
	year    int
	zone    zoneRef
	zoneTok int // token where the zone was stated, -1 if none
	// anchored is set once a time has been placed on a date; from then on
	// only dates stated with a time move the context, so a date mentioned
	// in passing ("a feature introduced on May 29") does not.
	anchored bool
}

// defaultZone picks the zone of times that state none: the caller's hint,
// then the zone local-language news is written in, then the vendor's
// habit (AWS and Google Cloud post in US Pacific time), then UTC.
func (x *extractor) defaultZone() zoneRef {
	if x.h.Timezone != "" {
		if id, off, ok := zoneByName(x.h.Timezone); ok {
			return zoneRef{id: id, off: off, hasOff: id == 0}
		}
	}
	switch x.h.Language {
	case "fr", "de", "es", "it", "nl", "pl":
		return zoneRef{id: zParis}
	case "ja":
		return zoneRef{id: zJST}
	case "ko":
		return zoneRef{id: zKST}
	case "zh":
		return zoneRef{id: zChina}
	}
	if containsAny(x.zc.vendor, "aws", "amazon", "google") {
		return zoneRef{id: zPT}
	}
	return zoneRef{id: zUTC}
}

// resolveAll turns every point into a UTC instant in text order, carrying
// the date, year and zone context forward.
func (x *extractor) resolveAll() {
	x.ref = x.refDate()
	order := make([]int, len(x.pts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return x.pts[order[a]].ts < x.pts[order[b]].ts })
	st := ctxState{zoneTok: -1}
	for _, i := range order {
		p := &x.pts[i]
		if p.yearHint {
			if p.year != 0 && x.info[i].role&roleNeg == 0 {
				st.year = p.year
			}
			continue
		}
		x.resolve(i, &st)
	}
}

// refDate returns the latest date the text states in full, the reference
// for years when the publication time is unknown.
func (x *extractor) refDate() time.Time {
	var ref time.Time
	for i := range x.pts {
		p := &x.pts[i]
		if p.year == 0 || p.month == 0 {
			continue
		}
		d := p.day
		if d == 0 {
			d = daysIn(p.year, p.month)
		}
		if t := time.Date(p.year, time.Month(p.month), d, 0, 0, 0, 0, time.UTC); t.After(ref) {
			ref = t
		}
	}
	return ref
}

func daysIn(y, m int) int { return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// resolve computes the instant of point i.
func (x *extractor) resolve(i int, st *ctxState) {
	p, inf := &x.pts[i], &x.info[i]
	zone := x.zoneFor(i, st)
	if !zone.known() {
		return
	}
	y, m, d, fromPub, ok := x.dateFor(p, zone, st, inf.role&roleFuture != 0)
	if !ok {
		return
	}
	prec := notice.PrecisionDay
	h, mi := 0, 0
	if p.hasTime() {
		h, mi = hour24(p.hour, p.mer), p.min
		prec = notice.PrecisionHour
		if p.hasMin {
			prec = notice.PrecisionMinute
		}
		if p.night > 0 && h >= 12 && p.night < d {
			d = p.night
		}
	}
	var t time.Time
	if p.hasTime() {
		t = toUTC(y, time.Month(m), d+p.shift, h, mi, p.sec, zone)
	} else {
		t = time.Date(y, time.Month(m), d+p.shift, 0, 0, 0, 0, time.UTC)
	}
	if fromPub && !pubDateOnly(x.h.Published) && t.After(x.h.Published.Add(12*time.Hour)) {
		t = t.Add(-24 * time.Hour)
	}
	inf.t, inf.prec, inf.ok = t, prec, true
	if p.alias || inf.role&roleNeg != 0 {
		return
	}
	if p.ownDate && p.month > 0 && (p.hasTime() || !st.anchored || x.timeFollows(i)) {
		lt := time.Date(y, time.Month(m), d+p.shift, 0, 0, 0, 0, time.UTC)
		st.y, st.m, st.d, st.hasDate = lt.Year(), int(lt.Month()), lt.Day(), true
		st.year = lt.Year()
	}
	if p.hasTime() {
		st.anchored = true
	}
	if p.hasZone() {
		st.zone, st.zoneTok = zone, p.ts
	}
}

// zoneFor picks the zone of point i: its own, a declaration later in the
// same sentence ("... (all times are US/Pacific)"), the latest stated or
// declared zone before it, or the default.
func (x *extractor) zoneFor(i int, st *ctxState) zoneRef {
	p := &x.pts[i]
	switch {
	case p.hasOff:
		return zoneRef{off: p.off, hasOff: true}
	case p.zone != 0:
		return zoneRef{id: x.zc.resolveAmbiguous(p.zone)}
	case p.local:
		return zoneRef{local: true}
	}
	var before *decl
	for k := range x.decls {
		dc := &x.decls[k]
		if dc.tok > p.ts && x.sent[dc.tok] == x.sent[p.ts] {
			return x.resolveRef(dc.zone)
		}
		if dc.tok < p.ts {
			before = dc
		}
	}
	if before != nil && before.tok > st.zoneTok {
		return x.resolveRef(before.zone)
	}
	if st.zone.known() {
		return st.zone
	}
	return x.def
}

func (x *extractor) resolveRef(z zoneRef) zoneRef {
	if z.id != 0 {
		z.id = x.zc.resolveAmbiguous(z.id)
	}
	return z
}

// dateFor returns the local date of point p: stated, relative to the
// publication ("today", "on Sunday"; future says the point is planned,
// which moves a bare weekday forward), inherited from the text, or the
// publication date; fromPub reports the last case.
func (x *extractor) dateFor(p *point, zone zoneRef, st *ctxState, future bool) (y, m, d int, fromPub, ok bool) {
	y, m, d = p.year, p.month, p.day
	pub := x.h.Published
	switch {
	case p.rel != relNone && m == 0:
		if pub.IsZero() {
			return 0, 0, 0, false, false
		}
		lt := localDate(pub, zone)
		switch p.rel {
		case relYesterday:
			lt = lt.AddDate(0, 0, -1)
		case relTomorrow:
			lt = lt.AddDate(0, 0, 1)
		case relWeekday:
			lt = lt.AddDate(0, 0, weekdayShift(lt.Weekday(), p.weekday, future))
		}
		return lt.Year(), int(lt.Month()), lt.Day(), false, true
	case m == 0 && d > 0:
		if st.hasDate {
			m, y = st.m, st.y
		} else if !pub.IsZero() {
			lt := localDate(pub, zone)
			m, y = int(lt.Month()), lt.Year()
		} else {
			return 0, 0, 0, false, false
		}
	case m == 0:
		if !p.hasTime() {
			return 0, 0, 0, false, false
		}
		if st.hasDate {
			return st.y, st.m, st.d, false, true
		}
		if pub.IsZero() {
			return 0, 0, 0, false, false
		}
		lt := localDate(pub, zone)
		return lt.Year(), int(lt.Month()), lt.Day(), true, true
	}
	if d == 0 {
		return 0, 0, 0, false, false
	}
	if y == 0 {
		if y, ok = x.inferYear(m, d, p.weekday, st); !ok {
			return 0, 0, 0, false, false
		}
	}
	return y, m, d, false, true
}

// weekdayShift returns the days from a publication day on weekday pub to
// the nearest day on weekday wd (1 = Monday … 7 = Sunday): on or before it
// for what happened ("went down on Sunday"), on or after it for what is
// planned ("will be performed on Saturday").
func weekdayShift(pub time.Weekday, wd int, future bool) int {
	back := (int(pub) - wd%7 + 7) % 7
	if future {
		return (7 - back) % 7
	}
	return -back
}

// inferYear supplies the year of a month and day: the year the text is
// talking about, else the publication year (a date more than a month
// after publication is last year's), else the latest year the text
// states; a stated weekday moves it to the nearest year that fits.
func (x *extractor) inferYear(m, d, wd int, st *ctxState) (int, bool) {
	if st.year != 0 {
		return st.year, true
	}
	ref := x.h.Published
	if ref.IsZero() {
		ref = x.ref
	}
	if ref.IsZero() {
		return 0, false
	}
	y := ref.Year()
	if time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).After(ref.AddDate(0, 1, 0)) {
		y--
	}
	if wd != 0 {
		y = weekdayYear(y, m, d, wd)
	}
	return y, true
}

// weekdayYear returns the year nearest to y (earlier on ties) in which
// the date falls on weekday wd (1 = Monday), or y if none is near.
func weekdayYear(y, m, d, wd int) int {
	want := time.Weekday(wd % 7)
	for delta := 0; delta <= 6; delta++ {
		for _, c := range []int{y - delta, y + delta} {
			if time.Date(c, time.Month(m), d, 0, 0, 0, 0, time.UTC).Weekday() == want {
				return c
			}
		}
	}
	return y
}

// pubDateOnly reports a publication time that is exactly midnight UTC:
// feeds that give only a date, which no zone should shift.
func pubDateOnly(t time.Time) bool {
	u := t.UTC()
	return u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0
}

// localDate returns the calendar date of t in zone z (as a UTC midnight);
// a date-only publication stays on its date.
func localDate(t time.Time, z zoneRef) time.Time {
	if pubDateOnly(t) {
		return t.UTC()
	}
	off := z.off
	if !z.hasOff {
		u := t.UTC()
		w := u.Add(time.Duration(zoneTable[z.id].off) * time.Second)
		off = offsetAt(z.id, w.Year(), w.Month(), w.Day(), w.Hour(), true)
	}
	l := t.UTC().Add(time.Duration(off) * time.Second)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// toUTC converts a wall time in zone z to UTC. Writers use "EST"/"PST"
// for summer dates too, so those follow the US DST rule.
func toUTC(y int, m time.Month, d, h, mi, s int, z zoneRef) time.Time {
	local := time.Date(y, m, d, h, mi, s, 0, time.UTC)
	off := z.off
	if !z.hasOff {
		off = offsetAt(z.id, local.Year(), local.Month(), local.Day(), local.Hour(), true)
	}
	return local.Add(-time.Duration(off) * time.Second)
}

// timeFollows reports whether the next point after i is a time without a
// date in the same sentence ("On March 31, 2025 from 15:10 UTC").
func (x *extractor) timeFollows(i int) bool {
	p := &x.pts[i]
	for j := range x.pts {
		q := &x.pts[j]
		if q.ts >= p.te && !q.yearHint && x.sent[q.ts] == x.sent[p.ts] && q.hasTime() && !q.ownDate {
			return true
		}
	}
	return false
}
