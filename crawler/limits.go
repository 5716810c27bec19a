package crawler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

// Limits on hostile input. gofeed turns every nested namespaced element
// (<a:b><a:b>…) into one more level of its extension tree and every
// sibling into one more map entry, so a body under the fetch cap can
// still cost gigabytes or overflow the stack of a recursive encoder.
const (
	// maxFeedDepth bounds element nesting in an XML feed. Real feeds nest
	// under 20 levels, XHTML content included.
	maxFeedDepth = 256
	// maxFeedElements bounds the number of elements in an XML feed; a
	// 10 MiB feed of real items holds well under 100,000.
	maxFeedElements = 200_000
	// maxRawItem bounds an item's Raw bytes (kept in raw_items as
	// evidence). A larger item is stored as a stub naming its size.
	maxRawItem = 256 << 10
	// maxRawList bounds each list copied into a feed item's Raw.
	maxRawList = 32
	// maxRawStubText bounds each text field kept in a Raw stub.
	maxRawStubText = 1 << 10
)

// errFeedTooDeep and errFeedTooLarge reject a feed before gofeed reads it.
var (
	errFeedTooDeep  = fmt.Errorf("feed nests elements deeper than %d levels", maxFeedDepth)
	errFeedTooLarge = fmt.Errorf("feed has more than %d elements", maxFeedElements)
)

// checkFeedShape scans an XML body once, keeping only the names of the
// open elements (as slices of body), and rejects one whose elements nest
// deeper than maxFeedDepth or number more than maxFeedElements. Comments, CDATA sections, processing instructions and
// declarations are skipped, so escaped HTML inside a description does not
// count. It only approximates XML (malformed input is left to the real
// parser), erring towards counting more depth, never less. A JSON body is
// not checked: encoding/json limits its own nesting.
func checkFeedShape(body []byte) error {
	if t := bytes.TrimLeft(body, "\ufeff \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return nil
	}
	// open holds the names of the open elements. A closing tag closes
	// every element up to the latest one of its name, as the lenient
	// parser does with unclosed HTML (<br>, <p>) in a description; one
	// matching nothing is ignored.
	var open [][]byte // subslices of body
	elements := 0
	for i := 0; i < len(body); {
		j := bytes.IndexByte(body[i:], '<')
		if j < 0 {
			break
		}
		i += j + 1
		rest := body[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("!--")):
			i = skipPast(body, i, "-->")
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			i = skipPast(body, i, "]]>")
		case bytes.HasPrefix(rest, []byte("?")):
			i = skipPast(body, i, "?>")
		case bytes.HasPrefix(rest, []byte("!")):
			i = skipPast(body, i, ">")
		case bytes.HasPrefix(rest, []byte("/")):
			name := tagName(rest[1:])
			for k := len(open) - 1; k >= 0; k-- {
				if bytes.Equal(open[k], name) {
					open = open[:k]
					break
				}
			}
			i = skipPast(body, i, ">")
		default:
			name := tagName(rest)
			end, selfClosing := tagEnd(body, i)
			i = end
			if elements++; elements > maxFeedElements {
				return errFeedTooLarge
			}
			if selfClosing {
				continue
			}
			if open = append(open, name); len(open) > maxFeedDepth {
				return errFeedTooDeep
			}
		}
	}
	return nil
}

// tagName returns the element name at the start of b (after "<" or
// "</"): up to white space, "/" or ">".
func tagName(b []byte) []byte {
	n := bytes.IndexAny(b, " \t\r\n/>")
	if n < 0 {
		n = len(b)
	}
	return b[:n]
}

// skipPast returns the index just after the first end at or after i (or
// len(body) when there is none).
func skipPast(body []byte, i int, end string) int {
	k := bytes.Index(body[i:], []byte(end))
	if k < 0 {
		return len(body)
	}
	return i + k + len(end)
}

// tagEnd finds the '>' closing a start tag that begins at i (just after
// its '<'), ignoring '>' inside quoted attribute values, and reports
// whether the tag closes itself ("/>").
func tagEnd(body []byte, i int) (int, bool) {
	var quote byte
	for k := i; k < len(body); k++ {
		c := body[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return k + 1, k > i && body[k-1] == '/'
		}
	}
	return len(body), false
}

// feedRawItem is what of a gofeed item is kept as Raw: the fields a
// reader of the evidence needs, without gofeed's extension trees (whose
// depth and size the feed controls) and with every list cut short.
type feedRawItem struct {
	Title       string              `json:"title,omitempty"`
	Description string              `json:"description,omitempty"`
	Content     string              `json:"content,omitempty"`
	Link        string              `json:"link,omitempty"`
	Links       []string            `json:"links,omitempty"`
	Updated     string              `json:"updated,omitempty"`
	Published   string              `json:"published,omitempty"`
	Authors     []*gofeed.Person    `json:"authors,omitempty"`
	GUID        string              `json:"guid,omitempty"`
	Categories  []string            `json:"categories,omitempty"`
	Enclosures  []*gofeed.Enclosure `json:"enclosures,omitempty"`
}

// rawStub replaces Raw bytes over maxRawItem: the item's identifying
// fields, each cut to maxRawStubText, and the size that was dropped.
type rawStub struct {
	ID        string `json:"id,omitempty"`
	GUID      string `json:"guid,omitempty"`
	Title     string `json:"title,omitempty"`
	Link      string `json:"link,omitempty"`
	Truncated bool   `json:"raw_truncated"`
	Size      int    `json:"raw_size"`
}

// feedRaw encodes the bounded copy of a gofeed item kept as its Raw.
func feedRaw(fi *gofeed.Item) ([]byte, error) {
	r := feedRawItem{
		Title:       fi.Title,
		Description: fi.Description,
		Content:     fi.Content,
		Link:        fi.Link,
		Links:       firstN(fi.Links),
		Updated:     fi.Updated,
		Published:   fi.Published,
		Authors:     firstN(fi.Authors),
		GUID:        fi.GUID,
		Categories:  firstN(fi.Categories),
		Enclosures:  firstN(fi.Enclosures),
	}
	if len(r.Authors) == 0 && fi.Author != nil {
		r.Authors = []*gofeed.Person{fi.Author}
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode raw item: %w", err)
	}
	return capRaw(raw, rawStub{GUID: fi.GUID, Title: fi.Title, Link: fi.Link})
}

// capRaw returns raw when it fits maxRawItem, else stub (its text fields
// cut short) marked truncated with raw's size, so that one oversized item
// cannot bloat the raw_items table while its evidence stays findable.
func capRaw(raw []byte, stub rawStub) ([]byte, error) {
	if len(raw) <= maxRawItem {
		return raw, nil
	}
	stub.ID = cutText(stub.ID, maxRawStubText)
	stub.GUID = cutText(stub.GUID, maxRawStubText)
	stub.Title = cutText(stub.Title, maxRawStubText)
	stub.Link = cutText(stub.Link, maxRawStubText)
	stub.Truncated, stub.Size = true, len(raw)
	out, err := json.Marshal(stub)
	if err != nil {
		return nil, fmt.Errorf("encode raw stub: %w", err)
	}
	return out, nil
}

// firstN returns at most maxRawList leading elements of s.
func firstN[T any](s []T) []T {
	return s[:min(len(s), maxRawList)]
}

// cutText returns s cut to at most n bytes on a rune boundary.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
