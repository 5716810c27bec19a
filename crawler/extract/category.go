package extract

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/coregx/ahocorasick"

	"github.com/gapwatch/gapwatch/notice"
)

// cueInfo describes one cue pattern.
type cueInfo struct {
	kind   cueKind
	weight float64
	// open says the pattern may run on into the next word (prefix cue).
	open bool
	// compound says the pattern may end a longer word (German compounds).
	compound bool
}

// cueSet is the compiled cue vocabulary: one automaton over every folded
// cue word of every language.
type cueSet struct {
	ac   *ahocorasick.Automaton
	pats []string
	info []cueInfo
}

// cueHit is one cue found in a folded text.
type cueHit struct {
	from, to int
	pat      int
	kind     cueKind
	weight   float64
	// negated says a negator ("not", "kein", "pas") precedes the cue in the
	// same clause.
	negated bool
}

// cues returns the process-wide cue automaton. It is built on first use
// and never changes afterwards, so sharing it is safe.
var cues = sync.OnceValue(func() *cueSet {
	cs, err := buildCues(cueGroups)
	if err != nil {
		panic(fmt.Sprintf("extract: cue vocabulary: %v", err)) // the vocabulary is a constant
	}
	return cs
})

// buildCues compiles cue groups into one automaton.
func buildCues(groups []cueGroup) (*cueSet, error) {
	cs := &cueSet{}
	var pats []string
	for _, g := range groups {
		for _, w := range g.words {
			info := cueInfo{kind: g.kind, weight: g.weight}
			if strings.HasSuffix(w, "*") {
				info.open, w = true, strings.TrimSuffix(w, "*")
			}
			if strings.HasPrefix(w, "*") {
				info.compound, w = true, strings.TrimPrefix(w, "*")
			}
			fw := foldString(w)
			if fw == "" {
				return nil, fmt.Errorf("empty cue %q", w)
			}
			pats = append(pats, fw)
			cs.info = append(cs.info, info)
		}
	}
	ac, err := ahocorasick.NewBuilder().AddStrings(pats).Build()
	if err != nil {
		return nil, fmt.Errorf("build cue automaton: %w", err)
	}
	cs.ac, cs.pats = ac, pats
	return cs, nil
}

// scan returns the cues in f, longest first where they overlap ("not
// impacted" hides "impacted"), in text order.
func (cs *cueSet) scan(f *folded) []cueHit {
	return cs.collect(f, cs.ac.FindAllOverlapping(f.s), 0)
}

// collect turns raw automaton matches into cue hits; pattern base+i is cue
// pattern i (a catalog automaton appends the cue patterns to its own), and
// lower pattern numbers are skipped.
func (cs *cueSet) collect(f *folded, raw []ahocorasick.Match, base int) []cueHit {
	hits := make([]cueHit, 0, len(raw)/2+1)
	for _, m := range raw {
		if m.PatternID < base {
			continue
		}
		m.PatternID -= base
		info := cs.info[m.PatternID]
		if !info.compound && !f.startOK(m.Start) {
			continue
		}
		if !info.open && !f.endOK(m.End) {
			continue
		}
		hits = append(hits, cueHit{from: m.Start, to: m.End, pat: m.PatternID, kind: info.kind, weight: info.weight})
	}
	slices.SortFunc(hits, func(x, y cueHit) int {
		if x.from != y.from {
			return x.from - y.from
		}
		return y.to - x.to
	})
	out := hits[:0]
	end := -1
	for _, h := range hits {
		if h.from < end {
			continue
		}
		end = h.to
		h.negated = f.negated(h.from)
		out = append(out, h)
	}
	return out
}

// negated reports whether one of the four words before pos, in the same
// clause and sentence, is a negator.
func (f *folded) negated(pos int) bool {
	lo := 0
	if k := f.segAt(pos); k >= 0 {
		lo = f.segs[k].from
	}
	i := sort.SearchInts(f.clauses, pos+1) - 1
	if i >= 0 && f.clauses[i] > lo {
		lo = f.clauses[i]
	}
	end := pos
	for n := 0; n < 4; n++ {
		for end > lo && f.s[end-1] == ' ' {
			end--
		}
		if end <= lo {
			return false
		}
		start := end
		for start > lo && f.s[start-1] != ' ' {
			start--
		}
		if negators[string(f.s[start:end])] {
			return true
		}
		end = start
	}
	return false
}

// Classify returns the category of a notice from its title, text, the
// source's structured impact field (Statuspage "minor"/"major"/"critical",
// "maintenance", GCP severity…) and its maintenance flag. Cue words of every
// supported language vote, title words counting more; lost or missing data
// and security breaches win over the disruption they cause, and a
// post-incident report is never a maintenance.
func Classify(title, text, impact string, maintenance bool) notice.Category {
	if maintenance {
		return notice.CategoryMaintenance
	}
	var s [numCueKinds]float64
	cs := cues()
	tally(&s, cs.scan(fold(title)), 2.5)
	tally(&s, cs.scan(fold(text)), 1)
	imp := strings.ToLower(impact)
	switch {
	case strings.Contains(imp, "maintenance"):
		return notice.CategoryMaintenance
	case strings.Contains(imp, "data loss"), strings.Contains(imp, "data-loss"):
		s[cueDataLoss] += 10
	case strings.Contains(imp, "critical"), strings.Contains(imp, "major"), strings.Contains(imp, "high"):
		s[cueOutage] += 4
	case strings.Contains(imp, "minor"), strings.Contains(imp, "degraded"), strings.Contains(imp, "partial"),
		strings.Contains(imp, "low"), strings.Contains(imp, "medium"):
		s[cueDegradation] += 4
	}
	return decide(s)
}

// tally adds the weights of non-negated cue hits, times mult, counting each
// cue word at most three times so that a long article repeating "outage"
// does not drown every other signal.
func tally(s *[numCueKinds]float64, hits []cueHit, mult float64) {
	seen := map[int]int{}
	for _, h := range hits {
		if h.negated {
			continue
		}
		seen[h.pat]++
		if seen[h.pat] > 3 {
			continue
		}
		s[h.kind] += h.weight * mult
	}
}

// decide turns category scores into a category.
func decide(s [numCueKinds]float64) notice.Category {
	disrupt := s[cueOutage] + s[cueDegradation]
	if s[cueIncident] > 0 {
		s[cueMaintenance] *= 0.3
	}
	switch {
	case s[cueSecurity] >= 8 && s[cueSecurity] >= 0.5*disrupt:
		return notice.CategorySecurityIncident
	case s[cueDataLoss] >= 5 && s[cueDataLoss] >= 0.4*disrupt:
		return notice.CategoryDataLoss
	case s[cueMaintenance] >= 4 && s[cueMaintenance] >= disrupt:
		return notice.CategoryMaintenance
	case s[cueDegradation] > s[cueOutage]:
		return notice.CategoryDegradation
	}
	return notice.CategoryOutage
}
