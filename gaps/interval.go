package gaps

import (
	"math"
	"slices"
	"sort"
	"time"
)

// ivEntry is one interval of an index, in whole minutes since the Unix
// epoch (start rounded down, end rounded up, so the index finds a superset
// of the true overlaps; link building then checks the exact times). ref is
// the position of the notice or gap it belongs to.
type ivEntry struct {
	s, e int32
	ref  int32
}

// ivBlock is how many entries share one leaf of the max-end tree.
const ivBlock = 16

// ivSet answers "which intervals overlap [qs, qe)?" in O(log n + k): the
// entries are sorted by start, and a segment tree over blocks of entries
// holds the latest end in each subtree, so subtrees ending before qs are
// skipped whole.
type ivSet struct {
	ents []ivEntry
	tree []int32 // tree[1] is the root; leaves start at size
	size int
}

// newIvSet sorts the entries and builds the tree.
func newIvSet(ents []ivEntry) *ivSet {
	slices.SortFunc(ents, func(a, b ivEntry) int {
		switch {
		case a.s != b.s:
			return int(a.s) - int(b.s)
		case a.ref != b.ref:
			return int(a.ref) - int(b.ref)
		}
		return int(a.e) - int(b.e)
	})
	nb := (len(ents) + ivBlock - 1) / ivBlock
	size := 1
	for size < nb {
		size *= 2
	}
	v := &ivSet{ents: ents, tree: make([]int32, 2*size), size: size}
	for i := range v.tree {
		v.tree[i] = math.MinInt32
	}
	for i, e := range ents {
		leaf := size + i/ivBlock
		v.tree[leaf] = max(v.tree[leaf], e.e)
	}
	for i := size - 1; i >= 1; i-- {
		v.tree[i] = max(v.tree[2*i], v.tree[2*i+1])
	}
	return v
}

// query calls fn with the ref of every entry with s < qe and e > qs.
func (v *ivSet) query(qs, qe int32, fn func(ref int32)) {
	ub := sort.Search(len(v.ents), func(i int) bool { return v.ents[i].s >= qe })
	if ub == 0 {
		return
	}
	v.visit(1, 0, v.size, qs, ub, fn)
}

// visit walks the subtree of node, which covers blocks [lo, hi).
func (v *ivSet) visit(node, lo, hi int, qs int32, ub int, fn func(ref int32)) {
	if lo*ivBlock >= ub || v.tree[node] <= qs {
		return
	}
	if node >= v.size {
		for i, end := lo*ivBlock, min((lo+1)*ivBlock, ub); i < end; i++ {
			if v.ents[i].e > qs {
				fn(v.ents[i].ref)
			}
		}
		return
	}
	mid := (lo + hi) / 2
	v.visit(2*node, lo, mid, qs, ub, fn)
	v.visit(2*node+1, mid, hi, qs, ub, fn)
}

// Minute bounds of an index entry. The start is kept below MaxInt32 and
// the end above MinInt32, so that clamped far-off times still overlap.
const (
	openEnd = math.MaxInt32
)

// minuteFloor is t in whole minutes since the epoch, rounded down.
func minuteFloor(t time.Time) int32 {
	m := floorDiv(t.Unix(), 60)
	return int32(min(max(m, math.MinInt32), math.MaxInt32-1))
}

// minuteCeil is t in whole minutes since the epoch, rounded up.
func minuteCeil(t time.Time) int32 {
	sec := t.Unix()
	if t.Nanosecond() > 0 {
		sec++
	}
	m := -floorDiv(-sec, 60)
	return int32(min(max(m, math.MinInt32+1), math.MaxInt32))
}

// floorDiv divides rounding toward negative infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
