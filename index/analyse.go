package index

import (
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// analyzers holds the analyzers of every language, by name, for analysing
// query words the way the index analysed each language's documents. It is
// built once and only read.
var analyzers = func() map[string]analysis.Analyzer {
	im := buildMapping()
	out := map[string]analysis.Analyzer{}
	for _, l := range languages() {
		a := im.AnalyzerNamed(l.analyzer)
		if a == nil {
			panic("index: analyzer " + l.analyzer + " is not registered")
		}
		out[l.analyzer] = a
	}
	return out
}()

// analyse returns the terms of text under the named analyzer, with their
// positions.
func analyse(analyzer, text string) analysis.TokenStream {
	return analyzers[analyzer].Analyze([]byte(text))
}

// analysedTerms rewrites a plain match leaf: its text analysed by every
// language's analyzer, each distinct term looked up once per field (with
// the field's boost), the terms of one analysis OR'ed or AND'ed as the
// leaf asks, the analyses OR'ed. A leaf every analyzer drops (a stop word)
// matches nothing, as Bleve's own match query does.
func analysedTerms(m *query.MatchQuery) (query.Query, error) {
	fs, ok := textFields(m.FieldVal)
	if !ok {
		return nil, unknownField(m.FieldVal)
	}
	seen := map[string]bool{}
	var qs []query.Query
	for _, f := range fs {
		var terms []query.Query
		var key []string
		for _, tok := range analyse(f.analyzer, m.Match) {
			t := query.NewTermQuery(string(tok.Term))
			t.SetField(f.name)
			t.SetBoost(m.Boost() * f.boost)
			terms = append(terms, t)
			key = append(key, string(tok.Term))
		}
		k := f.name + "\x00" + strings.Join(key, "\x00")
		if len(terms) == 0 || seen[k] {
			continue
		}
		seen[k] = true
		if m.Operator == query.MatchQueryOperatorAnd && len(terms) > 1 {
			qs = append(qs, query.NewConjunctionQuery(terms))
		} else {
			qs = append(qs, terms...)
		}
	}
	return anyOf(dedupeTerms(qs)), nil
}

// dedupeTerms drops repeated term leaves (same field and term) from an OR
// list: two analyzers stemming "logs" alike must not count it twice.
func dedupeTerms(qs []query.Query) []query.Query {
	seen := map[string]bool{}
	out := qs[:0]
	for _, q := range qs {
		if t, ok := q.(*query.TermQuery); ok {
			k := t.FieldVal + "\x00" + t.Term
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, q)
	}
	return out
}

// phraseKey renders the phrase as the analyzer reads it (terms with their
// positions), to search each distinct reading once.
func phraseKey(analyzer, phrase string) string {
	var b strings.Builder
	for _, tok := range analyse(analyzer, phrase) {
		b.WriteString(strconv.Itoa(tok.Position))
		b.WriteByte(':')
		b.Write(tok.Term)
		b.WriteByte(0)
	}
	return b.String()
}

// anyOf ORs queries, without wrapping a single one; none matches nothing.
func anyOf(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return query.NewMatchNoneQuery()
	case 1:
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// analyserFree reports whether a leaf's meaning does not depend on the
// analyzer (wildcards and regexps match raw terms), so that one copy per
// field suffices.
func analyserFree(q query.Query) bool {
	switch q.(type) {
	case *query.WildcardQuery, *query.RegexpQuery:
		return true
	}
	return false
}
