package index

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/gapwatch/gapwatch/notice"
)

// MappingVersion identifies the mapping and the document layout. It is
// stored in the index; Open recreates an index built with another version
// and reports that it needs a rebuild. Bump it on any change to
// buildMapping, newDocument or the meaning of an indexed field.
const MappingVersion = "gapwatch-index-6"

// Keyword and date field names shared by every document type.
const (
	fieldVendor    = "vendor"
	fieldProducts  = "products"
	fieldCategory  = "category"
	fieldSource    = "source"
	fieldYear      = "year"
	fieldPublished = "published"
	// fieldFacets holds every facet value of a notice ("<facet>:<value>",
	// "vendor:Microsoft", "year:2024") as its short code in the index's
	// facet dictionary (facetDict): facets read doc values of every
	// match, and one field of short codes costs a fraction of four of
	// full names.
	fieldFacets = "facets"
	// Sorting reads doc values; a date or number field holds a dozen
	// prefix-coded terms per value there, a keyword one, so the sort keys
	// are fixed-width keywords that order like the values, followed by
	// the notice ID so that they are unique and the order stable (see
	// sortKey, timeKey).
	fieldPublishedAt = "published_key"
	fieldWindowStart = "window_start"
	// fieldMonths holds the UTC months ("m2024-09") the notice's widened
	// windows touch, or monthsLong for windows too long to list: the
	// overlap filter's candidates are a few month terms, not a numeric
	// range over all history.
	fieldMonths = "months"
	// fieldDays holds the UTC days ("d2024-09-02") the notice's widened
	// windows touch, or daysLong when they touch too many to list. With
	// the months they let the overlap filter take the days and months
	// wholly inside the asked range as matches outright, and check
	// exactly only the notices of the range's partial first and last day.
	fieldDays = "days"
	// fieldWindows holds each merged widened window as "w<start>_<end>"
	// (Unix nanoseconds), read from doc values by the overlap filter to
	// check its candidates exactly. Open windows end at their assumed end
	// (notice.Notice.OpenUntil), as in window lookups and gap linking.
	fieldWindows = "windows"
)

// titleBoost weighs a title match above a body match.
const titleBoost = 3.0

// The dates the index stores, in Unix seconds. Bleve stores dates as Unix
// nanoseconds, which span 1677–2262: openEndUnix (2200-01-01) stands for
// "ongoing" in indexed window ends, and dates are clamped to
// [minTimeUnix (1700-01-01), openEndUnix].
const (
	openEndUnix = 7258118400
	minTimeUnix = -8520336000
)

// language is one analysed family of documents: the Bleve document type
// and the analyzer of its title and text. Every language indexes them
// under the same two fields, so that a query searches two fields, not two
// per language; the query side analyses its words with every language's
// analyzer (see textquery.go).
type language struct {
	code, typ, analyzer string
}

// The analysed text fields.
const (
	fieldTitle = "title"
	fieldText  = "text"
)

// languages lists the analysed languages; the last one takes every notice
// whose language is none of the others.
func languages() []language {
	return []language{
		{code: "en", typ: "notice_en", analyzer: en.AnalyzerName},
		{code: "fr", typ: "notice_fr", analyzer: fr.AnalyzerName},
		{code: "", typ: "notice_other", analyzer: standard.Name},
	}
}

// languageOf picks the language family of a notice from the extractor's
// detected language, else the source's declared one ("fr-CA" counts as
// French).
func languageOf(n notice.Notice) language {
	code := n.Extraction.Language
	if code == "" {
		code = n.Item.Language
	}
	code = strings.ToLower(strings.TrimSpace(code))
	if i := strings.IndexAny(code, "-_"); i >= 0 {
		code = code[:i]
	}
	ls := languages()
	for _, l := range ls[:len(ls)-1] {
		if l.code == code {
			return l
		}
	}
	return ls[len(ls)-1]
}

// buildMapping returns the explicit mapping: the default mapping and _all
// are disabled, only title and text are stored (the highlighter reads
// them), and only they keep term vectors.
func buildMapping() *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	im.DefaultMapping = bleve.NewDocumentDisabledMapping()
	im.DefaultAnalyzer = standard.Name
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	for _, l := range languages() {
		im.AddDocumentMapping(l.typ, documentMapping(l))
	}
	return im
}

// documentMapping maps one language's document type.
func documentMapping(l language) *mapping.DocumentMapping {
	dm := bleve.NewDocumentStaticMapping()
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	dm.AddFieldMappingsAt("title", textField(fieldTitle, l.analyzer))
	dm.AddFieldMappingsAt("text", textField(fieldText, l.analyzer))
	for _, name := range []string{fieldVendor, fieldProducts, fieldCategory, fieldSource, fieldYear, fieldMonths, fieldDays} {
		dm.AddFieldMappingsAt(name, keywordField(false))
	}
	for _, name := range []string{fieldFacets, fieldWindows, fieldPublishedAt, fieldWindowStart} {
		dm.AddFieldMappingsAt(name, keywordField(true))
	}
	dm.AddFieldMappingsAt(fieldPublished, dateField())
	return dm
}

