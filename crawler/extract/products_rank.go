package extract

import (
	"slices"
	"sort"
	"strings"
)

// nearby is how far (in folded bytes) a vendor name may be from an
// ambiguous product name ("Teams", "Storage") and still decide it: about a
// sentence or two.
const nearby = 200

// doc is the title or the text of a notice, folded and scanned.
type doc struct {
	f     *folded
	orig  string
	title bool
	hits  []hit
	cues  []cueHit
}

// evidence is a position where a vendor is named (by itself or through one
// of its products).
type evidence struct {
	pos    int
	vendor int
	// byName says the vendor itself was named, not one of its products.
	byName bool
}

// mention is one resolved product mention.
type mention struct {
	doc      int // 0 title, 1 text
	from, to int
	product  int
	ctx      mentionCtx
}

// mentionCtx says what the sentence around a mention reports about it.
type mentionCtx uint8

// The contexts of a mention.
const (
	ctxNeutral mentionCtx = iota
	ctxImpact
	ctxUnaffected
	// ctxCause marks a mention in a sentence explaining the root cause.
	ctxCause
)

// analysis holds everything read from one notice.
type analysis struct {
	c        *Catalog
	docs     [2]doc
	evidence [2][]evidence
	source   int // catalog index of the source vendor, or -1
	main     int // catalog index of the main vendor, or -1
	mainName string
	mentions []mention
}

// analyze folds and scans a notice and resolves its product mentions.
func (c *Catalog) analyze(title, text, sourceVendor string) *analysis {
	a := &analysis{c: c, source: -1, main: -1}
	for i, s := range [2]string{title, text} {
		f := fold(s)
		hits, cueHits := c.m.scan(f, s)
		a.docs[i] = doc{f: f, orig: s, title: i == 0, hits: hits, cues: cueHits}
		a.evidence[i] = c.collectEvidence(hits)
	}
	if sv := strings.TrimSpace(sourceVendor); sv != "" {
		if v, ok := c.byVendor[foldString(sv)]; ok {
			a.source, a.main, a.mainName = v, v, c.vendors[v].name
		} else {
			a.mainName = sv
		}
	} else {
		a.main, a.mainName = c.detectMain(a, title)
	}
	for d := range a.docs {
		first := len(a.mentions)
		for _, h := range a.docs[d].hits {
			if p, ok := a.resolve(d, h); ok {
				a.mentions = append(a.mentions, mention{doc: d, from: h.from, to: h.to, product: p})
			}
		}
		a.docs[d].cues = dropNameCues(a.docs[d].cues, a.mentions[first:])
		for i := first; i < len(a.mentions); i++ {
			m := &a.mentions[i]
			m.ctx = a.context(d, hit{from: m.from, to: m.to})
		}
	}
	return a
}

// dropNameCues removes the cue words that lie inside a product mention:
// "Issues" in "Git operations, Issues and Pull Requests were not impacted"
// names GitHub Issues and says nothing about impact. Both lists are in
// text order.
func dropNameCues(cues []cueHit, ms []mention) []cueHit {
	out, k := cues[:0], 0
	for _, cu := range cues {
		for k < len(ms) && ms[k].to <= cu.from {
			k++
		}
		if k < len(ms) && ms[k].from <= cu.from && cu.to <= ms[k].to {
			continue
		}
		out = append(out, cu)
	}
	return out
}

// collectEvidence lists where vendors are named unambiguously, once per
// name even when it names both a vendor and its product ("Slack").
func (c *Catalog) collectEvidence(hits []hit) []evidence {
	var ev []evidence
	for _, h := range hits {
		n := len(ev)
		for _, t := range c.m.targets[h.pat] {
			if t.ambiguous {
				continue
			}
			if k := slices.IndexFunc(ev[n:], func(e evidence) bool { return e.vendor == t.vendor }); k >= 0 {
				ev[n+k].byName = ev[n+k].byName || t.product < 0
				continue
			}
			ev = append(ev, evidence{pos: h.from, vendor: t.vendor, byName: t.product < 0})
		}
	}
	return ev
}

// detectMain picks the vendor a notice from no particular source is about:
// the one a Statuspage-style title names ("Incident Report for X"), else the
// most named vendor, title mentions counting three times.
func (c *Catalog) detectMain(a *analysis, title string) (int, string) {
	score := map[int]float64{}
	first := map[int]int{}
	for d, evs := range a.evidence {
		w := 1.0
		if d == 0 {
			w = 3
		}
		for i, e := range evs {
			score[e.vendor] += w
			if _, ok := first[e.vendor]; !ok {
				first[e.vendor] = d*1_000_000 + i
			}
		}
	}
	if name := reportVendor(title); name != "" {
		if v, ok := c.byVendor[foldString(name)]; ok {
			score[v] += 6
		} else if len(a.evidence[0]) == 0 {
			return -1, name
		}
	}
	best := -1
	for v, s := range score {
		if best < 0 || s > score[best] || (s == score[best] && first[v] < first[best]) {
			best = v
		}
	}
	if best < 0 {
		return -1, ""
	}
	return best, c.vendors[best].name
}

