package demo

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
)

// ServeHTTP serves the world's files with the behaviour a crawler must cope
// with on the real web: validators and conditional GET (RFC 9110 §13.1),
// gzip content coding when accepted, exact Content-Types, 404 for unknown
// paths and 405 for methods other than GET and HEAD.
func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	res, ok := s.lookup(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", res.contentType)
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", "public, max-age=60")
	body, etag := res.body, res.etag
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		// The gzip representation has different bytes, so it gets a weak
		// validator (as nginx does); If-None-Match uses weak comparison,
		// so either tag revalidates either representation.
		body, etag = res.gzipped, "W/"+res.etag
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	// ServeContent answers If-None-Match / If-Modified-Since with 304,
	// and handles HEAD and Range.
	http.ServeContent(w, r, "", res.modified, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding header value allows gzip
// (RFC 9110 §12.5.3): "gzip", "x-gzip" or "*" with a non-zero q-value.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		if qZero(params) {
			if coding == "*" {
				continue
			}
			return false
		}
		return true
	}
	return false
}

// qZero reports whether a coding's parameters carry q=0.
func qZero(params string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil && q == 0
	}
	return false
}
