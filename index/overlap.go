package index

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// overlapQuery selects notices with a window overlapping [from, to] once
// widened to its precision (zero bounds are open; open windows last until
// their assumed end, as window lookups and gap linking take them), its
// leaves boosted by boost. It returns nil when both bounds are open.
//
// The candidates are the notices filed under the months the range
// touches (a few terms, whatever the corpus's history); a filter then reads
// their spans from doc values and checks them one by one, so a range
// falling in a gap between two windows does not match.
func overlapQuery(from, to time.Time, boost float64) query.Query {
	from, to = queryTime(from), queryTime(to)
	if from.IsZero() && to.IsZero() {
		return nil
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	loKey, hiKey := "m", "m9999-99"
	if !from.IsZero() {
		lo, loKey = from.UnixNano(), monthKey(from)
	}
	if !to.IsZero() {
		hi, hiKey = to.UnixNano(), monthKey(to)
	}
	if lo > hi {
		return query.NewMatchNoneQuery()
	}
	inclusive := true
	months := query.NewTermRangeInclusiveQuery(loKey, hiKey, &inclusive, &inclusive)
	months.SetField(fieldMonths)
	months.SetBoost(boost)
	long := query.NewTermQuery(monthsLong)
	long.SetField(fieldMonths)
	long.SetBoost(boost)
	return query.NewCustomFilterQueryWithFilter(
		query.NewDisjunctionQuery([]query.Query{months, long}),
		func(_ context.Context, d *search.DocumentMatch) (bool, error) {
			return anySpanOverlaps(d.Fields[fieldWindows], lo, hi), nil
		},
		[]string{fieldWindows}, nil)
}

// anySpanOverlaps reports whether one of the encoded spans ("w<lo>_<hi>",
// one string or a list of them, as doc values arrive) overlaps [lo, hi].
func anySpanOverlaps(v any, lo, hi int64) bool {
	switch t := v.(type) {
	case string:
		return spanOverlaps(t, lo, hi)
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok && spanOverlaps(s, lo, hi) {
				return true
			}
		}
	}
	return false
}

// spanOverlaps decodes one span and tests it against [lo, hi].
func spanOverlaps(enc string, lo, hi int64) bool {
	a, b, ok := strings.Cut(strings.TrimPrefix(enc, "w"), "_")
	if !ok {
		return false
	}
	start, err1 := strconv.ParseInt(a, 10, 64)
	end, err2 := strconv.ParseInt(b, 10, 64)
	return err1 == nil && err2 == nil && start <= hi && end >= lo
}
