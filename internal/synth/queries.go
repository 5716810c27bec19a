package synth

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// SearchQueries returns count searches of the benchmark mix: 1–3 terms,
// each a boilerplate word many notices contain or a rarer detail word; a
// third with a product filter (by popularity), a third with an
// affected-time range of up to a month, half asking for facets. The same
// seed gives the same mix.
func (g *Generator) SearchQueries(count int, seed uint64) []notice.Query {
	r := rand.New(rand.NewPCG(seed, 0x9e47c4))
	common, rare := CommonWords(), DetailWords()
	out := make([]notice.Query, count)
	for i := range out {
		terms := make([]string, 1+r.IntN(3))
		for j := range terms {
			if r.IntN(2) == 0 {
				terms[j] = common[r.IntN(len(common))]
			} else {
				terms[j] = rare[r.IntN(len(rare))]
			}
		}
		q := notice.Query{Text: strings.Join(terms, " "), Size: 20, Facets: r.IntN(2) == 0}
		if r.IntN(3) == 0 {
			q.Products = []string{g.pick(r).Name}
		}
		if r.IntN(3) == 0 {
			q.From = g.start.Add(time.Duration(r.Int64N(int64(g.span)))).Truncate(time.Minute)
			q.To = q.From.Add(time.Duration(1+r.IntN(30*24)) * time.Hour)
		}
		out[i] = q
	}
	return out
}

// Question is one window lookup: the windows of a product overlapping
// [From, To], or containing the instant From when At is set (then To
// equals From).
type Question struct {
	// Product is the canonical product name; Name is how a client asks
	// for it: the canonical name or one of its aliases.
	Product, Name string
	From, To      time.Time
	At            bool
}

// WindowQuestions returns count lookups as a log-gap investigation asks
// them: products by popularity, named by an alias one time in three when
// they have one; half instants, half ranges of up to a day.
func (g *Generator) WindowQuestions(count int, seed uint64) []Question {
	r := rand.New(rand.NewPCG(seed, 0xa11a5))
	out := make([]Question, count)
	for i := range out {
		p := g.pick(r)
		q := Question{Product: p.Name, Name: p.Name}
		if len(p.Aliases) > 0 && r.IntN(3) == 0 {
			// Only aliases the catalog resolves back to this product.
			if a := p.Aliases[r.IntN(len(p.Aliases))]; g.resolves(a, p.Name) {
				q.Name = a
			}
		}
		q.From = g.start.Add(time.Duration(r.Int64N(int64(g.span)))).Truncate(time.Minute)
		q.To, q.At = q.From, i%2 == 0
		if !q.At {
			q.To = q.From.Add(time.Duration(1+r.IntN(24*60)) * time.Minute)
		}
		out[i] = q
	}
	return out
}

// resolves reports whether the catalog looks name up as product.
func (g *Generator) resolves(name, product string) bool {
	p, ok := g.cat.Lookup(name)
	return ok && p.Name == product
}
