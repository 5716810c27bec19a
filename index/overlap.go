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
// A notice with a window touching a UTC day or month that lies wholly
// inside the range overlaps it, so those day and month terms match
// outright. Only the notices of the range's partial first and last days,
// and those with windows too long for day terms, are candidates that a
// filter checks one by one against their spans read from doc values; a
// range falling in a gap between two windows does not match. The cost
// follows the few terms the range touches, not the corpus's history.
func overlapQuery(from, to time.Time, boost float64) query.Query {
	from, to = queryTime(from), queryTime(to)
	if from.IsZero() && to.IsZero() {
		return nil
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !from.IsZero() {
		lo = from.UnixNano()
	}
	if !to.IsZero() {
		hi = to.UnixNano()
	}
	if lo > hi {
		return query.NewMatchNoneQuery()
	}
	term := func(field, v string) query.Query {
		t := query.NewTermQuery(v)
		t.SetField(field)
		t.SetBoost(boost)
		return t
	}
	terms := func(field, first, last string) query.Query {
		inclusive := true
		r := query.NewTermRangeInclusiveQuery(first, last, &inclusive, &inclusive)
		r.SetField(field)
		r.SetBoost(boost)
		return r
	}
	b := bucketsOf(from, to)
	var sure []query.Query
	for _, r := range b.months {
		sure = append(sure, terms(fieldMonths, r[0], r[1]))
	}
	for _, r := range b.days {
		sure = append(sure, terms(fieldDays, r[0], r[1]))
	}
	// Candidates: the partial days, and notices too long for day terms
	// whose months (or too many months to list) meet the range.
	loMonth, hiMonth := "m", "m9999-99"
	if !from.IsZero() {
		loMonth = monthKey(from)
	}
	if !to.IsZero() {
		hiMonth = monthKey(to)
	}
	candidates := []query.Query{query.NewConjunctionQuery([]query.Query{
		term(fieldDays, daysLong),
		query.NewDisjunctionQuery([]query.Query{terms(fieldMonths, loMonth, hiMonth), term(fieldMonths, monthsLong)}),
	})}
	for _, d := range b.edges {
		candidates = append(candidates, term(fieldDays, d))
	}
	checked := query.NewCustomFilterQueryWithFilter(
		query.NewDisjunctionQuery(candidates),
		func(_ context.Context, d *search.DocumentMatch) (bool, error) {
			return anySpanOverlaps(d.Fields[fieldWindows], lo, hi), nil
		},
		[]string{fieldWindows}, nil)
	return query.NewDisjunctionQuery(append(sure, checked))
}

// buckets splits a query range into the day and month terms wholly
// inside it (inclusive term ranges) and the day terms of its partial
// first and last days.
type buckets struct {
	months, days [][2]string
	edges        []string
}

// bucketsOf splits [from, to] (zero: open) into buckets: whole months
// where they fit, whole days around them, partial days at the edges.
func bucketsOf(from, to time.Time) buckets {
	var b buckets
	// [first, last) are the whole days inside the range; nil is open.
	var first, last *time.Time
	if !from.IsZero() {
		d := utcDay(from)
		if !d.Equal(from) {
			b.edges = append(b.edges, dayKey(d))
			d = d.AddDate(0, 0, 1)
		}
		first = &d
	}
	if !to.IsZero() {
		d := utcDay(to)
		if next := d.AddDate(0, 0, 1); next.Add(-time.Nanosecond).Equal(to) {
			d = next
		} else if len(b.edges) == 0 || b.edges[0] != dayKey(d) {
			b.edges = append(b.edges, dayKey(d))
		}
		last = &d
	}
	if first != nil && last != nil && !first.Before(*last) {
		return b
	}
	// Whole months inside [first, last): [mFirst, mLast).
	var mFirst, mLast *time.Time
	if first != nil {
		m := utcMonth(*first)
		if !m.Equal(*first) {
			m = m.AddDate(0, 1, 0)
		}
		mFirst = &m
	}
	if last != nil {
		m := utcMonth(*last)
		mLast = &m
	}
	if mFirst != nil && mLast != nil && !mFirst.Before(*mLast) {
		// No whole month: the whole days alone.
		b.days = append(b.days, [2]string{dayKey(*first), dayKey(last.AddDate(0, 0, -1))})
		return b
	}
	lo, hi := "m", "m9999-99"
	if mFirst != nil {
		lo = monthKey(*mFirst)
		if first.Before(*mFirst) {
			b.days = append(b.days, [2]string{dayKey(*first), dayKey(mFirst.AddDate(0, 0, -1))})
		}
	}
	if mLast != nil {
		hi = monthKey(mLast.AddDate(0, -1, 0))
		if mLast.Before(*last) {
			b.days = append(b.days, [2]string{dayKey(*mLast), dayKey(last.AddDate(0, 0, -1))})
		}
	}
	b.months = append(b.months, [2]string{lo, hi})
	return b
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
