// Package index makes notices findable. It holds two derived views of the
// store, both rebuilt from it at will:
//
//   - Index wraps a Bleve full-text index with an explicit mapping: title and
//     text analysed per language (English, French, anything else with the
//     standard analyzer), vendor, products, category, source and year as
//     keywords for filters and facets, and the notice's affected windows
//     widened to their precision for the affected-time filter. Search returns
//     notice IDs; callers load the records from the store.
//   - Windows is an in-memory interval structure per product and per vendor
//     that answers "which windows of this product overlap this range" in
//     microseconds, far faster than the equivalent Bleve range query.
//
// Neither is a source of truth: deleting the index folder loses nothing, the
// caller rebuilds it from the store (Open reports when that is needed).
package index