// textField is an analysed, stored field with term vectors, indexed under
// name, for full text and highlighting.
func textField(name, analyzer string) *mapping.FieldMapping {
	fm := bleve.NewTextFieldMapping()
	fm.Name = name
	fm.Analyzer = analyzer
	fm.Store = true
	fm.IncludeTermVectors = true
	fm.IncludeInAll = false
	fm.DocValues = false
	return fm
}

// keywordField is an exact-match field, with doc values for those that
// facets, sorting and the overlap filter read.
func keywordField(docValues bool) *mapping.FieldMapping {
	fm := bleve.NewKeywordFieldMapping()
	fm.Store = false
	fm.IncludeTermVectors = false
	fm.IncludeInAll = false
	fm.DocValues = docValues
	return fm
}

// dateField is a datetime field for range queries.
func dateField() *mapping.FieldMapping {
	fm := bleve.NewDateTimeFieldMapping()
	fm.Store = false
	fm.IncludeInAll = false
	fm.DocValues = false
	return fm
}

// document is what Bleve indexes for a notice. Optional values are
// pointers or slices so that absent ones are not indexed at all.
type document struct {
	typ         string
	Title       string     `json:"title"`
	Text        string     `json:"text"`
	Vendor      []string   `json:"vendor,omitempty"`
	Products    []string   `json:"products,omitempty"`
	Category    []string   `json:"category,omitempty"`
	Source      []string   `json:"source,omitempty"`
	Year        []string   `json:"year,omitempty"`
	Facets      []string   `json:"facets,omitempty"`
	Published   *time.Time `json:"published,omitempty"`
	PublishedAt string     `json:"published_key"`
	WindowStart string     `json:"window_start"`
	Months      []string   `json:"months,omitempty"`
	Days        []string   `json:"days,omitempty"`
	Windows     []string   `json:"windows,omitempty"`
}

// BleveType tells Bleve which document mapping (language) applies.
func (d *document) BleveType() string { return d.typ }

// docID is the Bleve document ID of a notice: its decimal ID.
func docID(id notice.ID) string { return strconv.FormatInt(int64(id), 10) }

// newDocument builds the indexed form of a notice.
func newDocument(n notice.Notice) *document {
	d := &document{
		typ:      languageOf(n).typ,
		Title:    n.Item.Title,
		Text:     n.Item.Text,
		Vendor:   nonEmpty(vendorOf(n)),
		Products: productNames(n),
		Category: nonEmpty(string(n.Extraction.Category)),
		Source:   nonEmpty(n.Item.Source),
	}
	if d.Text == "" {
		d.Text = n.Item.Summary
	}
	// Notices without a date sort after every dated one.
	published, first := time.Time{}, time.Time{}
	if p := n.Item.Published; !p.IsZero() {
		p = clampTime(p.UTC())
		d.Published = &p
		d.Year = []string{strconv.Itoa(p.Year())}
		published = p
	}
	d.Facets = facetValues(d)
	for _, w := range n.Extraction.Windows {
		if !w.Start.IsZero() && (first.IsZero() || w.Start.Before(first)) {
			first = w.Start
		}
	}
	d.PublishedAt = timeKey(published) + sortKey(n.ID)
	d.WindowStart = timeKey(first) + sortKey(n.ID)
	spans := mergedSpans(&n)
	d.Months = monthsOf(spans)
	d.Days = daysOf(spans)
	for _, s := range spans {
		d.Windows = append(d.Windows, "w"+strconv.FormatInt(s.lo, 10)+"_"+strconv.FormatInt(s.hi, 10))
	}
	return d
}

// Month buckets of fieldMonths: a notice whose windows touch more than
// maxMonths months is filed under monthsLong, which every overlap filter
// takes as a candidate.
const (
	maxMonths  = 240
	monthsLong = "mlong"
)

// monthKey is the fieldMonths term of t's UTC month; keys sort like the
// months, and before monthsLong.
func monthKey(t time.Time) string { return "m" + t.UTC().Format("2006-01") }

// monthsOf lists the months the spans touch, once each, in order.
func monthsOf(spans []span) []string {
	return unitsOf(spans, utcMonth, func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }, monthKey, maxMonths, monthsLong)
}

