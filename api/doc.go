// Package api serves gapwatch's HTTP API with gin: notices, sources and
// health under /api/v1, errors as RFC 9457 problem details naming the
// parameter at fault.
package api
