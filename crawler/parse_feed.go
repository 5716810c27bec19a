package crawler

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
	"github.com/mmcdole/gofeed"
)

// errNotJSONFeed marks a JSON object that is not a JSON Feed (it lacks the
// "version" URL that the JSON Feed spec makes mandatory).
var errNotJSONFeed = errors.New("JSON document is not a JSON Feed")

// ParseFeed parses an RSS 0.9x/2.0, Atom 1.0 or JSON Feed document into
// items, using gofeed's universal parser (which also honours an XML
// encoding declaration such as ISO-8859-1). Dates written without a zone
// are read in src.Timezone, else UTC. Statuspage history.rss/history.atom
// entries additionally get their update stamps read into a structured
// window and their updates laid out as "Status - text". A body that is not
// a feed (HTML, broken XML, empty) is an error, and so is one nested
// deeper or holding more elements than real feeds do. Each item's Raw is a
// bounded copy of the gofeed item (no extension trees, at most
// maxRawItem bytes).
func ParseFeed(body []byte, src notice.Source) ([]notice.Item, error) {
	loc, err := sourceLocation(src)
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	feed, err := parseGofeed(body)
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	fc := feedContext{
		src:  src,
		loc:  loc,
		base: absURL(feed.Link, src.URL),
		lang: src.Language,
	}
	if fc.base == "" {
		fc.base = src.URL
	}
	if fc.lang == "" {
		fc.lang = primaryLanguage(feed.Language)
	}
	if src.Timezone != "" {
		fc.stampZone = loc
	}
	items := make([]notice.Item, 0, len(feed.Items))
	for i, fi := range feed.Items {
		if fi == nil {
			continue
		}
		it, err := fc.item(fi)
		if err != nil {
			return nil, fmt.Errorf("parse feed: item %d: %w", i, err)
		}
		items = append(items, it)
	}
	return uniqueItems(items), nil
}

// parseGofeed runs gofeed's universal parser. A panic inside the library
// on hostile input is turned into an error, so that one bad feed cannot
// bring the crawler down. A body nested too deep or holding too many
// elements is refused before gofeed builds its trees (see checkFeedShape).
func parseGofeed(body []byte) (feed *gofeed.Feed, err error) {
	if err := checkFeedShape(body); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			feed, err = nil, fmt.Errorf("feed parser failed: %v", r)
		}
	}()
	feed, err = gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if feed.FeedType == "json" && !strings.Contains(feed.FeedVersion, "jsonfeed.org/version/") {
		return nil, errNotJSONFeed
	}
	return feed, nil
}

// feedContext is what every item of one feed shares.
type feedContext struct {
	src       notice.Source
	loc       *time.Location // zone for dates written without one
	stampZone *time.Location // src.Timezone when set, for Statuspage stamps
	base      string         // for resolving relative links
	lang      string
}

// item converts one gofeed item.
func (fc feedContext) item(fi *gofeed.Item) (notice.Item, error) {
	pub := feedTime(fi.PublishedParsed, fi.Published, fc.loc)
	upd := feedTime(fi.UpdatedParsed, fi.Updated, fc.loc)
	it := notice.Item{
		Source:    fc.src.Name,
		Title:     oneLine(fi.Title),
		URL:       absURL(fi.Link, fc.base),
		Published: pub.UTC(),
		Updated:   upd.UTC(),
		Language:  fc.lang,
		Vendor:    fc.src.Vendor,
	}
	if it.Published.IsZero() {
		it.Published = it.Updated
	}
	guid := strings.TrimSpace(fi.GUID)
	if it.URL == "" && (strings.HasPrefix(guid, "http://") || strings.HasPrefix(guid, "https://")) {
		it.URL = absURL(guid)
	}
	switch {
	case guid != "":
		it.ItemID = guid
	case it.URL != "":
		it.ItemID = it.URL
	default:
		it.ItemID = hashItemID(it.Title, fi.Published)
	}
	it.Text, it.Summary = contentAndSummary(fi.Content, fi.Description)

	ref, refRaw := pub, fi.Published
	if ref.IsZero() {
		ref, refRaw = upd, fi.Updated
	}
	if z := rawDateZone(refRaw); z != nil && !ref.IsZero() {
		ref = ref.In(z) // gofeed normalises to UTC; stamps may need the page's offset
	}
	if hist, ok := historyOf(fi, stampClock{ref: ref, fallback: fc.stampZone}); ok {
		it.Text = hist.text()
		it.Summary = ""
		it.Status = hist.status()
		it.Maintenance = hist.isMaintenance()
		it.Windows = windowList(hist.window())
	}
	raw, err := feedRaw(fi)
	if err != nil {
		return notice.Item{}, err
	}
	it.Raw = raw
	return it, nil
}

