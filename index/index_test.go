package index

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// openFixtureIndex opens a new index in a temporary folder and rebuilds it
// from the fixtures.
func openFixtureIndex(t *testing.T) (*Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if !ix.NeedsRebuild() {
		t.Fatal("a new index should need a rebuild")
	}
	var progress []int
	if err := ix.Rebuild(context.Background(), eachOf(fixtureNotices()), func(done int) { progress = append(progress, done) }); err != nil {
		t.Fatal(err)
	}
	if ix.NeedsRebuild() {
		t.Fatal("NeedsRebuild after a rebuild")
	}
	if want := []int{len(fixtureNotices())}; !slices.Equal(progress, want) {
		t.Fatalf("progress = %v, want %v", progress, want)
	}
	return ix, dir
}

// ids returns the hit IDs in order.
func ids(r notice.SearchResult) []notice.ID {
	out := make([]notice.ID, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}

func sorted(xs []notice.ID) []notice.ID {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

func mustSearch(t *testing.T, ix *Index, q notice.Query) notice.SearchResult {
	t.Helper()
	if q.Size == 0 {
		q.Size = MaxSize
	}
	r, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	if r.Total != len(r.Hits) && q.Size == MaxSize {
		t.Fatalf("Search(%+v): total %d but %d hits", q, r.Total, len(r.Hits))
	}
	return r
}

func TestSearchText(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	tests := []struct {
		name  string
		q     string
		want  []notice.ID // as a set
		first notice.ID   // expected top hit, 0 for any
	}{
		{"english word", "sign-in", []notice.ID{1}, 1},
		{"french query", "journaux de sécurité", []notice.ID{2}, 2},
		{"french without accents, singular", "journal securite", []notice.ID{2}, 2},
		{"english query ranks the english notice first", "security logs", []notice.ID{2, 4}, 4},
		{"english stemming, reaching the french notice's \"logs\" too", "logging", []notice.ID{4, 2}, 4},
		{"fuzzy", "sentinl~1", []notice.ID{4}, 4},
		{"number", "2024", []notice.ID{1, 2}, 0},
		{"vendor wildcard", "vendor:Micro*", []notice.ID{1, 4, 7}, 0},
		{"published range", `published:>"2024-04-01T00:00:00Z"`, []notice.ID{3, 8}, 0},
		{"german notice, standard analyzer", "Anmeldung", []notice.ID{6}, 6},
		{"french via item language fr-CA", "inaccessibles", []notice.ID{8}, 8},
		{"phrase", `"sign-in failures"`, []notice.ID{1}, 1},
		{"title field", "title:sentinel", []notice.ID{4}, 4},
		{"text field excludes the title", "text:sentinel", nil, 0},
		{"vendor keyword", "vendor:Okta", []notice.ID{3}, 3},
		{"product keyword phrase", `product:"Microsoft Entra ID"`, []notice.ID{1, 7}, 0},
		{"required and excluded", "+authentication -mfa", []notice.ID{1}, 1},
		{"wildcard", "latenc*", []notice.ID{5}, 5},
		{"wildcard in capitals", "Latenc*", []notice.ID{5}, 5},
		{"year range", "year:<2024", []notice.ID{5}, 5},
		{"year range inclusive", "+year:>=2024 +vendor:Okta", []notice.ID{3}, 3},
		{"year", "year:2023", []notice.ID{5}, 5},
		{"title boost", "entra", []notice.ID{1, 7}, 0},
		{"miss", "nonexistentzzz", nil, 0},
		{"stopword only", "the", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustSearch(t, ix, notice.Query{Text: tt.q})
			if got := sorted(ids(r)); !slices.Equal(got, sorted(tt.want)) {
				t.Fatalf("q=%q: got %v, want %v", tt.q, ids(r), tt.want)
			}
			if tt.first != 0 && r.Hits[0].ID != tt.first {
				t.Fatalf("q=%q: first hit %d, want %d (%v)", tt.q, r.Hits[0].ID, tt.first, ids(r))
			}
		})
	}
}

func TestSearchHighlights(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	tests := []struct {
		q, field, want string
	}{
		{"sentinel", "title", "<mark>Sentinel</mark>"},
		{"journaux", "text", "<mark>journaux</mark>"},
		{"anmeldung", "text", "<mark>Anmeldung</mark>"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			r := mustSearch(t, ix, notice.Query{Text: tt.q})
			if len(r.Hits) == 0 {
				t.Fatal("no hit")
			}
			frags := r.Hits[0].Highlights[tt.field]
			if !slices.ContainsFunc(frags, func(f string) bool { return strings.Contains(f, tt.want) }) {
				t.Fatalf("highlights %v: no %q in %s", r.Hits[0].Highlights, tt.want, tt.field)
			}
		})
	}
	r := mustSearch(t, ix, notice.Query{})
	for _, h := range r.Hits {
		if h.Highlights != nil {
			t.Fatalf("listing without text has highlights: %v", h.Highlights)
		}
	}
}

