package index

import (
	"math"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// intervals is an immutable set of entries sorted by widened start,
// searched as an implicit balanced interval tree: the node of range
// [l, r) is its middle entry, and subMax[mid] is the latest widened end in
// that range (subUntil[mid] the same with open windows ending at their
// assumed end, for the default scope). A query visits O(log n + k) nodes
// for k hits, even with long or open windows.
type intervals struct {
	ents             []entry
	subMax, subUntil []int64
}

// newSortedIntervals builds the tree over es, already sorted by
// compareEntries.
func newSortedIntervals(es []entry) *intervals {
	iv := &intervals{ents: es, subMax: make([]int64, len(es)), subUntil: make([]int64, len(es))}
	iv.build(0, len(es))
	return iv
}

// build fills subMax and subUntil for [l, r) and returns their maxima.
func (iv *intervals) build(l, r int) (int64, int64) {
	if l >= r {
		return math.MinInt64, math.MinInt64
	}
	mid := int(uint(l+r) >> 1)
	lm, lu := iv.build(l, mid)
	rm, ru := iv.build(mid+1, r)
	iv.subMax[mid] = max(iv.ents[mid].hi, lm, rm)
	iv.subUntil[mid] = max(iv.ents[mid].until, lu, ru)
	return iv.subMax[mid], iv.subUntil[mid]
}

// visit walks the subtree [l, r) in order, pruning subtrees that end
// before lo and the right part once entries start after hi.
// An entry counts when its end in scope reaches lo and its notice is not
// in dead.
func (iv *intervals) visit(l, r int, lo, hi int64, scope notice.OpenScope, dead map[notice.ID]struct{}, out *[]notice.WindowHit) {
	sub := iv.subUntil
	if scope == notice.OpenAll {
		sub = iv.subMax
	}
	for l < r {
		mid := int(uint(l+r) >> 1)
		if sub[mid] < lo {
			return
		}
		iv.visit(l, mid, lo, hi, scope, dead, out)
		e := &iv.ents[mid]
		if e.lo > hi {
			return
		}
		if e.hi >= lo && (scope == notice.OpenAll || e.until >= lo) && !isDead(dead, e.info.id) {
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
	} else {
		h.AssumedEnd = notice.TimePtr(time.Unix(0, e.assumed))
	}
	return h
}

func isDead(dead map[notice.ID]struct{}, id notice.ID) bool {
	if len(dead) == 0 {
		return false
	}
	_, ok := dead[id]
	return ok
}
