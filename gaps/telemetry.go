package gaps

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Count is one bucket of a customer's event counts: how many events the
// source produced in the bucket starting At.
type Count struct {
	At     time.Time `json:"at"`
	Source string    `json:"source"`
	Count  float64   `json:"count"`
}

// The columns of a telemetry upload.
var telemetryColumns = []string{"timestamp", "source", "count"}

// maxTelemetrySpan bounds the time one upload may cover, so a stray
// timestamp (7000-01-01) cannot stretch every source's series.
const maxTelemetrySpan = 2 * 366 * 24 * time.Hour

// ParseTelemetry reads event counts as CSV with the header
// timestamp,source,count (columns in any order), such as the hourly counts
// a SIEM query exports. Timestamps take the same forms as gap times, in loc
// when they carry no zone; counts are non-negative numbers. Like gap
// imports it is all-or-nothing: any bad row returns an *ImportError
// listing every bad row.
func ParseTelemetry(r io.Reader, loc *time.Location, lim Limits) ([]Count, error) {
	if loc == nil {
		loc = time.UTC
	}
	t, err := openTable(r, telemetryColumns, nil)
	if err != nil {
		return nil, err
	}
	var bad rowErrors
	recs, err := t.rows(lim.maxRows(), &bad)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 && len(bad) == 0 {
		bad.add(0, "", "no counts in the request")
	}
	zones := zoneCache{}
	out := make([]Count, 0, len(recs))
	for _, rec := range recs {
		c, ok := parseCount(t, rec, loc, zones, &bad)
		if ok {
			out = append(out, c)
		}
	}
	if len(bad) == 0 {
		checkSpan(out, &bad)
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// checkSpan refuses counts spanning more than maxTelemetrySpan.
func checkSpan(cs []Count, bad *rowErrors) {
	if len(cs) == 0 {
		return
	}
	lo, hi := cs[0].At, cs[0].At
	for _, c := range cs {
		if c.At.Before(lo) {
			lo = c.At
		}
		if c.At.After(hi) {
			hi = c.At
		}
	}
	if hi.Sub(lo) > maxTelemetrySpan {
		bad.add(0, "timestamp", fmt.Sprintf("the counts run from %s to %s: at most %d days per upload",
			lo.Format(time.RFC3339), hi.Format(time.RFC3339), int(maxTelemetrySpan/(24*time.Hour))))
	}
}

// parseCount checks one telemetry row, recording every bad field.
func parseCount(t *table, rec csvRow, loc *time.Location, zones zoneCache, bad *rowErrors) (Count, bool) {
	n := len(*bad)
	c := Count{Source: strings.TrimSpace(t.get(rec, "source"))}
	switch {
	case c.Source == "":
		bad.add(rec.line, "source", "required")
	case !utf8.ValidString(c.Source) || len(c.Source) > maxNameLen:
		bad.add(rec.line, "source", fmt.Sprintf("must be valid text of at most %d bytes", maxNameLen))
	}
	at, err := parseTime(t.get(rec, "timestamp"), loc, zones)
	switch {
	case err != nil:
		bad.add(rec.line, "timestamp", err.Error())
	case at.Year() < 1970 || at.Year() > 9999:
		bad.add(rec.line, "timestamp", "out of range")
	}
	c.At = at
	s := strings.TrimSpace(t.get(rec, "count"))
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case s == "":
		bad.add(rec.line, "count", "required")
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
		bad.add(rec.line, "count", fmt.Sprintf("%q is not a number", s))
	case v < 0:
		bad.add(rec.line, "count", "must not be negative")
	}
	c.Count = v
	return c, len(*bad) == n
}
