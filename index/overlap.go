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
// widened to its precision (zero bounds are open; open windows are
// ongoing), its leaves boosted by boost. It returns nil when both bounds
// are open.
//
// A notice whose widened windows merge into one span is answered exactly
// by range queries on that span. For one with several disjoint spans the
// ranges only narrow the candidates: a filter then reads the spans from doc
// values and checks them one by one, so a range falling in the gap between
// two windows does not match.
func overlapQuery(from, to time.Time, boost float64) query.Query {
	from, to = queryTime(from), queryTime(to)
	if from.IsZero() && to.IsZero() {
		return nil
	}
	hull := func(multi bool) []query.Query {
		inclusive := true
		var qs []query.Query
		if !to.IsZero() {
			q := query.NewDateRangeInclusiveQuery(time.Time{}, to, nil, &inclusive)
			q.SetField(fieldSpanStart)
			q.SetBoost(boost)
			qs = append(qs, q)
		}
		if !from.IsZero() {
			q := query.NewDateRangeInclusiveQuery(from, time.Time{}, &inclusive, nil)
			q.SetField(fieldSpanEnd)
			q.SetBoost(boost)
			qs = append(qs, q)
		}
		m := query.NewBoolFieldQuery(multi)
		m.SetField(fieldMulti)
		m.SetBoost(boost)
		return append(qs, m)
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !from.IsZero() {
		lo = from.UnixNano()
	}
	if !to.IsZero() {
		hi = to.UnixNano()
	}
	exact := query.NewCustomFilterQueryWithFilter(
		query.NewConjunctionQuery(hull(true)),
		func(_ context.Context, d *search.DocumentMatch) (bool, error) {
			return anySpanOverlaps(d.Fields[fieldWindows], lo, hi), nil
		},
		[]string{fieldWindows}, nil)
	return query.NewDisjunctionQuery([]query.Query{query.NewConjunctionQuery(hull(false)), exact})
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
