package index

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// Windows answers "which affected windows of this product (or vendor)
// overlap this time range" from memory, in microseconds: per product and
// per vendor it keeps the windows sorted by widened start in an implicit
// interval tree (each subtree knows its latest end). It is rebuilt from the
// store with Rebuild and kept current with Put and Remove.
//
// Overlap uses the windows widened to their precision exactly like
// notice.Window.Bounds (a day-precision window covers its whole day in any
// zone, ±14 h); an open window is ongoing. Keys are case-insensitive; the
// caller resolves aliases to canonical names.
//
// Windows is safe for concurrent use: lookups read an immutable snapshot
// without locking, writers build the next snapshot under a mutex. Create
// one with NewWindows.
type Windows struct {
	snap atomic.Pointer[windowSnapshot]

	mu sync.Mutex // serialises writers
	// byNotice records the keys a notice's windows are filed under.
	byNotice map[notice.ID]fileKeys
}

// windowSnapshot is one immutable state of Windows.
type windowSnapshot struct {
	products, vendors map[string]*keyed
}

// fileKeys are the product and vendor keys of one notice.
type fileKeys struct{ products, vendors []string }

// noticeInfo is what hits carry about their notice, shared by its windows.
type noticeInfo struct {
	id         notice.ID
	category   notice.Category
	title, url string
}

// productInfo names a product and its vendor, shared by its entries.
type productInfo struct{ name, vendor string }

// entry is one window filed under one key. lo and hi are the widened
// bounds in Unix nanoseconds (hi is MaxInt64 for an open window), until the
// widened end within notice.OpenHorizon (hi for a closed window); start and
// end the stated ones (end MaxInt64 when open), assumed the open window's
// notice.Notice.OpenUntil.
type entry struct {
	lo, hi, until, start, end, assumed int64
	info                               *noticeInfo
	prod                               *productInfo
	precision                          notice.Precision
}

// NewWindows returns an empty Windows.
func NewWindows() *Windows {
	w := &Windows{byNotice: map[notice.ID]fileKeys{}}
	w.snap.Store(&windowSnapshot{products: map[string]*keyed{}, vendors: map[string]*keyed{}})
	return w
}

// Find answers a window query: the windows of the canonical product (or,
// without one, of every product of the vendor: one hit per window and
// product, Product empty for a notice naming none of the vendor's
// products) overlapping [From, To], sorted by start then notice ID. A zero
// bound is open; open windows reach as far as q.Open says.
func (w *Windows) Find(q notice.WindowQuery) []notice.WindowHit {
	snap := w.snap.Load()
	k := snap.products[key(q.Product)]
	if q.Product == "" {
		k = snap.vendors[key(q.Vendor)]
	}
	return k.find(bound(q.From, math.MinInt64), bound(q.To, math.MaxInt64), q.Open)
}

// Lookup returns the windows of the canonical product (case-insensitive)
// overlapping [from, to], open windows lasting until their assumed end.
func (w *Windows) Lookup(product string, from, to time.Time) []notice.WindowHit {
	return w.snap.Load().products[key(product)].find(bound(from, math.MinInt64), bound(to, math.MaxInt64), notice.OpenRecent)
}

// LookupVendor returns the windows of every product of the vendor
// (case-insensitive) overlapping [from, to], like Find.
func (w *Windows) LookupVendor(vendor string, from, to time.Time) []notice.WindowHit {
	return w.snap.Load().vendors[key(vendor)].find(bound(from, math.MinInt64), bound(to, math.MaxInt64), notice.OpenRecent)
}

// At returns the windows of the product containing the instant t.
func (w *Windows) At(product string, t time.Time) []notice.WindowHit {
	return w.Lookup(product, t, t)
}

// Len returns how many windows are filed under product keys.
func (w *Windows) Len() int {
	n := 0
	for _, k := range w.snap.Load().products {
		n += k.len()
	}
	return n
}

// Put files the notice's windows, replacing any it had before.
func (w *Windows) Put(n notice.Notice) { w.PutAll([]notice.Notice{n}) }

// PutAll files the windows of several notices at once, replacing those
// they had; cheaper than one Put each, as each touched key is rebuilt once.
// When a notice appears twice, the last one wins.
func (w *Windows) PutAll(ns []notice.Notice) {
	if len(ns) == 0 {
		return
	}
	ids := make(map[notice.ID]bool, len(ns))
	adds := newFiling()
	for i := len(ns) - 1; i >= 0; i-- {
		if !ids[ns[i].ID] {
			ids[ns[i].ID] = true
			adds.add(ns[i])
		}
	}
	w.apply(ids, adds)
}

