package index

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// intervals is an immutable set of entries sorted by widened start,
// searched as an implicit balanced interval tree: the node of range
// [l, r) is its middle entry, and subMax[mid] is the latest widened end in
// that range. A query visits O(log n + k) nodes for k hits, even with long
// or open windows.
type intervals struct {
	ents   []entry
	subMax []int64
}

// newIntervals sorts es (which it takes over) and builds the tree.
func newIntervals(es []entry) *intervals {
	slices.SortFunc(es, compareEntries)
	return newSortedIntervals(es)
}

// newSortedIntervals builds the tree over es, already sorted by
// compareEntries.
func newSortedIntervals(es []entry) *intervals {
	iv := &intervals{ents: es, subMax: make([]int64, len(es))}
	iv.build(0, len(es))
	return iv
}

// build fills subMax for [l, r) and returns its maximum.
func (iv *intervals) build(l, r int) int64 {
	if l >= r {
		return math.MinInt64
	}
	mid := int(uint(l+r) >> 1)
	m := max(iv.ents[mid].hi, iv.build(l, mid), iv.build(mid+1, r))
	iv.subMax[mid] = m
	return m
}

// find returns the entries overlapping [lo, hi] as hits sorted by stated
// start, notice ID and product. A nil receiver holds nothing.
func (iv *intervals) find(lo, hi int64) []notice.WindowHit {
	if iv == nil || lo > hi {
		return nil
	}
	var out []notice.WindowHit
	iv.visit(0, len(iv.ents), lo, hi, &out)
	slices.SortFunc(out, func(a, b notice.WindowHit) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.NoticeID, b.NoticeID), cmp.Compare(a.Product, b.Product))
	})
	return out
}

// visit walks the subtree [l, r) in order, pruning subtrees that end
// before lo and the right part once entries start after hi.
func (iv *intervals) visit(l, r int, lo, hi int64, out *[]notice.WindowHit) {
	for l < r {
		mid := int(uint(l+r) >> 1)
		if iv.subMax[mid] < lo {
			return
		}
		iv.visit(l, mid, lo, hi, out)
		e := &iv.ents[mid]
		if e.lo > hi {
			return
		}
		if e.hi >= lo {
			*out = append(*out, e.hit())
		}
		l = mid + 1 // tail-iterate over the right subtree
	}
}

// hit converts an entry to the API's window hit.
func (e *entry) hit() notice.WindowHit {
	h := notice.WindowHit{
		NoticeID:  e.info.id,
		Product:   e.prod.name,
		Vendor:    e.prod.vendor,
		Start:     time.Unix(0, e.start).UTC(),
		Precision: e.precision,
		Category:  e.info.category,
		Title:     e.info.title,
		URL:       e.info.url,
	}
	if e.end != math.MaxInt64 {
		h.End = notice.TimePtr(time.Unix(0, e.end))
	}
	return h
}
