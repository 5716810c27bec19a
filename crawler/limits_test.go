package crawler

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gapwatch/gapwatch/notice"
)

// nestedFeed is an RSS feed whose one item holds depth nested namespaced
// elements: gofeed makes each level one level of its extension tree.
func nestedFeed(depth int) string {
	return `<rss version="2.0" xmlns:a="u"><channel><item><guid>g</guid><title>t</title>` +
		strings.Repeat("<a:b>", depth) + strings.Repeat("</a:b>", depth) + `</item></channel></rss>`
}

func TestCheckFeedShape(t *testing.T) {
	const head = `<?xml version="1.0"?><!DOCTYPE rss><rss version="2.0"><channel><item>`
	const tail = `</item></channel></rss>`
	tests := []struct {
		name string
		body string
		want error
	}{
		{"ordinary", head + `<title a="x>y">t</title><a:b/>` + tail, nil},
		{"at the depth limit", strings.Repeat("<x>", maxFeedDepth) + strings.Repeat("</x>", maxFeedDepth), nil},
		{"past the depth limit", strings.Repeat("<x>", maxFeedDepth+1), errFeedTooDeep},
		{"siblings do not nest", strings.Repeat("<x></x>", 10*maxFeedDepth), nil},
		{"self-closing do not nest", strings.Repeat("<x/>", 10*maxFeedDepth), nil},
		{"too many elements", head + strings.Repeat("<a:b/>", maxFeedElements) + tail, errFeedTooLarge},
		{"CDATA is text", head + `<description><![CDATA[` + strings.Repeat("<small>", 10*maxFeedDepth) + `]]></description>` + tail, nil},
		{"comments are text", head + `<!--` + strings.Repeat("<x>", 10*maxFeedDepth) + `-->` + tail, nil},
		{"unclosed HTML in descriptions", `<rss version="2.0"><channel>` +
			strings.Repeat(`<item><title>t</title><description>a<br>b<p>c</description></item>`, 2*maxFeedDepth) + `</channel></rss>`, nil},
		{"a closing tag matching nothing is ignored", strings.Repeat("<x></y>", maxFeedDepth+1), errFeedTooDeep},
		{"JSON is not scanned", `{"version":"https://jsonfeed.org/version/1.1","x":"` + strings.Repeat("<p>", 10*maxFeedDepth) + `"}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := checkFeedShape([]byte(tc.body)); !errors.Is(err, tc.want) {
				t.Fatalf("checkFeedShape = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestParseFeedHostileNesting: 500,000 nested elements (5.5 MB, under the
// body cap) once overflowed the stack while encoding Raw, a fatal error no
// recover catches; the shape check now refuses the body before gofeed
// builds anything.
func TestParseFeedHostileNesting(t *testing.T) {
	src := notice.Source{Name: "x", URL: "https://x.example/feed"}
	for _, tc := range []struct {
		name string
		body string
		want error
	}{
		{"deep", nestedFeed(500_000), errFeedTooDeep},
		{"wide", `<rss version="2.0" xmlns:a="u"><channel><item><guid>g</guid>` +
			strings.Repeat("<a:b/>", 1_700_000) + `</item></channel></rss>`, errFeedTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := ParseFeed([]byte(tc.body), src)
			if !errors.Is(err, tc.want) || items != nil {
				t.Fatalf("ParseFeed = %d items, %v; want %v", len(items), err, tc.want)
			}
		})
	}
}

// TestFeedRawLeavesExtensionsOut: within the nesting limit, the item's
// Raw keeps its own fields and none of gofeed's extension tree, so its
// size and depth do not grow with what the feed nests.
func TestFeedRawLeavesExtensionsOut(t *testing.T) {
	src := notice.Source{Name: "x", URL: "https://x.example/feed"}
	items, err := ParseFeed([]byte(nestedFeed(maxFeedDepth-10)), src)
	if err != nil || len(items) != 1 {
		t.Fatalf("ParseFeed = %d items, %v", len(items), err)
	}
	raw := items[0].Raw
	if d := jsonDepth(t, raw); d > 3 {
		t.Errorf("raw nests %d levels: %.200s", d, raw)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if got["guid"] != "g" || got["title"] != "t" || got["extensions"] != nil {
		t.Errorf("raw = %s", raw)
	}
}

// TestFeedRawCapped: an item larger than maxRawItem keeps its full text
// but its Raw is a small stub naming the item and the size dropped.
func TestFeedRawCapped(t *testing.T) {
	src := notice.Source{Name: "x", URL: "https://x.example/feed"}
	big := strings.Repeat("Lorem ipsum dolor sit amet. ", maxRawItem/20)
	long := strings.Repeat("é", maxRawStubText) // a title past the stub's cut
	body := `<rss version="2.0"><channel><item><guid>g1</guid><title>` + long + `</title><description>` + big + `</description></item>` +
		`<item><guid>g2</guid><title>small</title><description>short</description></item></channel></rss>`
	items, err := ParseFeed([]byte(body), src)
	if err != nil || len(items) != 2 {
		t.Fatalf("ParseFeed = %d items, %v", len(items), err)
	}
	byID := map[string]notice.Item{}
	for _, it := range items {
		byID[it.ItemID] = it
	}
	bigItem := byID["g1"]
	if len(bigItem.Raw) > maxRawStubText*5 {
		t.Fatalf("raw is %d bytes, want a stub", len(bigItem.Raw))
	}
	var stub rawStub
	if err := json.Unmarshal(bigItem.Raw, &stub); err != nil {
		t.Fatal(err)
	}
	if !stub.Truncated || stub.Size <= maxRawItem || stub.GUID != "g1" || len(stub.Title) > maxRawStubText || !strings.HasPrefix(long, stub.Title) || stub.Title == "" {
		t.Errorf("stub = %+v", stub)
	}
	if len(bigItem.Text) < len(big)/2 {
		t.Errorf("text cut to %d bytes; only Raw should be", len(bigItem.Text))
	}
	var small map[string]any
	if err := json.Unmarshal(byID["g2"].Raw, &small); err != nil || small["description"] != "short" || small["raw_truncated"] != nil {
		t.Errorf("small raw = %s (%v)", byID["g2"].Raw, err)
	}
}

// jsonDepth returns how deeply a JSON value nests objects and arrays.
func jsonDepth(t *testing.T, raw []byte) int {
	t.Helper()
	depth, deepest := 0, 0
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			deepest = max(deepest, depth)
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return deepest
}

// TestJSONRawCapped: an oversized GCP or Statuspage entry keeps its text
// but its Raw becomes a stub naming its id.
func TestJSONRawCapped(t *testing.T) {
	big := strings.Repeat("x", maxRawItem)
	for _, tc := range []struct {
		name  string
		parse func([]byte, notice.Source) ([]notice.Item, error)
		body  string
	}{
		{"gcp", ParseGCP, `[{"id":"big","external_desc":"` + big + `"}]`},
		{"statuspage", ParseStatuspageIncidents, `{"incidents":[{"id":"big","name":"` + big + `"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := tc.parse([]byte(tc.body), notice.Source{Name: "x", URL: "https://x.example/"})
			if err != nil || len(items) != 1 {
				t.Fatalf("parse = %d items, %v", len(items), err)
			}
			var stub rawStub
			if err := json.Unmarshal(items[0].Raw, &stub); err != nil || !stub.Truncated || stub.ID != "big" || stub.Size <= maxRawItem {
				t.Fatalf("raw = %.200s (%v)", items[0].Raw, err)
			}
			if len(items[0].Title) < maxRawItem {
				t.Errorf("title cut to %d bytes; only Raw should be", len(items[0].Title))
			}
		})
	}
}
