package gaps

import (
	"math"
	"slices"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// NoticeIndex files the windows of many notices by the keys their products
// and vendors relate to, so that a gap finds its candidate notices without
// scanning them all (100k gaps against the windows of 1M notices in
// seconds). It is immutable once built and safe for concurrent use; it
// holds on to the notice slice it was built from, which the caller must
// not change.
type NoticeIndex struct {
	l     *Linker
	ns    []notice.Notice
	sides []noticeSide // resolved products of each notice
	sets  map[string]*ivSet
	names *nameCache
}

// IndexNotices builds the index of ns's windows. Windows that fail
// Window.Validate are left out, as Links leaves them out.
func (l *Linker) IndexNotices(ns []notice.Notice) *NoticeIndex {
	x := &NoticeIndex{l: l, ns: ns, sides: make([]noticeSide, len(ns)), names: newNameCache()}
	byKey := map[string][]ivEntry{}
	for i := range ns {
		if i > math.MaxInt32 {
			break
		}
		n := &ns[i]
		x.sides[i] = l.noticeSide(n, x.names)
		keys := noticeKeys(x.sides[i])
		if len(keys) == 0 {
			continue
		}
		for _, w := range linkWindows(n) {
			s, e, ok := windowMinutes(w)
			if !ok {
				continue
			}
			for _, k := range keys {
				byKey[k] = append(byKey[k], ivEntry{s: s, e: e, ref: int32(i)})
			}
		}
	}
	x.sets = buildSets(byKey)
	x.names.frozen = true
	return x
}

// LinksFor returns the links of one gap against the indexed notices, best
// first; the same links as Links(g, ns).
func (x *NoticeIndex) LinksFor(g notice.Gap) []notice.Link {
	if !g.End.After(g.Start) {
		return nil
	}
	c := &nameCache{m: x.names.m, vendors: x.names.vendors, frozen: true}
	gs := x.l.gapSide(&g, c)
	qs, qe := minuteFloor(g.Start), minuteCeil(g.End)
	var cs candidates
	for _, k := range x.l.gapKeys(gs) {
		if set := x.sets[k]; set != nil {
			set.query(qs, qe, cs.add)
		}
	}
	cands := cs.list
	out := make([]ranked, 0, len(cands))
	txt := gapText(g)
	for _, ref := range cands {
		n := &x.ns[ref]
		m, ok := x.l.relate(gs, x.sides[ref])
		if !ok {
			continue
		}
		if lk, ok := x.l.link(&g, txt, n, m); ok {
			out = append(out, ranked{lk, int(ref)})
		}
	}
	return sortRanked(out, byNotice)
}

// GapIndex files gaps (of every tenant) by the keys their products and
// vendors relate to, so that a new or revised notice finds the gaps it
// explains in milliseconds. It is immutable once built and safe for
// concurrent use; it holds on to the gap slice it was built from.
type GapIndex struct {
	l     *Linker
	gs    []notice.Gap
	sides []gapSide
	sets  map[string]*ivSet
	byID  map[notice.GapID]int
}

// lookup finds a gap of the index by ID.
func (x *GapIndex) lookup(id notice.GapID) (notice.Gap, bool) {
	i, ok := x.byID[id]
	if !ok {
		return notice.Gap{}, false
	}
	return x.gs[i], true
}

// IndexGaps builds the index of gs. Gaps that do not end after they start
// are left out.
func (l *Linker) IndexGaps(gs []notice.Gap) *GapIndex {
	x := &GapIndex{l: l, gs: gs, sides: make([]gapSide, len(gs)), byID: make(map[notice.GapID]int, len(gs))}
	for i, g := range gs {
		x.byID[g.ID] = i
	}
	c := newNameCache()
	byKey := map[string][]ivEntry{}
	for i := range gs {
		if i > math.MaxInt32 {
			break
		}
		g := &gs[i]
		if !g.End.After(g.Start) {
			continue
		}
		x.sides[i] = l.gapSide(g, c)
		s, e := minuteFloor(g.Start), minuteCeil(g.End)
		for _, k := range l.gapKeys(x.sides[i]) {
			byKey[k] = append(byKey[k], ivEntry{s: s, e: e, ref: int32(i)})
		}
	}
	x.sets = buildSets(byKey)
	return x
}

// Len returns the number of gaps the index was built from.
func (x *GapIndex) Len() int { return len(x.gs) }

// LinksFor returns the links of one notice against every indexed gap,
// best first (score, then gap ID); for each gap the same link as
// Links(gap, []notice.Notice{n}).
func (x *GapIndex) LinksFor(n notice.Notice) []notice.Link {
	c := newNameCache()
	ns := x.l.noticeSide(&n, c)
	keys := noticeKeys(ns)
	var cs candidates
	for _, w := range linkWindows(&n) {
		s, e, ok := windowMinutes(w)
		if !ok {
			continue
		}
		for _, k := range keys {
			if set := x.sets[k]; set != nil {
				set.query(s, e, cs.add)
			}
		}
	}
	cands := cs.list
	out := make([]ranked, 0, len(cands))
	for _, ref := range cands {
		m, ok := x.l.relate(x.sides[ref], ns)
		if !ok {
			continue
		}
		if lk, ok := x.l.link(&x.gs[ref], gapText(x.gs[ref]), &n, m); ok {
			out = append(out, ranked{lk, int(ref)})
		}
	}
	return sortRanked(out, byGap)
}

// candidates collects the distinct refs a query finds, in the order first
// found (which follows the keys, strongest relation first).
type candidates struct {
	list []int32
	seen map[int32]bool // used once the list outgrows a linear scan
}

// add records ref unless already found.
func (c *candidates) add(ref int32) {
	const linear = 16
	if c.seen == nil {
		if slices.Contains(c.list, ref) {
			return
		}
		c.list = append(c.list, ref)
		if len(c.list) > linear {
			c.seen = make(map[int32]bool, 2*len(c.list))
			for _, r := range c.list {
				c.seen[r] = true
			}
		}
		return
	}
	if !c.seen[ref] {
		c.seen[ref] = true
		c.list = append(c.list, ref)
	}
}

// windowMinutes is a window's widened span in index minutes; an open
// window runs to the end of time.
func windowMinutes(w notice.Window) (s, e int32, ok bool) {
	if w.Validate() != nil {
		return 0, 0, false
	}
	if w.Open() {
		from, _ := w.Bounds(w.Start)
		return minuteFloor(from), openEnd, true
	}
	from, to := w.Bounds(time.Time{})
	return minuteFloor(from), minuteCeil(to), true
}

// buildSets turns the entries gathered per key into interval sets.
func buildSets(byKey map[string][]ivEntry) map[string]*ivSet {
	sets := make(map[string]*ivSet, len(byKey))
	for k, ents := range byKey {
		sets[k] = newIvSet(ents)
	}
	return sets
}