// contentAndSummary picks the item's text: the full content when there is
// one, else the description. The description is kept as the summary when
// both exist and say different things.
func contentAndSummary(content, description string) (text, summary string) {
	c, d := plainText(content), plainText(description)
	if c == "" {
		return d, ""
	}
	if d != "" && d != c {
		return c, d
	}
	return c, ""
}

// historyOf reads Statuspage update stamps from the item's content, else
// from its description.
func historyOf(fi *gofeed.Item, clock stampClock) (statuspageHistory, bool) {
	for _, s := range []string{fi.Content, fi.Description} {
		if h, ok := parseStatuspageHistory(s, clock); ok {
			return h, true
		}
	}
	return statuspageHistory{}, false
}

// feedTime returns the parsed feed date in its own zone (zero when
// absent). gofeed reads a date written without a zone as UTC; such a date
// is re-read as the same wall-clock time in loc, the source's zone. A zone
// abbreviation gofeed does not know (JST, AEDT …) would parse with a zero
// offset; such dates are re-read with the offset from stampZones.
func feedTime(parsed *time.Time, raw string, loc *time.Location) time.Time {
	if parsed == nil {
		return time.Time{}
	}
	t := *parsed
	if hasExplicitZone(raw) {
		if nt, ok := parseNamedZoneDate(raw); ok {
			return nt
		}
		return t
	}
	if loc == nil || loc == time.UTC {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}

// namedZoneLayouts are the date shapes feeds write with a trailing zone
// name (RFC 822/1123 and common variants), with the name replaced by its
// numeric offset.
var namedZoneLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"Monday, 2-Jan-06 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05 -0700",
	"Jan 2, 2006 15:04:05 -0700",
}

// parseNamedZoneDate reads a date ending in a zone abbreviation from
// stampZones, independently of the host's zone database (time.Parse
// guesses unknown abbreviations' offsets from the host's local zone).
func parseNamedZoneDate(raw string) (time.Time, bool) {
	fields := strings.Fields(raw)
	if len(fields) < 2 {
		return time.Time{}, false
	}
	off, ok := stampZones[strings.ToUpper(fields[len(fields)-1])]
	if !ok {
		return time.Time{}, false
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	fields[len(fields)-1] = fmt.Sprintf("%c%02d%02d", sign, off/3600, off%3600/60)
	s := strings.Join(fields, " ")
	for _, layout := range namedZoneLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// rawDateZone returns the fixed zone a raw feed date ends with ("+0100",
// "-07:00", "CET"), or nil.
func rawDateZone(raw string) *time.Location {
	fields := strings.Fields(raw)
	if len(fields) == 0 {
		return nil
	}
	last := strings.ToUpper(fields[len(fields)-1])
	if off, ok := stampZones[last]; ok {
		return time.FixedZone(last, off)
	}
	if off, ok := numericOffset(last); ok {
		return time.FixedZone(last, off)
	}
	return nil
}

// explicitZonePattern recognises a date string that ends with a zone: "Z"
// after a digit, a numeric offset (+0100, -07:00), or a zone name (GMT,
// PST, Z) after a space.
var explicitZonePattern = regexp.MustCompile(`(?i)(\dZ|[+-]\d{2}:?\d{2}|\s[A-Z]{1,5}[+-]?\d{0,4})\s*$`)

// hasExplicitZone reports whether a raw feed date names its zone. "AM"
// and "PM" end some zone-less dates and are not zones.
func hasExplicitZone(raw string) bool {
	raw = strings.TrimSpace(raw)
	m := explicitZonePattern.FindString(raw)
	if m == "" {
		return false
	}
	word := strings.ToUpper(strings.TrimSpace(m))
	return word != "AM" && word != "PM"
}

// primaryLanguage reduces a feed's language tag ("en-us", "fr-FR") to its
// lower-case primary subtag ("en", "fr"), the form sources are configured
// with.
func primaryLanguage(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}
