package index

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/gapwatch/gapwatch/notice"
)

// DefaultResultCache is how many recent search answers an Index keeps by
// default (see SetResultCache).
const DefaultResultCache = 256

// cachedResult is a search answer and the index generation it was
// computed at.
type cachedResult struct {
	gen uint64
	res notice.SearchResult
}

// SetResultCache keeps the answers of the last n distinct searches until
// the index next changes (any batch or delete), so that a question asked
// again (the newest-first first page every visitor opens, the next page
// of the same facets) is not computed again; 0 turns it off, as
// benchmarks of the search itself do. Any write to the index invalidates
// them all, so an answer holds the hits a new search would return, in the
// same order except among equal relevance scores: Bleve's background
// merges may reorder those, as they may between two pages of a live index
// anyway.
func (ix *Index) SetResultCache(n int) {
	var c *lru.Cache[string, cachedResult]
	if n > 0 {
		c, _ = lru.New[string, cachedResult](n) // an error only for n <= 0
	}
	ix.mu.Lock()
	ix.cache = c
	ix.mu.Unlock()
}

// CacheHits returns how many searches were answered from the result
// cache since the index was opened, for the server's metrics.
func (ix *Index) CacheHits() uint64 { return uint64(ix.cacheHits.Load()) }

// cached returns the cached answer to key computed at generation gen.
func (ix *Index) cached(key string, gen uint64) (notice.SearchResult, bool) {
	if ix.cache == nil {
		return notice.SearchResult{}, false
	}
	e, ok := ix.cache.Get(key)
	if !ok || e.gen != gen {
		return notice.SearchResult{}, false
	}
	ix.cacheHits.Add(1)
	return cloneResult(e.res), true
}

// remember caches res as the answer to key at generation gen: the
// generation read before the search ran, so that an answer a concurrent
// write may have outdated is never served after that write.
func (ix *Index) remember(key string, gen uint64, res notice.SearchResult) {
	if ix.cache != nil {
		ix.cache.Add(key, cachedResult{gen: gen, res: cloneResult(res)})
	}
}

// changed invalidates the cached answers: the index was written.
func (ix *Index) changed() { ix.gen.Add(1) }

// cloneResult copies an answer deeply enough that callers may change it.
func cloneResult(r notice.SearchResult) notice.SearchResult {
	out := notice.SearchResult{Total: r.Total, Hits: slices.Clone(r.Hits)}
	for i := range out.Hits {
		if h := out.Hits[i].Highlights; h != nil {
			out.Hits[i].Highlights = make(map[string][]string, len(h))
			for k, v := range h {
				out.Hits[i].Highlights[k] = slices.Clone(v)
			}
		}
	}
	if r.Facets != nil {
		out.Facets = maps.Clone(r.Facets)
		for k, v := range out.Facets {
			out.Facets[k] = slices.Clone(v)
		}
	}
	return out
}

// queryKey identifies a search for the cache: every field of q, lists
// in their order, times as instants.
func queryKey(q notice.Query) string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Quote(s))
		b.WriteByte('|')
	}
	list := func(ss []string) {
		for _, s := range ss {
			b.WriteString(strconv.Quote(s))
			b.WriteByte(',')
		}
		b.WriteByte('|')
	}
	instant := func(t time.Time) {
		if !t.IsZero() {
			b.WriteString(strconv.FormatInt(t.Unix(), 10) + "." + strconv.Itoa(t.Nanosecond()))
		}
		b.WriteByte('|')
	}
	field(q.Text)
	list(q.Vendors)
	list(q.Products)
	cats := make([]string, len(q.Categories))
	for i, c := range q.Categories {
		cats[i] = string(c)
	}
	list(cats)
	years := make([]string, len(q.Years))
	for i, y := range q.Years {
		years[i] = strconv.Itoa(y)
	}
	list(years)
	instant(q.From)
	instant(q.To)
	field(string(q.Sort))
	b.WriteString(strconv.Itoa(q.Page) + "|" + strconv.Itoa(q.Size) + "|" + strconv.FormatBool(q.Facets))
	return b.String()
}
