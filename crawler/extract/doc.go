// Package extract reads a vendor notice's title and text and returns what
// gapwatch needs from it: the vendor, the affected products (from an
// embedded, user-extensible catalog matched with Aho-Corasick), the affected
// windows in UTC with their precision and the words they came from, and a
// category, in English, French and several other languages.
//
// It is pure: no I/O beyond its embedded data and no clock (the caller
// passes the publication time), so it can run over every version of every
// notice, be fuzzed, and give the same answer twice.
package extract
