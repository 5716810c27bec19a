// Package synth generates a realistic, deterministic synthetic corpus of
// vendor-incident notices for benchmarks: vendors and products drawn from
// the extractor's catalog with a skewed popularity, English and French
// notice text of 1–2 KB that states its affected windows in prose the way
// status pages and post-incident reviews do, categories, publication dates
// over six years, and matching search and window-lookup workloads.
//
// Every notice is a pure function of the seed and its position, so a
// corpus of any size can be streamed without holding it in memory, and
// two runs with the same seed see the same data.
package synth
