package notice

import (
	"fmt"
	"time"
)

// Precision is how exactly a window's bounds are known.
type Precision string

// The precisions a window can have, from finest to coarsest.
const (
	PrecisionMinute Precision = "minute"
	PrecisionHour   Precision = "hour"
	PrecisionDay    Precision = "day"
)

// Valid reports whether p is one of the known precisions.
func (p Precision) Valid() bool {
	return p == PrecisionMinute || p == PrecisionHour || p == PrecisionDay
}

// Origin says where a window came from; structured windows win over text.
type Origin string

// Window origins.
const (
	// OriginStructured windows come from machine-readable fields of the
	// source (Statuspage started_at/resolved_at, GCP begin/end).
	OriginStructured Origin = "structured"
	// OriginText windows were extracted from the notice's prose.
	OriginText Origin = "text"
)

// Window is a period during which a vendor says its products were affected.
// Start and End are UTC. A nil End means the notice says the impact is
// ongoing.
type Window struct {
	Start     time.Time  `json:"start"`
	End       *time.Time `json:"end"`
	Precision Precision  `json:"precision"`
	// Evidence is the original text the window was read from.
	Evidence string `json:"evidence,omitempty"`
	Origin   Origin `json:"origin,omitempty"`
}

// Open reports whether the window is still ongoing.
func (w Window) Open() bool { return w.End == nil }

// Validate checks that the window is well formed: a known precision, a start,
// and an end that does not precede the start.
func (w Window) Validate() error {
	if w.Start.IsZero() {
		return fmt.Errorf("%w: window has no start", ErrInvalid)
	}
	if !w.Precision.Valid() {
		return fmt.Errorf("%w: window precision %q", ErrInvalid, w.Precision)
	}
	if w.End != nil && w.End.Before(w.Start) {
		return fmt.Errorf("%w: window ends (%s) before it starts (%s)", ErrInvalid, w.End.Format(time.RFC3339), w.Start.Format(time.RFC3339))
	}
	return nil
}

// Bounds returns the window's span widened to its precision: a day-precision
// window covers its whole calendar day in any time zone (±14 h), an
// hour-precision one its whole hour. An open window ends at now.
func (w Window) Bounds(now time.Time) (start, end time.Time) {
	start = w.Start
	if w.End != nil {
		end = *w.End
	} else {
		end = now
	}
	switch w.Precision {
	case PrecisionDay:
		start = start.Truncate(24 * time.Hour).Add(-14 * time.Hour)
		end = end.Truncate(24 * time.Hour).Add(24*time.Hour + 14*time.Hour)
	case PrecisionHour:
		start = start.Truncate(time.Hour)
		end = end.Truncate(time.Hour).Add(time.Hour)
	}
	if end.Before(start) {
		end = start
	}
	return start, end
}

// TimePtr returns a pointer to t in UTC, for building windows.
func TimePtr(t time.Time) *time.Time {
	u := t.UTC()
	return &u
}

// OpenHorizon is how long after a notice's latest date (published, updated,
// or the window's start) an open window — "still ongoing" — is taken to
// last by gap linking and, by default, by window lookups. A vendor still
// working on an incident updates its notice; a news story from years ago
// that said "ongoing" must not explain every later gap of the product.
const OpenHorizon = 7 * 24 * time.Hour

// OpenUntil returns until when the open window w of n is taken to last:
// OpenHorizon after the latest of its start and the notice's published and
// updated dates. For a closed window it returns its end.
func (n *Notice) OpenUntil(w Window) time.Time {
	if w.End != nil {
		return *w.End
	}
	latest := w.Start
	for _, t := range []time.Time{n.Item.Published, n.Item.Updated} {
		if t.After(latest) {
			latest = t
		}
	}
	return latest.Add(OpenHorizon).UTC()
}
