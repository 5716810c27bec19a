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
const MappingVersion = "gapwatch-index-1"

// Keyword and date field names shared by every document type.
const (
	fieldVendor    = "vendor"
	fieldProducts  = "products"
	fieldCategory  = "category"
	fieldSource    = "source"
	fieldYear      = "year"
	fieldPublished = "published"
	// Sorting reads doc values; a date or number field holds a dozen
	// prefix-coded terms per value there, a keyword one, so the sort keys
	// are fixed-width keywords that order like the values (see sortKey,
	// timeKey): several times faster to sort on.
	fieldID          = "id"
	fieldPublishedAt = "published_key"
	fieldWindowStart = "window_start"
	// fieldSpanStart and fieldSpanEnd hold the hull of the notice's
	// windows widened to their precision; an open window ends at openEndUnix.
	fieldSpanStart = "span_start"
	fieldSpanEnd   = "span_end"
	// fieldMulti is true when the widened windows do not merge into one
	// interval, so the hull alone cannot answer the overlap filter.
	fieldMulti = "multi"
	// fieldWindows holds each merged widened window as "w<start>_<end>"
	// (Unix nanoseconds), read from doc values by the overlap filter.
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

// language is one analysed family of documents: the Bleve document type,
// the analyzer, and the names its title and text are indexed under. Each
// language has its own field names so that a query can run against each
// with that language's analyzer.
type language struct {
	code, typ, analyzer, title, text string
}

// languages lists the analysed languages; the last one takes every notice
// whose language is none of the others.
func languages() []language {
	return []language{
		{code: "en", typ: "notice_en", analyzer: en.AnalyzerName, title: "title_en", text: "text_en"},
		{code: "fr", typ: "notice_fr", analyzer: fr.AnalyzerName, title: "title_fr", text: "text_fr"},
		{code: "", typ: "notice_other", analyzer: standard.Name, title: "title_other", text: "text_other"},
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
	dm.AddFieldMappingsAt("title", textField(l.title, l.analyzer))
	dm.AddFieldMappingsAt("text", textField(l.text, l.analyzer))
	for _, name := range []string{fieldVendor, fieldProducts, fieldCategory, fieldSource, fieldYear,
		fieldWindows, fieldID, fieldPublishedAt, fieldWindowStart} {
		dm.AddFieldMappingsAt(name, keywordField())
	}
	for _, name := range []string{fieldPublished, fieldSpanStart, fieldSpanEnd} {
		dm.AddFieldMappingsAt(name, dateField())
	}
	multi := bleve.NewBooleanFieldMapping()
	multi.Store, multi.IncludeInAll, multi.DocValues = false, false, false
	dm.AddFieldMappingsAt(fieldMulti, multi)
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

// keywordField is an exact-match field with doc values, which facets,
// sorting and the overlap filter read.
func keywordField() *mapping.FieldMapping {
	fm := bleve.NewKeywordFieldMapping()
	fm.Store = false
	fm.IncludeTermVectors = false
	fm.IncludeInAll = false
	fm.DocValues = true
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
	Published   *time.Time `json:"published,omitempty"`
	PublishedAt []string   `json:"published_key,omitempty"`
	ID          string     `json:"id"`
	WindowStart []string   `json:"window_start,omitempty"`
	SpanStart   *time.Time `json:"span_start,omitempty"`
	SpanEnd     *time.Time `json:"span_end,omitempty"`
	Multi       *bool      `json:"multi,omitempty"`
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
		ID:       sortKey(n.ID),
	}
	if d.Text == "" {
		d.Text = n.Item.Summary
	}
	if p := n.Item.Published; !p.IsZero() {
		p = clampTime(p.UTC())
		d.Published = &p
		d.PublishedAt = []string{timeKey(p)}
		d.Year = []string{strconv.Itoa(p.Year())}
	}
	spans := mergedSpans(n.Extraction.Windows)
	if len(spans) == 0 {
		return d
	}
	var first time.Time
	for _, w := range n.Extraction.Windows {
		if !w.Start.IsZero() && (first.IsZero() || w.Start.Before(first)) {
			first = w.Start
		}
	}
	lo, hi := time.Unix(0, spans[0].lo).UTC(), time.Unix(0, spans[len(spans)-1].hi).UTC()
	multi := len(spans) > 1
	d.WindowStart = []string{timeKey(first)}
	d.SpanStart, d.SpanEnd, d.Multi = &lo, &hi, &multi
	if multi {
		for _, s := range spans {
			d.Windows = append(d.Windows, "w"+strconv.FormatInt(s.lo, 10)+"_"+strconv.FormatInt(s.hi, 10))
		}
	}
	return d
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

// mergedSpans widens the windows and merges those that overlap or touch,
// returning disjoint spans in order. Windows without a start are skipped.
func mergedSpans(ws []notice.Window) []span {
	spans := make([]span, 0, len(ws))
	for _, w := range ws {
		if !w.Start.IsZero() {
			spans = append(spans, widen(w))
		}
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
	for i := range out {
		out[i].lo = min(out[i].lo, openEndUnix*1e9)
		out[i].hi = min(out[i].hi, openEndUnix*1e9)
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
