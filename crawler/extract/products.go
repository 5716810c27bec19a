package extract

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coregx/ahocorasick"
)

// ProductMatch is a catalog product a notice is about, with the text that
// named it.
type ProductMatch struct {
	Product Product
	// Matched is the text that named the product (the first mention in the
	// title, else the first mention reporting impact), or the vendor name
	// when the product was inferred.
	Matched string
	// Start and End are byte offsets of Matched in the title when InTitle,
	// else in the text; both are -1 when nothing in the notice names it.
	Start, End int
	InTitle    bool
	// Inferred marks a vendor's platform product reported because the
	// notice is about the vendor but names none of its products.
	Inferred bool
}

// patTarget is a product or vendor a pattern names.
type patTarget struct {
	product   int // -1 when the pattern is a vendor name
	vendor    int
	ambiguous bool
}

// patRule holds the case rules of a pattern, read off how the catalog
// spells it: acronyms ("AWS", "EC2") must be upper case in the text, and
// capitalised single words and ambiguous names ("Outlook", "Teams",
// "Virtual Machines") must start with a capital, so that "teams of
// engineers" and "the outlook" name nothing.
type patRule struct {
	upper    bool
	capFirst bool
	// plural allows a trailing "s" ("Load Balancers", "SQL Databases").
	plural bool
}

// matcher is the compiled name automaton of a catalog.
type matcher struct {
	ac      *ahocorasick.Automaton
	targets [][]patTarget
	rules   []patRule
	// cueBase is the number of name patterns; the cue vocabulary's
	// patterns follow them in the same automaton, so that one pass over a
	// text finds both names and cue words.
	cueBase int
	cues    *cueSet
}

// hit is one accepted pattern match in a folded text.
type hit struct {
	from, to int // folded offsets
	pat      int
}

// newMatcher compiles every vendor and product name of c into one
// automaton.
func newMatcher(c *Catalog) (*matcher, error) {
	m := &matcher{}
	idx := map[string]int{}
	var pats []string
	add := func(name string, t patTarget) {
		fn := foldString(name)
		r := ruleFor(name, fn, t.ambiguous)
		k, ok := idx[fn]
		if !ok {
			k = len(pats)
			idx[fn] = k
			pats = append(pats, fn)
			m.targets = append(m.targets, nil)
			m.rules = append(m.rules, r)
		} else {
			m.rules[k] = patRule{upper: m.rules[k].upper && r.upper, capFirst: m.rules[k].capFirst && r.capFirst, plural: m.rules[k].plural && r.plural}
		}
		for _, x := range m.targets[k] {
			if x == t {
				return
			}
		}
		m.targets[k] = append(m.targets[k], t)
	}
	for vi, v := range c.vendors {
		for _, n := range append([]string{v.name}, v.aliases...) {
			add(n, patTarget{product: -1, vendor: vi})
		}
	}
	for pi, p := range c.products {
		vi := c.productVendor[pi]
		for _, list := range [][]string{{p.Name}, p.Aliases, p.Former} {
			for _, n := range list {
				add(n, patTarget{product: pi, vendor: vi})
			}
		}
		for _, n := range p.Ambiguous {
			add(n, patTarget{product: pi, vendor: vi, ambiguous: true})
		}
	}
	m.cues, m.cueBase = cues(), len(pats)
	ac, err := ahocorasick.NewBuilder().AddStrings(pats).AddStrings(m.cues.pats).Build()
	if err != nil {
		return nil, fmt.Errorf("extract: catalog automaton: %w", err)
	}
	m.ac = ac
	return m, nil
}

// ruleFor derives the case rules of a name as the catalog spells it.
func ruleFor(name, folded string, ambiguous bool) patRule {
	single := !strings.Contains(folded, " ")
	hasLower, hasLetter := false, false
	for _, r := range name {
		if unicode.IsLetter(r) {
			hasLetter = true
			hasLower = hasLower || unicode.IsLower(r)
		}
	}
	first, _ := utf8.DecodeRuneInString(name)
	r := patRule{
		upper: single && hasLetter && !hasLower && len(folded) <= 5,
	}
	r.capFirst = !r.upper && unicode.IsUpper(first) && (single || ambiguous)
	last := folded[len(folded)-1]
	r.plural = !r.upper && len(folded) >= 4 && last >= 'a' && last <= 'z' && last != 's'
	return r
}

