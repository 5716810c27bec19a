package gaps

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gapwatch/gapwatch/notice"
)

// Field limits of one gap row, so a stored gap stays a readable record.
const (
	maxNameLen = 256
	maxNoteLen = 2000
	// futureSlack is how far past now a gap may end: clocks differ, and
	// an export can carry the current, unfinished bucket.
	futureSlack = time.Hour
)

// The columns of a gap upload.
var (
	gapRequired = []string{"source", "start", "end"}
	gapOptional = []string{"product", "note"}
)

// rawGap is one uploaded row before validation.
type rawGap struct {
	line                              int
	source, product, start, end, note string
}

// ParseCSV reads a gap upload in CSV: a header naming the columns source,
// product, start, end and note in any order (product and note optional),
// then one gap per line. Times are RFC 3339 or "YYYY-MM-DD HH:MM[:SS]"
// with an optional explicit zone (Z, +02:00 or an IANA name such as
// Europe/Paris), otherwise in the tenant zone loc. The import is
// all-or-nothing: any bad row returns nil and an *ImportError listing every
// bad row (line numbers count the header as line 1). Duplicate rows (same
// Key) are collapsed, keeping the first.
func ParseCSV(r io.Reader, loc *time.Location, res Resolver, lim Limits, now time.Time) ([]notice.Gap, error) {
	t, err := openTable(r, gapRequired, gapOptional)
	if err != nil {
		return nil, err
	}
	var bad rowErrors
	recs, err := t.rows(lim.maxRows(), &bad)
	if err != nil {
		return nil, err
	}
	raws := make([]rawGap, len(recs))
	for i, rec := range recs {
		raws[i] = rawGap{line: rec.line, source: t.get(rec, "source"), product: t.get(rec, "product"),
			start: t.get(rec, "start"), end: t.get(rec, "end"), note: t.get(rec, "note")}
	}
	return buildGaps(raws, bad, loc, res, now)
}

// buildGaps validates raw rows into gaps, adding to the errors already
// found while reading, and collapses duplicates.
func buildGaps(raws []rawGap, bad rowErrors, loc *time.Location, res Resolver, now time.Time) ([]notice.Gap, error) {
	if loc == nil {
		loc = time.UTC
	}
	if len(raws) == 0 && len(bad) == 0 {
		bad.add(0, "", "no gaps in the request")
	}
	zones := zoneCache{}
	out := make([]notice.Gap, 0, len(raws))
	seen := make(map[string]bool, len(raws))
	for _, rg := range raws {
		g, ok := validateGap(rg, loc, zones, res, now, &bad)
		if !ok {
			continue
		}
		if k := Key(g); !seen[k] {
			seen[k] = true
			out = append(out, g)
		}
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// validateGap checks one row, recording every bad field, and returns the
// gap when the row is good.
func validateGap(rg rawGap, loc *time.Location, zones zoneCache, res Resolver, now time.Time, bad *rowErrors) (notice.Gap, bool) {
	n := len(*bad)
	g := notice.Gap{Source: strings.TrimSpace(rg.source), Note: strings.TrimSpace(rg.note)}
	product := strings.TrimSpace(rg.product)
	switch {
	case g.Source == "":
		bad.add(rg.line, "source", "required")
	case !utf8.ValidString(g.Source) || len(g.Source) > maxNameLen:
		bad.add(rg.line, "source", fmt.Sprintf("must be valid text of at most %d bytes", maxNameLen))
	}
	if !utf8.ValidString(product) || len(product) > maxNameLen {
		bad.add(rg.line, "product", fmt.Sprintf("must be valid text of at most %d bytes", maxNameLen))
	}
	if !utf8.ValidString(g.Note) || len(g.Note) > maxNoteLen {
		bad.add(rg.line, "note", fmt.Sprintf("must be valid text of at most %d bytes", maxNoteLen))
	}
	var okStart, okEnd bool
	g.Start, okStart = checkTime(rg.line, "start", rg.start, loc, zones, now, bad)
	g.End, okEnd = checkTime(rg.line, "end", rg.end, loc, zones, now, bad)
	if okStart && okEnd && !g.End.After(g.Start) {
		bad.add(rg.line, "end", fmt.Sprintf("must be after start (%s)", g.Start.Format(time.RFC3339)))
	}
	if len(*bad) > n {
		return notice.Gap{}, false
	}
	g.Product, g.Vendor = res.Resolve(g.Source, product)
	return g, true
}

// checkTime parses one time field and checks it is after the Unix epoch
// and not in the future (beyond now plus an hour). The store keeps Unix
// milliseconds with 0 meaning "no time", so a time within the epoch's
// first millisecond would read back as the zero time.
func checkTime(line int, field, s string, loc *time.Location, zones zoneCache, now time.Time, bad *rowErrors) (time.Time, bool) {
	t, err := parseTime(s, loc, zones)
	switch {
	case err != nil:
		bad.add(line, field, err.Error())
		return t, false
	case t.UnixMilli() <= 0:
		bad.add(line, field, "must be after 1970-01-01T00:00:00Z (the Unix epoch)")
		return t, false
	case t.After(now.Add(futureSlack)):
		bad.add(line, field, fmt.Sprintf("in the future (%s is after now plus %s)", t.Format(time.RFC3339), futureSlack))
		return t, false
	}
	return t, true
}

// Key is the de-duplication identity of a gap: its tenant, source, start
// and end. Importing the same gap twice (even with another note or
// product) gives the same key, so the store keeps one.
func Key(g notice.Gap) string {
	return strconv.FormatInt(int64(g.Tenant), 10) + "|" + strconv.Quote(g.Source) + "|" +
		g.Start.UTC().Format(time.RFC3339Nano) + "|" + g.End.UTC().Format(time.RFC3339Nano)
}