// Remove forgets the windows of the given notices.
func (w *Windows) Remove(ids ...notice.ID) {
	set := make(map[notice.ID]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	w.apply(set, newFiling())
}

// Rebuild replaces every window with those of the notices each yields (it
// is shaped like store.EachNotice bound to a context) and returns each's
// error. Lookups see the old windows until it finishes, writers wait for
// it; on error nothing changes.
func (w *Windows) Rebuild(each func(func(notice.Notice) error) error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	f := newFiling()
	if err := each(func(n notice.Notice) error { f.add(n); return nil }); err != nil {
		return err
	}
	next := &windowSnapshot{products: map[string]*keyed{}, vendors: map[string]*keyed{}}
	for k, es := range f.products {
		slices.SortFunc(es, compareEntries)
		next.products[k] = newKeyed(es)
	}
	for k, es := range f.vendors {
		slices.SortFunc(es, compareEntries)
		next.vendors[k] = newKeyed(es)
	}
	w.byNotice = f.keys
	w.snap.Store(next)
	return nil
}

// apply removes the entries of the notices in drop, adds those in adds,
// and publishes the next snapshot.
func (w *Windows) apply(drop map[notice.ID]bool, adds *filing) {
	w.mu.Lock()
	defer w.mu.Unlock()
	cur := w.snap.Load()
	dropP, dropV := map[string][]notice.ID{}, map[string][]notice.ID{}
	for id := range drop {
		for _, k := range w.byNotice[id].products {
			dropP[k] = append(dropP[k], id)
		}
		for _, k := range w.byNotice[id].vendors {
			dropV[k] = append(dropV[k], id)
		}
		delete(w.byNotice, id)
	}
	next := &windowSnapshot{
		products: updated(cur.products, dropP, adds.products),
		vendors:  updated(cur.vendors, dropV, adds.vendors),
	}
	for id, ks := range adds.keys {
		w.byNotice[id] = ks
	}
	w.snap.Store(next)
}

// updated copies m, updating the keys with drops or additions.
func updated(m map[string]*keyed, drops map[string][]notice.ID, adds map[string][]entry) map[string]*keyed {
	out := make(map[string]*keyed, len(m)+len(adds))
	for k, v := range m {
		out[k] = v
	}
	touched := func(k string) {
		if v := m[k].update(drops[k], adds[k]); v != nil {
			out[k] = v
		} else {
			delete(out, k)
		}
	}
	for k := range drops {
		touched(k)
	}
	for k := range adds {
		if _, done := drops[k]; !done {
			touched(k)
		}
	}
	return out
}

// filing collects the entries of notices by key.
type filing struct {
	products, vendors map[string][]entry
	keys              map[notice.ID]fileKeys
	// prods interns product infos so entries share them.
	prods map[productInfo]*productInfo
}

func newFiling() *filing {
	return &filing{products: map[string][]entry{}, vendors: map[string][]entry{}, keys: map[notice.ID]fileKeys{}, prods: map[productInfo]*productInfo{}}
}

// add files n's windows under each of its products and their vendors (the
// notice's vendor for products without one, and for a notice without
// products).
func (f *filing) add(n notice.Notice) {
	var ws []entry
	info := &noticeInfo{id: n.ID, category: n.Extraction.Category, title: n.Item.Title, url: n.Item.URL}
	for _, win := range n.Extraction.Windows {
		if !win.Start.IsZero() {
			ws = append(ws, windowEntry(win, info, n.OpenUntil(win)))
		}
	}
	if len(ws) == 0 {
		return
	}
	var ks fileKeys
	file := func(p productInfo) {
		pi := f.intern(p)
		if pk := key(p.name); pk != "" {
			ks.products = append(ks.products, pk)
			f.products[pk] = appendEntries(f.products[pk], ws, pi)
		}
		if vk := key(p.vendor); vk != "" {
			if !slices.Contains(ks.vendors, vk) {
				ks.vendors = append(ks.vendors, vk)
			}
			f.vendors[vk] = appendEntries(f.vendors[vk], ws, pi)
		}
	}
	vendor := vendorOf(n)
	for _, p := range n.Extraction.Products {
		if key(p.Name) == "" || slices.Contains(ks.products, key(p.Name)) {
			continue
		}
		v := p.Vendor
		if v == "" {
			v = vendor
		}
		file(productInfo{name: p.Name, vendor: v})
	}
	if len(ks.products) == 0 {
		file(productInfo{vendor: vendor})
	}
	f.keys[n.ID] = ks
}

// appendEntries appends the windows ws filed for product p.
func appendEntries(dst, ws []entry, p *productInfo) []entry {
	for _, e := range ws {
		e.prod = p
		dst = append(dst, e)
	}
	return dst
}

func (f *filing) intern(p productInfo) *productInfo {
	if pi, ok := f.prods[p]; ok {
		return pi
	}
	pi := &p
	f.prods[p] = pi
	return pi
}

// windowEntry converts a window, widening it like notice.Window.Bounds;
// assumed is, for an open window, until when it is taken to last.
func windowEntry(w notice.Window, info *noticeInfo, assumed time.Time) entry {
	s := widen(w)
	e := entry{lo: s.lo, hi: s.hi, until: s.hi, start: nanos(w.Start), end: math.MaxInt64, info: info, precision: w.Precision}
	if w.End != nil {
		e.end = nanos(*w.End)
		return e
	}
	e.assumed = nanos(assumed)
	closed := w
	closed.End = &assumed
	e.until = widen(closed).hi
	return e
}

// key folds a product or vendor name for lookup.
func key(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// bound converts a lookup bound, zero meaning open (def).
func bound(t time.Time, def int64) int64 {
	if t.IsZero() {
		return def
	}
	return nanos(t)
}

// compareEntries orders entries by widened start, then notice ID, then
// product, so that rebuilding is deterministic.
func compareEntries(a, b entry) int {
	return cmp.Or(cmp.Compare(a.lo, b.lo), cmp.Compare(a.info.id, b.info.id), cmp.Compare(a.prod.name, b.prod.name), cmp.Compare(a.start, b.start))
}
