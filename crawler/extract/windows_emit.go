package extract

import (
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// maxCueSpan bounds how far after a start an end cue may be taken from.
const maxCueSpan = 3 * 24 * time.Hour

// add records a window candidate; it never keeps one that ends before it
// starts.
func (x *extractor) add(c cand) {
	if c.w.End != nil && c.w.End.Before(c.w.Start) {
		return
	}
	if c.w.Start.Year() < 1990 {
		return
	}
	x.out = append(x.out, c)
}

// usable reports points that can start or end a cue window.
func (x *extractor) usable(i int) bool {
	p, inf := &x.pts[i], &x.info[i]
	return inf.ok && !p.yearHint && !p.alias && !inf.inRange && !inf.used && inf.role&(roleNeg|roleFuture) == 0
}

// emitPairs turns a start cue followed by an end cue ("began at X and
// ended at Y", "Start Time: X / End Time: Y") into a window.
func (x *extractor) emitPairs() {
	for i := range x.pts {
		if !x.usable(i) || x.info[i].role&roleStart == 0 || x.info[i].dur != 0 {
			continue
		}
		j := x.nextPoint(i)
		if j < 0 || !x.usable(j) || x.info[j].role&roleEnd == 0 || x.sent[x.pts[j].ts]-x.sent[x.pts[i].ts] > 1 {
			continue
		}
		s, e := x.info[i].t, x.info[j].t
		if e.Before(s) {
			continue
		}
		x.add(cand{
			w:        x.window(s, &e, coarser(x.info[i].prec, x.info[j].prec), x.evidence(x.cueStart(i), x.pts[j].te)),
			pos:      int(x.toks[x.pts[i].ts].pos),
			explicit: true,
		})
		x.info[i].used, x.info[j].used = true, true
	}
}

// nextPoint returns the next event point after i in the text, skipping
// restatements and year hints, or -1.
func (x *extractor) nextPoint(i int) int {
	best := -1
	for j := range x.pts {
		q := &x.pts[j]
		if j == i || q.alias || q.yearHint || q.ts < x.pts[i].te {
			continue
		}
		if best < 0 || q.ts < x.pts[best].ts {
			best = j
		}
	}
	return best
}

// cueStart returns the token where the wording of point i starts: up to
// four tokens back in its clause, to include "began at" or "since".
func (x *extractor) cueStart(i int) int {
	lo, _ := x.clause(i)
	return max(lo, x.pts[i].ts-4)
}

func (x *extractor) window(s time.Time, e *time.Time, prec notice.Precision, ev string) notice.Window {
	w := notice.Window{Start: s.UTC(), Precision: prec, Evidence: ev, Origin: notice.OriginText}
	if e != nil {
		w.End = notice.TimePtr(*e)
	}
	return w
}

// emitCueWindows makes a window from every remaining start cue. Its end
// is, in order of preference: a duration in the same sentence, the latest
// end cue within three days after it, the nearest stated duration; else
// the window is open (the text says it is ongoing or gives no end). A
// "since" start takes no end cue, except a later "Resolved" update stamp.
func (x *extractor) emitCueWindows() {
	for i := range x.pts {
		inf := &x.info[i]
		if !x.usable(i) || inf.role&roleStart == 0 {
			continue
		}
		s := inf.t
		if x.startsKnown(s) {
			continue // restates the start of a window already found
		}
		end, prec := x.cueEnd(i)
		x.add(cand{w: x.window(s, end, prec, x.evidence(x.cueStart(i), x.pts[i].te)), pos: int(x.toks[x.pts[i].ts].pos)})
		inf.used = true
	}
}

// cueEnd finds the end of the window started by point i (nil if open)
// and the window's precision.
func (x *extractor) cueEnd(i int) (*time.Time, notice.Precision) {
	inf := &x.info[i]
	s, prec := inf.t, inf.prec
	d, ok := x.startDuration(i)
	switch {
	case ok:
	case inf.role&roleSince != 0:
		// "since 12:40" held when its update was written; a later
		// "Resolved" update of the same status log closes it.
		if j, e := x.latestEnd(i, roleStampEnd); j >= 0 {
			return &e, coarser(prec, x.info[j].prec)
		}
		return nil, prec
	default:
		if j, e := x.latestEnd(i, roleEnd); j >= 0 {
			return &e, coarser(prec, x.info[j].prec)
		}
		if d, ok = x.nearestDuration(i); !ok {
			return nil, prec
		}
	}
	e := s.Add(d.d)
	if d.approx && prec == notice.PrecisionMinute {
		prec = notice.PrecisionHour
	}
	return &e, prec
}

// startDuration returns the duration adjacent to point i or stated later
// in its sentence.
func (x *extractor) startDuration(i int) (duration, bool) {
	if d := x.info[i].dur; d > 0 {
		x.durs[d-1].used = true
		return x.durs[d-1], true
	}
	p := &x.pts[i]
	for k := range x.durs {
		if d := &x.durs[k]; d.ts >= p.te && x.sent[d.ts] == x.sent[p.ts] {
			d.used = true
			return *d, true
		}
	}
	return duration{}, false
}

// nearestDuration returns the stated duration closest to point i.
func (x *extractor) nearestDuration(i int) (duration, bool) {
	p := &x.pts[i]
	best, bestDist := -1, 1<<30
	for k, d := range x.durs {
		if d.used {
			continue
		}
		dist := p.ts - d.te
		if d.ts >= p.te {
			dist = d.ts - p.te
		}
		if dist >= 0 && dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best < 0 {
		return duration{}, false
	}
	return x.durs[best], true
}

// latestEnd returns the latest point with the given end role that falls
// within maxCueSpan after point i, and its instant, or -1. An end that
// states no date of its own and reads earlier than the start is on the
// next day ("start at 22:00 UTC ... until 00:10").
func (x *extractor) latestEnd(i int, role uint16) (int, time.Time) {
	s := x.info[i].t
	best := -1
	var bt time.Time
	for j := range x.pts {
		if j == i || !x.usable(j) || x.info[j].role&role == 0 {
			continue
		}
		t := x.info[j].t
		if !t.After(s) && !x.pts[j].ownDate && x.pts[j].hasTime() {
			t = t.Add(24 * time.Hour)
		}
		if !t.After(s) || t.Sub(s) > maxCueSpan {
			continue
		}
		if best < 0 || t.After(bt) {
			best, bt = j, t
		}
	}
	return best, bt
}

// startsKnown reports whether a window found so far starts at s.
func (x *extractor) startsKnown(s time.Time) bool {
	for _, c := range x.out {
		if c.w.Start.Equal(s) {
			return true
		}
	}
	return false
}

// emitFallback handles notices that state no range and no cue: a status
// log of update stamps ("1:58 PM PST We are investigating ... 7:51 PM PST
// ... resolved"), a timeline, or a narrative whose only cue is how it
// ended. The window runs from the first event time to the last
// resolution.
func (x *extractor) emitFallback() {
	start := -1
	for i := range x.pts {
		if !x.usable(i) || !x.pts[i].hasTime() {
			continue
		}
		if x.info[i].role&(roleStampStart|roleStart) != 0 && (start < 0 || x.info[i].t.Before(x.info[start].t)) {
			start = i
		}
	}
	if start < 0 {
		for i := range x.pts {
			if x.usable(i) && x.pts[i].hasTime() && x.info[i].role&(roleEnd|roleStampEnd) == 0 &&
				(start < 0 || x.info[i].t.Before(x.info[start].t)) {
				start = i
			}
		}
		if start < 0 {
			return
		}
		if j, _ := x.latestEnd(start, roleEnd|roleStampEnd); j < 0 {
			return
		}
	}
	var end *time.Time
	prec := x.info[start].prec
	if j, e := x.latestEnd(start, roleEnd|roleStampEnd); j >= 0 {
		end = &e
		prec = coarser(prec, x.info[j].prec)
	} else if d, ok := x.nearestDuration(start); ok {
		e := x.info[start].t.Add(d.d)
		end = &e
	}
	x.add(cand{w: x.window(x.info[start].t, end, prec, x.evidence(x.cueStart(start), x.pts[start].te)), pos: int(x.toks[x.pts[start].ts].pos)})
}

// mergeCand adds c to the kept windows unless it restates one of them;
// when it states the same window more completely (an end where the other
// had none, a time where the other had a day) it replaces it.
func mergeCand(kept []cand, c cand) []cand {
	for i := range kept {
		k := &kept[i]
		switch compareCand(k, &c) {
		case keepOld:
			return kept
		case keepNew:
			pos := k.pos
			*k = c
			k.pos = pos
			return kept
		}
	}
	return append(kept, c)
}

const (
	distinct = iota
	keepOld
	keepNew
)

// compareCand decides whether two candidates state the same window.
// Explicit ranges must match to the minute to be one (a notice may state
// 15:09–16:45 and 15:10–16:44 for two scopes); a cue-derived window is a
// restatement when both ends are within the precision tolerance.
func compareCand(k, c *cand) int {
	tol := 15 * time.Minute
	if k.explicit && c.explicit {
		tol = time.Minute - 1
	}
	kd, cd := k.w.Precision == notice.PrecisionDay, c.w.Precision == notice.PrecisionDay
	startClose := near(k.w.Start, c.w.Start, tol, kd, cd)
	if !startClose {
		return distinct
	}
	switch {
	case k.w.End == nil && c.w.End == nil:
		if cd && !kd {
			return keepOld
		}
		if kd && !cd {
			return keepNew
		}
		return keepOld
	case c.w.End == nil:
		return keepOld
	case k.w.End == nil:
		return keepNew
	}
	if !near(*k.w.End, *c.w.End, tol, kd, cd) {
		if kd && !cd || cd && !kd {
			// A day-level statement of a window stated elsewhere to the minute.
			if cd {
				return keepOld
			}
			return keepNew
		}
		return distinct
	}
	if kd && !cd {
		return keepNew
	}
	return keepOld
}

// near compares two instants: within tol, or, when either is a day, in
// the same calendar day widened by 14 hours (a date without a zone).
func near(a, b time.Time, tol time.Duration, aDay, bDay bool) bool {
	switch {
	case aDay:
		d := a.Truncate(24 * time.Hour)
		return !b.Before(d.Add(-14*time.Hour)) && !b.After(d.Add(38*time.Hour))
	case bDay:
		d := b.Truncate(24 * time.Hour)
		return !a.Before(d.Add(-14*time.Hour)) && !a.After(d.Add(38*time.Hour))
	}
	diff := a.Sub(b)
	if diff < 0 {
		diff = -diff
	}
	return diff <= tol
}