// scan finds the catalog names in f (the folding of orig): matches on word
// boundaries that obey their case rules, the longest where they overlap;
// and the cue words.
func (m *matcher) scan(f *folded, orig string) ([]hit, []cueHit) {
	raw := m.ac.FindAllOverlapping(f.s)
	hits := make([]hit, 0, len(raw)/2+1)
	for _, x := range raw {
		if x.PatternID >= m.cueBase {
			continue
		}
		h := hit{from: x.Start, to: x.End, pat: x.PatternID}
		if !f.startOK(h.from) {
			continue
		}
		rule := m.rules[h.pat]
		if !f.endOK(h.to) {
			if !rule.plural || h.to >= len(f.s) || f.s[h.to] != 's' || !f.endOK(h.to+1) {
				continue
			}
			h.to++
		}
		if !caseOK(rule, f, orig, h) || !spanOK(f, orig, h) {
			continue
		}
		hits = append(hits, h)
	}
	slices.SortFunc(hits, func(x, y hit) int {
		if x.from != y.from {
			return x.from - y.from
		}
		return y.to - x.to
	})
	out := hits[:0]
	end := -1
	for _, h := range hits {
		if h.from >= end {
			out = append(out, h)
			end = h.to
		}
	}
	return out, m.cues.collect(f, raw, m.cueBase)
}

// spanOK rejects a hit that runs across a comma, colon or sentence end in
// the original ("Cloudflare, one of…" is not "Cloudflare One") and a hit
// inside a URL or e-mail address, which names a host, not an affected
// product.
func spanOK(f *folded, orig string, h hit) bool {
	o1, o2 := f.orig(h.from, h.to)
	for i := o1; i < o2; i++ {
		switch orig[i] {
		case ',', ';', ':', '!', '?', '\n':
			return false
		case '.':
			if i+1 < o2 && orig[i+1] == ' ' {
				return false
			}
		}
	}
	a := o1
	for a > 0 && !isTokenEdge(orig[a-1]) {
		a--
	}
	b := o2
	for b < len(orig) && !isTokenEdge(orig[b]) {
		b++
	}
	tok := orig[a:b]
	return !strings.Contains(tok, "://") && !strings.HasPrefix(tok, "www.") && strings.IndexByte(tok, '@') < 0
}

// isTokenEdge reports whether c ends a URL-like token.
func isTokenEdge(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '<', '>', '"', '\'', '(', ')':
		return true
	}
	return false
}

// caseOK checks a hit's original spelling against the pattern's case rule.
func caseOK(rule patRule, f *folded, orig string, h hit) bool {
	if !rule.upper && !rule.capFirst {
		return true
	}
	o1, o2 := f.orig(h.from, h.to)
	s := orig[o1:o2]
	if rule.capFirst {
		r, _ := utf8.DecodeRuneInString(s)
		return unicode.IsUpper(r) || unicode.IsDigit(r)
	}
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// MatchProducts returns the catalog products a notice is about, most
// prominent first. sourceVendor (may be "") is the vendor of the source
// feed. A product counts when the title names it, when a sentence names it
// together with impact words, or when it is named repeatedly; a product
// named only among services "not impacted" does not, and neither does a
// product of another vendor named once in passing (a customer hit by the
// outage, a competitor). When the notice names its vendor but none of its
// products, the vendor's platform product is reported, marked Inferred.
func (c *Catalog) MatchProducts(title, text, sourceVendor string) []ProductMatch {
	return c.analyze(title, text, sourceVendor).selectProducts()
}

// DetectVendor returns the canonical name of the vendor a notice is about:
// the source's vendor when there is one, else the vendor a Statuspage-style
// title names, else the most named vendor, title mentions weighing more.
// It returns "" when no vendor is named.
func (c *Catalog) DetectVendor(title, text, sourceVendor string) string {
	if sv := strings.TrimSpace(sourceVendor); sv != "" {
		if v, ok := c.CanonicalVendor(sv); ok {
			return v
		}
		return sv
	}
	a := &analysis{c: c, source: -1, main: -1}
	for i, s := range [2]string{title, text} {
		hits, _ := c.m.scan(fold(s), s)
		a.evidence[i] = c.collectEvidence(hits)
	}
	_, name := c.detectMain(a, title)
	return name
}
