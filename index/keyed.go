package index

import (
	"cmp"
	"slices"

	"github.com/gapwatch/gapwatch/notice"
)

// keyed holds the windows filed under one product or vendor key: a large
// base tree, a small delta tree of recent additions, and the notices whose
// base entries are gone. An update rewrites only the delta (and the dead
// set); once they grow past a fraction of the base they are folded into a
// new base. Rewriting the whole key on every batch made a bulk load cost
// O(all windows) per batch, quadratic overall. A keyed value is immutable
// once published in a snapshot.
type keyed struct {
	base, delta *intervals
	dead        map[notice.ID]struct{}
}

// Compaction thresholds: the delta and the dead set are folded into the
// base when they exceed minFold entries and base/foldShare of it.
const (
	minFold   = 1024
	foldShare = 4
)

// newKeyed returns a key holding only a base of sorted entries, nil when
// there are none.
func newKeyed(sorted []entry) *keyed {
	if len(sorted) == 0 {
		return nil
	}
	return &keyed{base: newSortedIntervals(sorted)}
}

// find returns the entries overlapping [lo, hi] in scope, sorted by stated
// start, notice ID and product. A nil receiver holds nothing.
func (k *keyed) find(lo, hi int64, scope notice.OpenScope) []notice.WindowHit {
	if k == nil || lo > hi {
		return nil
	}
	var out []notice.WindowHit
	if k.base != nil {
		k.base.visit(0, len(k.base.ents), lo, hi, scope, k.dead, &out)
	}
	if k.delta != nil {
		k.delta.visit(0, len(k.delta.ents), lo, hi, scope, nil, &out)
	}
	slices.SortFunc(out, func(a, b notice.WindowHit) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.NoticeID, b.NoticeID), cmp.Compare(a.Product, b.Product))
	})
	return out
}

// len counts the live entries.
func (k *keyed) len() int {
	if k == nil {
		return 0
	}
	n := 0
	if k.base != nil {
		n = len(k.base.ents)
		if len(k.dead) > 0 {
			for i := range k.base.ents {
				if _, gone := k.dead[k.base.ents[i].info.id]; gone {
					n--
				}
			}
		}
	}
	if k.delta != nil {
		n += len(k.delta.ents)
	}
	return n
}

// update returns the key without the entries of the notices in drop and
// with added (unsorted, taken over); nil when nothing is left.
func (k *keyed) update(drop []notice.ID, added []entry) *keyed {
	slices.SortFunc(added, compareEntries)
	if k == nil {
		return newKeyed(added)
	}
	gone := make(map[notice.ID]bool, len(drop))
	for _, id := range drop {
		gone[id] = true
	}
	var delta []entry
	if k.delta != nil {
		delta = make([]entry, 0, len(k.delta.ents)+len(added))
		for _, e := range k.delta.ents {
			if !gone[e.info.id] {
				delta = append(delta, e)
			}
		}
	}
	delta = mergeSorted(delta, added)
	dead := k.dead
	if len(drop) > 0 && k.base != nil {
		dead = make(map[notice.ID]struct{}, len(k.dead)+len(drop))
		for id := range k.dead {
			dead[id] = struct{}{}
		}
		for _, id := range drop {
			dead[id] = struct{}{}
		}
	}
	next := &keyed{base: k.base, dead: dead}
	if len(delta) > 0 {
		next.delta = newSortedIntervals(delta)
	}
	baseLen := 0
	if k.base != nil {
		baseLen = len(k.base.ents)
	}
	if limit := max(minFold, baseLen/foldShare); len(delta) > limit || len(dead) > limit {
		return next.fold()
	}
	if next.base == nil && next.delta == nil {
		return nil
	}
	return next
}

// fold merges the delta into the base without the dead notices.
func (k *keyed) fold() *keyed {
	var kept []entry
	if k.base != nil {
		kept = make([]entry, 0, len(k.base.ents))
		for _, e := range k.base.ents {
			if _, gone := k.dead[e.info.id]; !gone {
				kept = append(kept, e)
			}
		}
	}
	var delta []entry
	if k.delta != nil {
		delta = k.delta.ents
	}
	return newKeyed(mergeSorted(kept, delta))
}

// mergeSorted merges two sorted entry slices.
func mergeSorted(a, b []entry) []entry {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]entry, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if compareEntries(b[0], a[0]) < 0 {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}
