package index

import (
	"fmt"
	"math"
	"regexp/syntax"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/vellum/regexp"
)

// maxFuzziness is the largest edit distance Bleve's fuzzy searcher accepts
// (its searcher.MaxFuzziness); larger ones fail only at search time.
const maxFuzziness = 2

// searchField is an analysed field a text query runs against, with the
// analyzer of its language and its boost.
type searchField struct {
	name, analyzer string
	boost          float64
}

// textFields returns the analysed fields for a query-string field name:
// "" (unfielded) means title and text, "title" or "text" one of them, in
// every language. ok is false for any other name.
func textFields(field string) (fs []searchField, ok bool) {
	if field != "" && field != "title" && field != "text" {
		return nil, false
	}
	for _, l := range languages() {
		if field != "text" {
			fs = append(fs, searchField{name: fieldTitle, analyzer: l.analyzer, boost: titleBoost})
		}
	}
	for _, l := range languages() {
		if field != "title" {
			fs = append(fs, searchField{name: fieldText, analyzer: l.analyzer, boost: 1})
		}
	}
	return fs, true
}

// queryKeywordField maps the field names a query string may use for keyword
// fields to the indexed names.
func queryKeywordField(field string) (string, bool) {
	switch field {
	case "vendor":
		return fieldVendor, true
	case "product", "products":
		return fieldProducts, true
	case "category":
		return fieldCategory, true
	case "source":
		return fieldSource, true
	case "year":
		return fieldYear, true
	}
	return "", false
}

// parseText parses Bleve query-string syntax and rewrites it onto the
// index's fields: each unfielded (or title:/text:) term is analysed with
// every language's analyzer and looked up in title and text, so an English
// query finds English notices and a French one French notices; a term the
// analyzers agree on is looked up once.
func parseText(text string) (query.Query, error) {
	parsed, err := query.NewQueryStringQuery(text).Parse()
	if err != nil {
		return nil, &ParamError{Param: "q", Reason: err.Error()}
	}
	q, err := rewrite(parsed)
	if err != nil {
		return nil, err
	}
	if v, ok := q.(query.ValidatableQuery); ok {
		if err := v.Validate(); err != nil {
			return nil, &ParamError{Param: "q", Reason: err.Error()}
		}
	}
	return q, nil
}

// rewrite walks the parsed query, replacing leaves in place so that the
// parser's query-string semantics (kept in unexported flags of the compound
// queries) survive.
func rewrite(q query.Query) (query.Query, error) {
	var err error
	switch t := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []*query.Query{&t.Must, &t.Should, &t.MustNot, &t.Filter} {
			if *sub != nil {
				if *sub, err = rewrite(*sub); err != nil {
					return nil, err
				}
			}
		}
		return t, nil
	case *query.ConjunctionQuery:
		return t, rewriteAll(t.Conjuncts)
	case *query.DisjunctionQuery:
		return t, rewriteAll(t.Disjuncts)
	case *query.MatchQuery:
		if err := checkFuzziness(t.Fuzziness); err != nil {
			return nil, err
		}
		if kw, ok := queryKeywordField(t.FieldVal); ok {
			return keywordTerm(kw, t.Match, t.Boost()), nil
		}
		if t.Fuzziness == 0 && t.Prefix == 0 {
			return analysedTerms(t)
		}
		return expand(t.FieldVal, t, func(f searchField) query.Query {
			c := *t
			c.FieldVal, c.Analyzer = f.name, f.analyzer
			c.SetBoost(t.Boost() * f.boost)
			return &c
		})
	case *query.MatchPhraseQuery:
		if err := checkFuzziness(t.Fuzziness); err != nil {
			return nil, err
		}
		if kw, ok := queryKeywordField(t.FieldVal); ok {
			return keywordTerm(kw, t.MatchPhrase, t.Boost()), nil
		}
		seen := map[string]bool{}
		return expand(t.FieldVal, t, func(f searchField) query.Query {
			// Analysers that read the phrase alike search it once.
			k := f.name + "\x00" + phraseKey(f.analyzer, t.MatchPhrase)
			if seen[k] {
				return nil
			}
			seen[k] = true
			c := *t
			c.FieldVal, c.Analyzer = f.name, f.analyzer
			c.SetBoost(t.Boost() * f.boost)
			return &c
		})
	case *query.WildcardQuery:
		return expand(t.FieldVal, t, func(f searchField) query.Query {
			c := *t
			c.FieldVal = f.name
			c.Wildcard = strings.ToLower(c.Wildcard) // analysed terms are lower case
			c.SetBoost(t.Boost() * f.boost)
			return &c
		})
	case *query.RegexpQuery:
		// Checked here: Bleve compiles it only when searching.
		if err := checkRegexp(t.Regexp); err != nil {
			return nil, err
		}
		return expand(t.FieldVal, t, func(f searchField) query.Query {
			c := *t
			c.FieldVal = f.name
			c.SetBoost(t.Boost() * f.boost)
			return &c
		})
	case *query.NumericRangeQuery:
		if t.FieldVal == "year" {
			return yearRange(t), nil
		}
		return rangeQuery(t.FieldVal, t, false)
	case *query.DateRangeQuery:
		return rangeQuery(t.FieldVal, t, true)
	case *query.MatchNoneQuery, *query.MatchAllQuery:
		return t, nil
	}
	return nil, &ParamError{Param: "q", Reason: fmt.Sprintf("unsupported query %T", q)}
}

