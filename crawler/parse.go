package crawler

// Helpers shared by the source parsers (parse_feed.go, parse_statuspage.go,
// parse_gcp.go): plain-text cleanup, structured windows and products, item
// identity and de-duplication, and time parsing.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/crawler/htmltext"
	"github.com/gapwatch/gapwatch/notice"
)

// plainText returns s as readable plain text: HTML is converted with
// htmltext.Text, plain text only has its line endings, runs of spaces and
// blank lines normalised. Both give the same shape of output, so texts from
// different sources compare and hash alike.
func plainText(s string) string {
	if htmltext.LooksLikeHTML(s) {
		return htmltext.Text(s)
	}
	return tidyLines(s)
}

// typedText is plainText for text typed into a status tool (Statuspage
// update bodies, GCP updates): its newlines are line breaks even when it
// also holds some HTML, as the status pages themselves render it.
func typedText(s string) string {
	if htmltext.LooksLikeHTML(s) {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		return htmltext.Text(strings.ReplaceAll(s, "\n", "<br>\n"))
	}
	return tidyLines(s)
}

// tidyLines normalises plain text: CRLF and CR become LF, runs of spaces
// one space, lines are trimmed and at most one blank line separates two
// non-empty lines.
func tidyLines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, line := range lines {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// oneLine returns s as plain text on a single line, for titles.
func oneLine(s string) string {
	return strings.Join(strings.Fields(plainText(s)), " ")
}

// structuredWindow builds a minute-precision window stated by a source's
// machine-readable fields. ok is false when there is no start, or when the
// end precedes the start (vendors do edit started_at by hand); gapwatch
// would rather have no structured window than a wrong one.
func structuredWindow(start time.Time, end *time.Time, evidence string) (notice.Window, bool) {
	if start.IsZero() {
		return notice.Window{}, false
	}
	w := notice.Window{
		Start:     start.UTC(),
		Precision: notice.PrecisionMinute,
		Evidence:  evidence,
		Origin:    notice.OriginStructured,
	}
	if end != nil && !end.IsZero() {
		w.End = notice.TimePtr(*end)
	}
	if w.Validate() != nil {
		return notice.Window{}, false
	}
	return w, true
}

// windowList wraps a window in a slice when ok, for Item.Windows.
func windowList(w notice.Window, ok bool) []notice.Window {
	if !ok {
		return nil
	}
	return []notice.Window{w}
}

// structuredProducts turns the product names a source lists in structured
// fields into product references, dropping blanks and repeats (compared
// case-insensitively) and keeping the source's order.
func structuredProducts(names []string, vendor string) []notice.ProductRef {
	var refs []notice.ProductRef
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		n = oneLine(n)
		key := strings.ToLower(n)
		if n == "" || seen[key] {
			continue
		}
		seen[key] = true
		refs = append(refs, notice.ProductRef{Name: n, Vendor: vendor, Matched: "structured"})
	}
	return refs
}

// hashItemID derives a stable identity for an item that has neither a
// guid nor a link, from the given fields.
func hashItemID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)[:16])
}

// parsed is what a parser made of one payload: its items, and how many of
// its entries were skipped as malformed (with the first reason, to log).
type parsed struct {
	items     []notice.Item
	skipped   int
	firstSkip error
}

// convertEntries converts each entry of a JSON list, skipping malformed
// ones (a bad timestamp, a missing id, a field of the wrong type) so that
// one broken entry does not hide every new notice of the source. It fails
// only when the list is not empty and every entry is malformed: then the
// payload as a whole is not what the parser expects. what names an entry
// in errors ("incident").
func convertEntries(list []json.RawMessage, what string, conv func(json.RawMessage) (notice.Item, error)) (parsed, error) {
	p := parsed{items: make([]notice.Item, 0, len(list))}
	for i, raw := range list {
		it, err := conv(raw)
		if err != nil {
			p.skipped++
			if p.firstSkip == nil {
				p.firstSkip = fmt.Errorf("%s %d: %w", what, i, err)
			}
			continue
		}
		p.items = append(p.items, it)
	}
	if len(list) > 0 && len(p.items) == 0 {
		return parsed{}, fmt.Errorf("every %s is malformed (%d), first: %w", what, len(list), p.firstSkip)
	}
	p.items = uniqueItems(p.items)
	return p, nil
}

// uniqueItems removes repeated ItemIDs from one payload. Feeds do repeat a
// guid (a republished entry, a stale CDN merge); one notice per identity
// is kept, at the position where the identity first appears. The copy
// that wins is the most recently updated one, and on a tie the one with
// the longer text, and on a further tie the later one in the document:
// the later, fuller entry is the vendor's latest word.
func uniqueItems(items []notice.Item) []notice.Item {
	out := make([]notice.Item, 0, len(items))
	at := make(map[string]int, len(items))
	for _, it := range items {
		i, dup := at[it.ItemID]
		if !dup {
			at[it.ItemID] = len(out)
			out = append(out, it)
			continue
		}
		if newerOrFuller(it, out[i]) {
			out[i] = it
		}
	}
	return out
}

// newerOrFuller reports whether a should replace b as the copy of a
// repeated item.
func newerOrFuller(a, b notice.Item) bool {
	ta, tb := lastChange(a), lastChange(b)
	if !ta.Equal(tb) {
		return ta.After(tb)
	}
	return len(a.Text) >= len(b.Text)
}

// lastChange is when an item says it last changed.
func lastChange(it notice.Item) time.Time {
	if it.Updated.After(it.Published) {
		return it.Updated
	}
	return it.Published
}

// absURL resolves ref against the first base that is an absolute URL and
// returns it only if the result is an absolute http(s) URL.
func absURL(ref string, bases ...string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		for _, b := range bases {
			bu, err := url.Parse(strings.TrimSpace(b))
			if err == nil && bu.IsAbs() && bu.Host != "" {
				u = bu.ResolveReference(u)
				break
			}
		}
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// parseJSONTime parses an RFC 3339 timestamp from a JSON API field. An
// empty string (absent or null) gives the zero time; anything else that
// does not parse is an error naming the field, because a payload whose
// times cannot be read cannot be trusted.
func parseJSONTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q: %w", field, s, err)
	}
	return t.UTC(), nil
}

// compactJSON returns a compact copy of one JSON value, used as an item's
// Raw bytes.
func compactJSON(raw json.RawMessage) ([]byte, error) {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// sourceLocation loads src.Timezone, the zone assumed for dates written
// without one; it is UTC when the source sets none.
func sourceLocation(src notice.Source) (*time.Location, error) {
	if src.Timezone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(src.Timezone)
	if err != nil {
		return nil, fmt.Errorf("source %s timezone %q: %w", src.Name, src.Timezone, err)
	}
	return loc, nil
}