// reportVendor reads the page name out of Statuspage-style titles:
// "Indexing Delay - Incident Report for Mezmo Status Page" → "Mezmo".
func reportVendor(title string) string {
	low := strings.ToLower(title)
	for _, marker := range []string{"incident report for ", "maintenance report for ", "incident for "} {
		i := strings.LastIndex(low, marker)
		if i < 0 {
			continue
		}
		name := strings.TrimSpace(title[i+len(marker):])
		for _, suffix := range []string{" status page", " status", " statuspage"} {
			if strings.HasSuffix(strings.ToLower(name), suffix) {
				name = strings.TrimSpace(name[:len(name)-len(suffix)])
			}
		}
		return name
	}
	return ""
}

// resolve decides which product a hit names. Unambiguous names name their
// product; an ambiguous name names the candidate whose vendor is the
// source's, is named in the title, or is named nearby.
func (a *analysis) resolve(d int, h hit) (int, bool) {
	best, bestRank := -1, 1<<30
	for _, t := range a.c.m.targets[h.pat] {
		if t.product < 0 {
			continue
		}
		if !t.ambiguous {
			return t.product, true
		}
		if r, ok := a.vendorContext(d, h.from, t.vendor); ok && r < bestRank {
			best, bestRank = t.product, r
		}
	}
	return best, best >= 0
}

// vendorContext ranks how well vendor v is established around folded
// offset pos of doc d (lower is better), or reports that it is not.
func (a *analysis) vendorContext(d, pos, v int) (int, bool) {
	if v == a.source {
		return 0, true
	}
	best, ok := 1<<30, false
	for _, e := range a.evidence[0] {
		if e.vendor == v {
			best, ok = 2, true
		} else if a.c.sameCompany(e.vendor, v) && best > 3 {
			best, ok = 3, true
		}
	}
	for _, e := range a.evidence[d] {
		dist := e.pos - pos
		if dist < 0 {
			dist = -dist
		}
		if d == 0 || dist > nearby {
			continue
		}
		r := 10 + dist
		if e.vendor != v {
			if !a.c.sameCompany(e.vendor, v) {
				continue
			}
			r += nearby
		}
		if r < best {
			best, ok = r, true
		}
	}
	return best, ok
}

// sameCompany reports whether two vendors have the same owner.
func (c *Catalog) sameCompany(v, w int) bool {
	if v == w {
		return true
	}
	cv, cw := c.vendors[v].company, c.vendors[w].company
	return cv != "" && cv == cw
}

// context says whether the sentence around a mention reports impact on
// it, says it was unaffected, or neither. The nearest cue decides between
// impact and unaffected; a list item inherits the impact of the sentence
// that introduces it ("The following services were affected:"), and a
// heading that of the sentence after it.
func (a *analysis) context(d int, h hit) mentionCtx {
	dc := &a.docs[d]
	k := dc.f.segAt(h.from)
	if k < 0 {
		return ctxNeutral
	}
	if c := segContext(dc, k, h); c != ctxNeutral {
		return c
	}
	// A list item borrows the context of the sentence introducing it, a
	// short heading ("## Gmail") that of the sentence after it.
	seg := dc.f.segs[k]
	if seg.bullet {
		for j := k - 1; j >= 0 && j >= k-30; j-- {
			if dc.f.segs[j].colon {
				return segContext(dc, j, hit{from: dc.f.segs[j].to, to: dc.f.segs[j].to})
			}
			if !dc.f.segs[j].bullet {
				break
			}
		}
	}
	if seg.to-seg.from < 40 && k+1 < len(dc.f.segs) {
		return segContext(dc, k+1, hit{from: dc.f.segs[k+1].from, to: dc.f.segs[k+1].from})
	}
	return ctxNeutral
}

// segContext reads the cues of segment k as they bear on hit h.
func segContext(dc *doc, k int, h hit) mentionCtx {
	seg := dc.f.segs[k]
	i := sort.Search(len(dc.cues), func(i int) bool { return dc.cues[i].from >= seg.from })
	bestDist, ctx := 1<<30, ctxNeutral
	for ; i < len(dc.cues) && dc.cues[i].from < seg.to; i++ {
		cu := dc.cues[i]
		var c mentionCtx
		switch {
		case cu.kind == cueRootCause:
			return ctxCause
		case cu.kind == cueMaintenance || cu.kind == cueIncident:
			continue
		case cu.kind == cueUnaffected || cu.negated:
			c = ctxUnaffected
		default:
			c = ctxImpact
		}
		dist := cu.from - h.to
		if cu.to <= h.from {
			dist = h.from - cu.to
		}
		if dist < 0 {
			dist = 0
		}
		if dist < bestDist {
			bestDist, ctx = dist, c
		}
	}
	return ctx
}