// checkFuzziness rejects an edit distance Bleve's fuzzy searcher refuses.
func checkFuzziness(f int) error {
	if f < 0 || f > maxFuzziness {
		return &ParamError{Param: "q", Reason: fmt.Sprintf("fuzziness (~N) must be between 0 and %d", maxFuzziness)}
	}
	return nil
}

// checkRegexp compiles a query's regexp the way Bleve's index does when
// searching (leading "^" trimmed as RegexpQuery does, Perl syntax, then
// vellum's automaton within its default size), so every pattern it would
// refuse — zero-width assertions, word boundaries, lazy quantifiers, too
// many DFA states — is a parameter error rather than a failed search.
func checkRegexp(pattern string) error {
	pattern = strings.TrimPrefix(pattern, "^")
	parsed, err := syntax.Parse(pattern, syntax.Perl)
	if err == nil {
		_, err = regexp.NewParsedWithLimit(pattern, parsed, regexp.DefaultLimit)
	}
	if err != nil {
		return &ParamError{Param: "q", Reason: "regular expression: " + err.Error()}
	}
	return nil
}

// keywordTerm is an exact match on a keyword field: keyword values are
// not analysed, and phrase queries need positions keywords do not keep.
func keywordTerm(field, value string, boost float64) query.Query {
	q := query.NewTermQuery(value)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func rewriteAll(qs []query.Query) error {
	for i, sub := range qs {
		r, err := rewrite(sub)
		if err != nil {
			return err
		}
		qs[i] = r
	}
	return nil
}

// fieldable is a leaf query with a field.
type fieldable interface {
	query.Query
	SetField(string)
}

// expand turns a leaf on the query-string field name into a disjunction
// over the analysed fields (with perField building each copy), or points
// it at the keyword field of that name (wildcards and regexps).
func expand(field string, leaf fieldable, perField func(searchField) query.Query) (query.Query, error) {
	if kw, ok := queryKeywordField(field); ok {
		leaf.SetField(kw)
		return leaf, nil
	}
	fs, ok := textFields(field)
	if !ok {
		return nil, unknownField(field)
	}
	// Wildcards and regexps do not depend on the analyzer: one per field.
	seen := map[string]bool{}
	var qs []query.Query
	for _, f := range fs {
		if analyserFree(leaf) && seen[f.name] {
			continue
		}
		seen[f.name] = true
		if q := perField(f); q != nil {
			qs = append(qs, q)
		}
	}
	return anyOf(qs), nil
}

// rangeQuery keeps a date range on "published" and drops other ranges on
// known fields, including the numeric range the parser pairs with every
// bare number: no field holds numbers.
func rangeQuery(field string, leaf fieldable, date bool) (query.Query, error) {
	if date && field == fieldPublished {
		return leaf, nil
	}
	_, kw := queryKeywordField(field)
	_, text := textFields(field)
	if kw || text || field == fieldPublished {
		return query.NewMatchNoneQuery(), nil
	}
	return nil, unknownField(field)
}

// yearRange turns "year:>2020"-like ranges into publication date ranges.
func yearRange(q *query.NumericRangeQuery) query.Query {
	var start, end time.Time
	yearStart := func(y float64) time.Time { return time.Date(int(y), 1, 1, 0, 0, 0, 0, time.UTC) }
	if q.Min != nil {
		if q.InclusiveMin == nil || *q.InclusiveMin {
			start = yearStart(math.Ceil(*q.Min))
		} else {
			start = yearStart(math.Floor(*q.Min) + 1)
		}
	}
	if q.Max != nil {
		if q.InclusiveMax != nil && *q.InclusiveMax {
			end = yearStart(math.Floor(*q.Max) + 1)
		} else {
			end = yearStart(math.Ceil(*q.Max))
		}
	}
	if start.IsZero() && end.IsZero() {
		return query.NewMatchNoneQuery()
	}
	inclusive, exclusive := true, false
	d := query.NewDateRangeInclusiveQuery(start, end, &inclusive, &exclusive)
	d.SetField(fieldPublished)
	d.SetBoost(q.Boost())
	return d
}

func unknownField(field string) error {
	return &ParamError{Param: "q", Reason: fmt.Sprintf("unknown field %q (known: title, text, vendor, product, category, source, year, published)", field)}
}
