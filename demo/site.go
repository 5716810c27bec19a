package demo

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"time"
)

// worldPlaceholder is replaced by the server's base URL in every served
// file, so that links, guids and Statuspage shortlinks never leave loopback.
const worldPlaceholder = "{{WORLD}}"

// layoutName is the site chrome wrapped around the HTML files below it.
const layoutName = "_layout.html"

// dataModified is the Last-Modified of every resource: the data is fixed,
// so one instant (the demo world's "now") is honest and makes
// If-Modified-Since deterministic.
var dataModified = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

// resource is one servable file, rendered for a given base URL.
type resource struct {
	body        []byte
	gzipped     []byte
	contentType string
	etag        string // strong validator of body, quoted (RFC 9110 §8.8.3)
	modified    time.Time
}

// site maps URL paths to rendered resources.
type site struct {
	resources map[string]*resource
}

// buildSite renders every servable file of fsys for base.
func buildSite(fsys fs.FS, base string) (*site, error) {
	s := &site{resources: make(map[string]*resource)}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), "_") {
			return nil
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		ctype := contentType(name, data)
		if ctype == "" {
			return nil // documentation and other files that are not part of the world
		}
		if strings.HasPrefix(ctype, "text/html") {
			if data, err = wrapInLayout(fsys, name, data); err != nil {
				return err
			}
			ctype = contentType(name, data) // the layout declares the page's charset
		}
		data = bytes.ReplaceAll(data, []byte(worldPlaceholder), []byte(base))
		res, err := newResource(data, ctype)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		s.resources["/"+name] = res
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo: build site: %w", err)
	}
	return s, nil
}

// newResource computes validators and the gzip encoding of body.
func newResource(body []byte, ctype string) (*resource, error) {
	sum := sha256.Sum256(body)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(body); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return &resource{
		body:        body,
		gzipped:     buf.Bytes(),
		contentType: ctype,
		etag:        `"` + hex.EncodeToString(sum[:12]) + `"`,
		modified:    dataModified,
	}, nil
}

// lookup finds the resource for a URL path: the exact file, then for a path
// ending in "/" its index.html, otherwise the path plus ".html" (news sites
// rarely show extensions in article URLs).
func (s *site) lookup(urlPath string) (*resource, bool) {
	p := path.Clean("/" + urlPath)
	if strings.HasSuffix(urlPath, "/") {
		r, ok := s.resources[strings.TrimSuffix(p, "/")+"/index.html"]
		return r, ok
	}
	if r, ok := s.resources[p]; ok {
		return r, true
	}
	r, ok := s.resources[p+".html"]
	return r, ok
}

// contentType returns the Content-Type to serve name with, including the
// charset the file declares, or "" when the file is not served.
func contentType(name string, data []byte) string {
	var media string
	switch path.Ext(name) {
	case ".rss":
		media = "application/rss+xml"
	case ".atom":
		media = "application/atom+xml"
	case ".xml":
		media = xmlMediaType(data)
	case ".json":
		media = "application/json"
		if bytes.Contains(data, []byte(`"https://jsonfeed.org/version/`)) {
			media = "application/feed+json"
		}
	case ".html", ".htm":
		media = "text/html"
	case ".csv":
		media = "text/csv"
	default:
		return ""
	}
	return media + "; charset=" + declaredCharset(data)
}

// xmlMediaType picks the feed media type from the document's root element,
// as a site serving feeds under a generic .xml name would.
func xmlMediaType(data []byte) string {
	rss := bytes.Index(data, []byte("<rss"))
	atom := bytes.Index(data, []byte("<feed"))
	switch {
	case rss >= 0 && (atom < 0 || rss < atom):
		return "application/rss+xml"
	case atom >= 0:
		return "application/atom+xml"
	}
	return "application/xml"
}

var (
	xmlEncodingRE = regexp.MustCompile(`^\s*<\?xml[^>]*\bencoding=["']([A-Za-z0-9._-]+)["']`)
	htmlCharsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset=["']?([A-Za-z0-9._-]+)`)
	h1RE          = regexp.MustCompile(`(?is)<h1[^>]*>(.*?)</h1>`)
	tagRE         = regexp.MustCompile(`<[^>]*>`)
)

// declaredCharset returns the charset an XML declaration or HTML meta tag
// declares, defaulting to utf-8, so the HTTP header never contradicts the
// document (the ISO-8859-1 feed depends on this).
func declaredCharset(data []byte) string {
	head := data[:min(len(data), 1024)]
	if m := xmlEncodingRE.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	if m := htmlCharsetRE.FindSubmatch(head); m != nil {
		return strings.ToLower(string(m[1]))
	}
	return "utf-8"
}

// wrapInLayout puts an HTML fragment into the nearest _layout.html above
// it, filling {{TITLE}} from the fragment's first <h1>. Files without a
// layout are served as they are.
func wrapInLayout(fsys fs.FS, name string, fragment []byte) ([]byte, error) {
	for dir := path.Dir(name); ; dir = path.Dir(dir) {
		layout, err := fs.ReadFile(fsys, path.Join(dir, layoutName))
		if err == nil {
			title := []byte(strings.TrimSpace(string(tagRE.ReplaceAll(firstH1(fragment), nil))))
			page := bytes.Replace(layout, []byte("{{TITLE}}"), title, 1)
			return bytes.Replace(page, []byte("{{ARTICLE}}"), fragment, 1), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("layout for %s: %w", name, err)
		}
		if dir == "." {
			return fragment, nil
		}
	}
}

// firstH1 returns the inner HTML of the first <h1>, or nil.
func firstH1(html []byte) []byte {
	if m := h1RE.FindSubmatch(html); m != nil {
		return m[1]
	}
	return nil
}
