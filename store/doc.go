// Package store is gapwatch's durable source of truth, an embedded SQLite
// database (pure Go, no cgo): sources with their crawl state, raw fetched
// items, notices with every version, and later tenants and gaps. The search
// index is derived from it and can be rebuilt at any time.
//
// Schema migrations are versioned SQL files run at Open.
package store
