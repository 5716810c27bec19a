package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/gapwatch/gapwatch/internal/synth"
	"github.com/gapwatch/gapwatch/notice"
)

// bareDoc is a notice as a plain struct for Bleve's default (dynamic)
// mapping: every string analysed with the standard analyzer and stored,
// times as datetimes, everything also in _all.
type bareDoc struct {
	Title     string      `json:"title"`
	Text      string      `json:"text"`
	Vendor    string      `json:"vendor"`
	Products  []string    `json:"products"`
	Category  string      `json:"category"`
	Source    string      `json:"source"`
	Language  string      `json:"language"`
	Published time.Time   `json:"published"`
	Start     []time.Time `json:"start"`
	End       []time.Time `json:"end"`
}

func newBareDoc(n notice.Notice) bareDoc {
	d := bareDoc{Title: n.Item.Title, Text: n.Item.Text, Vendor: n.Extraction.Vendor, Category: string(n.Extraction.Category),
		Source: n.Item.Source, Language: n.Extraction.Language, Published: n.Item.Published}
	for _, p := range n.Extraction.Products {
		d.Products = append(d.Products, p.Name)
	}
	for _, w := range n.Extraction.Windows {
		end := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC) // an ongoing window

		if w.End != nil {
			end = *w.End
		}
		d.Start, d.End = append(d.Start, w.Start), append(d.End, end)
	}
	return d
}

// buildBare indexes the ground truth of the corpus with bleve.Batch and
// bleve.NewIndexMapping(), in batches of batch, and returns the time
// spent in Bleve (building the batches and applying them; generating the
// documents is not counted).
func buildBare(ctx context.Context, dir string, g *synth.Generator, n, batch int) (bleve.Index, time.Duration, error) {
	bi, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		return nil, 0, fmt.Errorf("bare index: %w", err)
	}
	var busy time.Duration
	docs := make([]bareDoc, 0, batch)
	for lo := 0; lo < n; lo += batch {
		if err := ctx.Err(); err != nil {
			bi.Close()
			return nil, 0, err
		}
		docs = docs[:0]
		for i := lo; i < min(lo+batch, n); i++ {
			docs = append(docs, newBareDoc(g.Notice(i)))
		}
		t0 := time.Now()
		b := bi.NewBatch()
		for i, d := range docs {
			if err := b.Index(strconv.Itoa(lo+i+1), d); err != nil {
				bi.Close()
				return nil, 0, fmt.Errorf("bare index: %w", err)
			}
		}
		if err := bi.Batch(b); err != nil {
			bi.Close()
			return nil, 0, fmt.Errorf("bare index: %w", err)
		}
		busy += time.Since(t0)
	}
	return bi, busy, nil
}

// bareSearch is q asked of the bare index: the text as a query string
// over _all, the product as a phrase of the analysed products field, the
// range as "a window starts before to and ends after from" on the window
// arrays, facets on the analysed vendor, products and category fields and
// per publication year.
func bareSearch(q notice.Query) *bleve.SearchRequest {
	var qs []query.Query
	if q.Text != "" {
		qs = append(qs, query.NewQueryStringQuery(q.Text))
	}
	for _, p := range q.Products {
		pq := query.NewMatchPhraseQuery(p)
		pq.SetField("products")
		qs = append(qs, pq)
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		inclusive := true
		s := query.NewDateRangeInclusiveQuery(time.Time{}, q.To, nil, &inclusive)
		s.SetField("start")
		e := query.NewDateRangeInclusiveQuery(q.From, time.Time{}, &inclusive, nil)
		e.SetField("end")
		qs = append(qs, s, e)
	}
	var root query.Query = query.NewMatchAllQuery()
	if len(qs) > 0 {
		root = query.NewConjunctionQuery(qs)
	}
	size := q.Size
	if size == 0 {
		size = 20
	}
	req := bleve.NewSearchRequestOptions(root, size, 0, false)
	if q.Sort == notice.SortWindowStart {
		req.SortBy([]string{"start", "_id"})
	}
	if q.Facets {
		for _, f := range []string{"vendor", "products", "category"} {
			req.AddFacet(f, bleve.NewFacetRequest(f, 20))
		}
		years := bleve.NewFacetRequest("published", 10)
		for y := 2018; y <= 2026; y++ {
			from, to := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)
			years.AddDateTimeRange(strconv.Itoa(y), from, to)
		}
		req.AddFacet("year", years)
	}
	return req
}