// unitsOf lists the keys of the calendar units (days, months) the spans
// touch, once each, in order, or just long when there are more than max:
// start gives the start of t's unit, next the start of the following one.
func unitsOf(spans []span, start, next func(time.Time) time.Time, key func(time.Time) string, max int, long string) []string {
	var out []string
	for _, s := range spans {
		lo, hi := time.Unix(0, s.lo).UTC(), time.Unix(0, s.hi).UTC()
		for u := start(lo); !u.After(hi); u = next(u) {
			if len(out) >= max {
				return []string{long}
			}
			if k := key(u); len(out) == 0 || out[len(out)-1] != k {
				out = append(out, k)
			}
		}
	}
	return out
}

// utcMonth is the start of t's UTC month.
func utcMonth(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// Day buckets of fieldDays: a notice whose windows touch more than
// maxDays days is filed under daysLong, and found through its months.
const (
	maxDays  = 62
	daysLong = "dlong"
)

// dayKey is the fieldDays term of t's UTC day; keys sort like the days,
// and before daysLong.
func dayKey(t time.Time) string { return "d" + t.UTC().Format("2006-01-02") }

// utcDay is the start of t's UTC day.
func utcDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// daysOf lists the UTC days the spans touch, once each, in order.
func daysOf(spans []span) []string {
	return unitsOf(spans, utcDay, func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }, dayKey, maxDays, daysLong)
}

// facetValues lists the document's facet values, which fieldFacets holds
// coded (see facetDict).
func facetValues(d *document) []string {
	var out []string
	for _, f := range []struct {
		name   string
		values []string
	}{{FacetVendor, d.Vendor}, {FacetProduct, d.Products}, {FacetCategory, d.Category}, {FacetYear, d.Year}} {
		for _, v := range f.values {
			out = append(out, f.name+":"+v)
		}
	}
	return out
}

// sortKey renders an ID as a fixed-width string that sorts like the
// number (the sign bit flipped so negative IDs sort first).
func sortKey(id notice.ID) string {
	return fmt.Sprintf("%020d", uint64(id)^(1<<63))
}

// timeKey renders a time as a fixed-width UTC string that sorts
// chronologically (within the clamped years 1700–2200).
func timeKey(t time.Time) string {
	return clampTime(t.UTC()).Format("2006-01-02T15:04:05.000000000Z")
}

// vendorOf is the notice's vendor: the extractor's, else the source's.
func vendorOf(n notice.Notice) string {
	if n.Extraction.Vendor != "" {
		return n.Extraction.Vendor
	}
	return n.Item.Vendor
}

// productNames lists the canonical names of the notice's products, once
// each.
func productNames(n notice.Notice) []string {
	var out []string
	seen := make(map[string]bool, len(n.Extraction.Products))
	for _, p := range n.Extraction.Products {
		if p.Name != "" && !seen[p.Name] {
			seen[p.Name] = true
			out = append(out, p.Name)
		}
	}
	return out
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// span is a widened window in Unix nanoseconds, inclusive at both ends.
type span struct{ lo, hi int64 }

// widen returns a window's bounds widened to its precision exactly like
// notice.Window.Bounds, with an open window ending at +infinity
// (math.MaxInt64), in Unix nanoseconds clamped to what Bleve can store.
func widen(w notice.Window) span {
	if w.End == nil {
		lo, _ := w.Bounds(w.Start)
		return span{lo: nanos(lo), hi: math.MaxInt64}
	}
	lo, hi := w.Bounds(time.Time{})
	return span{lo: nanos(lo), hi: nanos(hi)}
}

// mergedSpans widens the notice's windows, open ones ending at their
// assumed end (notice.Notice.OpenUntil), and merges those that overlap or
// touch, returning disjoint spans in order. Windows without a start are
// skipped.
func mergedSpans(n *notice.Notice) []span {
	spans := make([]span, 0, len(n.Extraction.Windows))
	for _, w := range n.Extraction.Windows {
		if w.Start.IsZero() {
			continue
		}
		if w.End == nil {
			end := n.OpenUntil(w)
			w.End = &end
		}
		spans = append(spans, widen(w))
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].lo < spans[j].lo })
	out := spans[:0]
	for _, s := range spans {
		if k := len(out) - 1; k >= 0 && s.lo <= out[k].hi {
			out[k].hi = max(out[k].hi, s.hi)
			continue
		}
		out = append(out, s)
	}
	return out
}

// nanos converts t to Unix nanoseconds, clamped like clampTime.
func nanos(t time.Time) int64 { return clampTime(t).UnixNano() }

// clampTime keeps t within the dates the index can store.
func clampTime(t time.Time) time.Time {
	if t.Unix() < minTimeUnix {
		return time.Unix(minTimeUnix, 0).UTC()
	}
	if t.Unix() >= openEndUnix {
		return time.Unix(openEndUnix, 0).UTC()
	}
	return t
}
