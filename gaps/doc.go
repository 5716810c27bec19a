// Package gaps holds the pure logic behind customer gap data: importing and
// validating gaps a tenant uploads (CSV or JSON), detecting gaps from the
// tenant's own event counts, and linking each gap to the vendor notices that
// may explain it, with a score and an explanation an auditor can check.
//
// Nothing here does I/O beyond reading the io.Reader it is given, and
// nothing reads the clock: callers pass "now". Storage, HTTP and scheduling
// live in the store, api and cmd packages.
package gaps
