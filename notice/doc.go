// Package notice holds gapwatch's domain types: vendor sources, the items
// fetched from them, the notices (with versions) built from those items,
// affected products and windows, and the tenants and gaps that notices are
// linked to.
//
// It imports only the standard library so that every adapter (HTTP
// fetching, SQLite, Bleve, gin, SMTP) can depend on it without depending on
// each other.
package notice