func TestSearchFilters(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	tests := []struct {
		name string
		q    notice.Query
		want []notice.ID
	}{
		{"one vendor", notice.Query{Vendors: []string{"Microsoft"}}, []notice.ID{1, 4, 7}},
		{"vendors OR", notice.Query{Vendors: []string{"Microsoft", "Okta"}}, []notice.ID{1, 3, 4, 7}},
		{"vendor AND category", notice.Query{Vendors: []string{"Microsoft"}, Categories: []notice.Category{notice.CategoryDataLoss}}, []notice.ID{4}},
		{"categories OR", notice.Query{Categories: []notice.Category{notice.CategoryDataLoss, notice.CategoryMaintenance}}, []notice.ID{2, 4, 6}},
		{"years OR", notice.Query{Years: []int{2023, 2025}}, []notice.ID{5}},
		{"year AND vendor", notice.Query{Years: []int{2024}, Vendors: []string{"Okta"}}, []notice.ID{3}},
		{"product", notice.Query{Products: []string{"Microsoft Entra ID"}}, []notice.ID{1, 7}},
		{"second product of a notice", notice.Query{Products: []string{"Microsoft Defender for Endpoint"}}, []notice.ID{4}},
		{"product and text", notice.Query{Products: []string{"Microsoft Entra ID"}, Text: "mfa"}, []notice.ID{7}},
		{"text and vendor, relevance", notice.Query{Text: "logs", Vendors: []string{"OVHcloud"}}, []notice.ID{2}},
		{"text and vendor, published", notice.Query{Text: "logs", Vendors: []string{"Microsoft"}, Sort: notice.SortPublished}, []notice.ID{4}},
		{"filter and time", notice.Query{Vendors: []string{"Microsoft"}, From: at("2024-03-03T10:15:00Z"), To: at("2024-03-03T10:20:00Z")}, []notice.ID{1, 7}},
		{"exact keyword: case matters", notice.Query{Vendors: []string{"microsoft"}}, nil},
		{"unknown vendor", notice.Query{Vendors: []string{"Nobody"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sorted(ids(mustSearch(t, ix, tt.q))); !slices.Equal(got, sorted(tt.want)) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSearchTimeOverlap(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	tests := []struct {
		name     string
		from, to string
		want     []notice.ID
	}{
		{"inside a minute window", "2024-03-03T11:00:00Z", "2024-03-03T11:10:00Z", []notice.ID{1}},
		{"at a window's end", "2024-03-03T11:30:00Z", "2024-03-03T11:30:00Z", []notice.ID{1}},
		{"just after a window's end", "2024-03-03T11:30:00.000000001Z", "2024-03-03T11:31:00Z", nil},
		{"range ending at a window's start", "2024-03-03T08:00:00Z", "2024-03-03T09:00:00Z", []notice.ID{1}},
		{"before a day window widened by 14 h", "2024-03-04T09:59:59Z", "2024-03-04T09:59:59Z", nil},
		{"day window, first widened instant", "2024-03-04T10:00:00Z", "2024-03-04T10:00:00Z", []notice.ID{2, 6}},
		{"day window, last widened instant", "2024-03-06T14:00:00Z", "2024-03-06T14:00:00Z", []notice.ID{2}},
		{"after a day window widened by 14 h", "2024-03-06T14:00:01Z", "2024-03-06T20:00:00Z", nil},
		{"hour window covers its last hour", "2024-03-04T12:59:00Z", "2024-03-04T12:59:00Z", []notice.ID{2, 6}},
		{"after an hour window", "2024-03-04T13:00:01Z", "2024-03-04T13:00:01Z", []notice.ID{2}},
		{"open window is ongoing a week after its notice", "2024-04-08T12:00:00Z", "2024-04-08T12:00:00Z", []notice.ID{3}},
		{"open window not beyond", "2024-04-08T12:00:00.000000001Z", "2030-01-01T00:00:00Z", []notice.ID{8}},
		{"range across months", "2024-02-28T00:00:00Z", "2024-03-03T09:00:00Z", []notice.ID{1}},
		{"open window before it starts", "", "2024-04-01T09:59:00Z", []notice.ID{1, 2, 4, 6, 7}},
		{"open from", "2024-04-05T00:00:00Z", "", []notice.ID{3, 8}},
		{"gap between two windows", "2024-02-02T00:00:00Z", "2024-02-09T00:00:00Z", nil},
		{"first of two windows", "2024-02-01T01:00:00Z", "2024-02-01T01:00:00Z", []notice.ID{4}},
		{"second of two windows", "2024-02-10T00:30:00Z", "2024-02-10T00:30:00Z", []notice.ID{4}},
		{"gap up to the second window's start", "2024-02-02T00:00:00Z", "2024-02-10T00:00:00Z", []notice.ID{4}},
		{"zone offset in the bounds", "2024-03-03T11:20:00+01:00", "2024-03-03T11:25:00+01:00", []notice.ID{1, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := notice.Query{}
			if tt.from != "" {
				q.From = parseAny(t, tt.from)
			}
			if tt.to != "" {
				q.To = parseAny(t, tt.to)
			}
			if got := sorted(ids(mustSearch(t, ix, q))); !slices.Equal(got, sorted(tt.want)) {
				t.Fatalf("[%s, %s]: got %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func parseAny(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSearchSort(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	tests := []struct {
		name string
		q    notice.Query
		want []notice.ID
	}{
		{"empty text lists newest first, ties by id", notice.Query{}, []notice.ID{8, 3, 2, 7, 1, 4, 6, 5}},
		{"relevance without text is published", notice.Query{Sort: notice.SortRelevance}, []notice.ID{8, 3, 2, 7, 1, 4, 6, 5}},
		{"window start, no windows last", notice.Query{Sort: notice.SortWindowStart}, []notice.ID{8, 3, 2, 6, 7, 1, 4, 5}},
		{"text sorted by published", notice.Query{Text: "entra", Sort: notice.SortPublished}, []notice.ID{7, 1}},
		{"text sorted by window start", notice.Query{Text: "entra", Sort: notice.SortWindowStart}, []notice.ID{7, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(mustSearch(t, ix, tt.q)); !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("relevance scores descend", func(t *testing.T) {
		r := mustSearch(t, ix, notice.Query{Text: "security logs delayed"})
		for i := 1; i < len(r.Hits); i++ {
			if r.Hits[i].Score > r.Hits[i-1].Score {
				t.Fatalf("scores not descending: %+v", r.Hits)
			}
		}
		if r.Hits[0].Score <= 0 {
			t.Fatalf("relevance hits have no score: %+v", r.Hits)
		}
	})
}

func TestSearchPagination(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	all := ids(mustSearch(t, ix, notice.Query{}))
	var paged []notice.ID
	for page := 1; page <= 4; page++ {
		r, err := ix.Search(context.Background(), notice.Query{Page: page, Size: 3})
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != len(all) {
			t.Fatalf("page %d: total %d, want %d", page, r.Total, len(all))
		}
		wantLen := min(3, max(0, len(all)-(page-1)*3))
		if len(r.Hits) != wantLen {
			t.Fatalf("page %d: %d hits, want %d", page, len(r.Hits), wantLen)
		}
		paged = append(paged, ids(r)...)
	}
	if !slices.Equal(paged, all) {
		t.Fatalf("pages %v, want %v", paged, all)
	}
	r, err := ix.Search(context.Background(), notice.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != min(DefaultSize, len(all)) || r.Hits[0].ID != all[0] {
		t.Fatalf("page 0 size 0 should be the first default page, got %v", ids(r))
	}
}

func TestSearchFacets(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	tests := []struct {
		name string
		q    notice.Query
		want map[string]map[string]int
	}{
		{"everything", notice.Query{Facets: true}, map[string]map[string]int{
			FacetVendor: {"Microsoft": 3, "OVHcloud": 1, "Okta": 1, "Cloudflare": 1, "Atlassian": 1, "Google Cloud": 1},
			FacetProduct: {"Microsoft Entra ID": 2, "Logs Data Platform": 1, "Okta Workforce Identity": 1, "Microsoft Sentinel": 1,
				"Microsoft Defender for Endpoint": 1, "Cloudflare CDN": 1, "Jira Cloud": 1, "Google Compute Engine": 1},
			FacetCategory: {"outage": 3, "data-loss": 2, "security-incident": 1, "degradation": 1, "maintenance": 1},
			FacetYear:     {"2024": 7, "2023": 1},
		}},
		{"of the filtered match, not the page", notice.Query{Facets: true, Vendors: []string{"Microsoft"}, Size: 1}, map[string]map[string]int{
			FacetVendor:   {"Microsoft": 3},
			FacetProduct:  {"Microsoft Entra ID": 2, "Microsoft Sentinel": 1, "Microsoft Defender for Endpoint": 1},
			FacetCategory: {"outage": 2, "data-loss": 1},
			FacetYear:     {"2024": 3},
		}},
		{"of a text match", notice.Query{Facets: true, Text: "journaux"}, map[string]map[string]int{
			FacetVendor: {"OVHcloud": 1}, FacetProduct: {"Logs Data Platform": 1}, FacetCategory: {"data-loss": 1}, FacetYear: {"2024": 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tt.want {
				got := map[string]int{}
				prev := int(^uint(0) >> 1)
				for _, fc := range r.Facets[name] {
					got[fc.Value] = fc.Count
					if fc.Count > prev {
						t.Fatalf("facet %s not by count: %v", name, r.Facets[name])
					}
					prev = fc.Count
				}
				if !mapsEqual(got, want) {
					t.Fatalf("facet %s = %v, want %v", name, got, want)
				}
			}
		})
	}
	if r := mustSearch(t, ix, notice.Query{}); r.Facets != nil {
		t.Fatalf("facets not asked for: %v", r.Facets)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestSearchInvalid(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	tests := []struct {
		name, param string
		q           notice.Query
	}{
		{"unclosed phrase", "q", notice.Query{Text: `"sign-in failures`}},
		{"dangling operator", "q", notice.Query{Text: "logs +"}},
		{"bad fuzziness", "q", notice.Query{Text: "logs~x"}},
		{"dangling field", "q", notice.Query{Text: "title:"}},
		{"unknown field", "q", notice.Query{Text: "severity:high"}},
		{"bad regexp", "q", notice.Query{Text: "/[a/"}},
		{"size over the maximum", "size", notice.Query{Size: MaxSize + 1}},
		{"negative size", "size", notice.Query{Size: -1}},
		{"negative page", "page", notice.Query{Page: -1}},
		{"page too deep", "page", notice.Query{Page: MaxOffset, Size: 10}},
		{"unknown sort", "sort", notice.Query{Sort: "oldest"}},
		{"from after to", "from", notice.Query{From: at("2024-02-02T00:00:00Z"), To: at("2024-02-01T00:00:00Z")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ix.Search(context.Background(), tt.q)
			if !errors.Is(err, notice.ErrInvalid) {
				t.Fatalf("err = %v, want notice.ErrInvalid", err)
			}
			var pe *ParamError
			if !errors.As(err, &pe) || pe.Param != tt.param {
				t.Fatalf("err = %v, want a ParamError naming %q", err, tt.param)
			}
			if !strings.Contains(err.Error(), " "+tt.param+":") {
				t.Fatalf("message %q does not name %q", err, tt.param)
			}
		})
	}
}
