// Command gapbench measures gapwatch at scale over a synthetic corpus
// (internal/synth) and prints each figure beside its baseline from the same
// run, with the targets of the speed section of issue 4:
//
//   - indexing: items through the real pipeline (extract.New, store
//     SaveCrawls in batches into a fresh SQLite store, index.Follower
//     syncing the search index and the window lookup) end to end, against
//     bare bleve.Batch of the same documents with Bleve's default mapping;
//   - search: index.Index.Search latency p50/p99 at concurrency 1 and 8 over
//     a query mix, against the same questions asked of the bare index;
//   - windows: index.Windows.Lookup latency against the Bleve query for the
//     same question;
//   - http: GET /api/v1/windows served by the real gin API on a loopback
//     listener, loaded by vegeta over 64 connections, against a constant
//     handler on the same server.
//
// Usage:
//
//	go run ./cmd/gapbench -n 100000 [-only indexing,search,windows,http] [-dir DIR [-reuse]]
//
// With -dir the corpus (store, index, bare index and the indexing figures)
// is kept there; -reuse then skips the build when the folder holds a
// complete corpus of the same size and seed. See docs/benchmarks.md.
package main
