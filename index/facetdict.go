package index

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2"
)

// facetDictKey is the Bleve internal key holding the facet dictionary.
const facetDictKey = "gapwatch_facet_dict"

// facetDict maps facet values ("product:Microsoft Entra ID") to the short
// codes fieldFacets holds ("p2f"), and back. Facets read that field's doc
// values for every match of a search, and Bleve decompresses and hashes
// every byte of them: short codes make them a fraction of the size. A code
// is never reused. The dictionary lives in the index, written in the
// batch that first uses a code, so the documents never hold a code the
// stored dictionary lacks.
type facetDict struct {
	mu     sync.RWMutex
	codes  map[string]string // value → code
	values map[string]string // code → value
}

// newFacetDict returns an empty dictionary.
func newFacetDict() *facetDict {
	return &facetDict{codes: map[string]string{}, values: map[string]string{}}
}

// loadFacetDict reads the dictionary stored in bi (empty when none is).
func loadFacetDict(bi bleve.Index) (*facetDict, error) {
	d := newFacetDict()
	b, err := bi.GetInternal([]byte(facetDictKey))
	if err != nil {
		return nil, fmt.Errorf("facet dictionary: %w", err)
	}
	if len(b) == 0 {
		return d, nil
	}
	if err := json.Unmarshal(b, &d.values); err != nil {
		return nil, fmt.Errorf("facet dictionary: %w", err)
	}
	for code, v := range d.values {
		d.codes[v] = code
	}
	return d, nil
}

// encode replaces each value of vs by its code, giving new values new
// codes; added reports whether it did. The caller serialises encode with
// writing the batch that uses the codes.
func (d *facetDict) encode(vs []string) (out []string, added bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out = make([]string, len(vs))
	for i, v := range vs {
		code, ok := d.codes[v]
		if !ok {
			// The facet's initial ("p" for product) keeps codes readable.
			code = v[:1] + strconv.FormatInt(int64(len(d.codes)), 36)
			d.codes[v], d.values[code] = code, v
			added = true
		}
		out[i] = code
	}
	return out, added
}

// decode returns the value of code; false for an unknown code.
func (d *facetDict) decode(code string) (string, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	v, ok := d.values[code]
	return v, ok
}

// save adds the whole dictionary to b, for the batch that adds codes.
func (d *facetDict) save(b *bleve.Batch) error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	buf, err := json.Marshal(d.values)
	if err != nil {
		return fmt.Errorf("facet dictionary: %w", err)
	}
	b.SetInternal([]byte(facetDictKey), buf)
	return nil
}
