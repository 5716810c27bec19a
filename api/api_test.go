package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/index"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

// fixture notices: what the crawler would have stored.
type fx struct {
	id, title, text, lang, vendor string
	cat                           notice.Category
	products                      []string
	windows                       []notice.Window
	published                     time.Time
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr(s string) *time.Time { t := at(s); return &t }

var fixtures = []fx{
	{id: "ms-logs-fr", lang: "fr", vendor: "Microsoft", cat: notice.CategoryDataLoss, published: at("2024-10-16T08:00:00Z"),
		title: "Microsoft a perdu des journaux de sécurité", text: "Entre le 2 et le 19 septembre, des journaux de sécurité de Microsoft Entra ID et Sentinel ont été perdus.",
		products: []string{"Microsoft Entra ID", "Microsoft Sentinel"},
		windows:  []notice.Window{{Start: at("2024-09-02T00:00:00Z"), End: ptr("2024-09-19T00:00:00Z"), Precision: notice.PrecisionDay}}},
	{id: "ms-logs-en", lang: "en", vendor: "Microsoft", cat: notice.CategoryDataLoss, published: at("2024-10-15T08:00:00Z"),
		title: "Microsoft lost security logs for two weeks", text: "A bug in monitoring agents lost logs for Entra ID, Sentinel and Defender for Cloud.",
		products: []string{"Microsoft Entra ID", "Microsoft Sentinel", "Microsoft Defender for Cloud"},
		windows:  []notice.Window{{Start: at("2024-09-02T19:00:00Z"), End: ptr("2024-09-19T15:00:00Z"), Precision: notice.PrecisionMinute}}},
	{id: "gh-actions", lang: "en", vendor: "GitHub", cat: notice.CategoryDegradation, published: at("2026-11-27T08:00:00Z"),
		title: "Degraded performance for GitHub Actions", text: "We are investigating delayed Actions runs.",
		products: []string{"GitHub Actions"},
		windows:  []notice.Window{{Start: at("2026-11-27T07:41:00Z"), Precision: notice.PrecisionMinute}}},
	{id: "aws-ec2", lang: "en", vendor: "AWS", cat: notice.CategoryOutage, published: at("2024-06-04T09:00:00Z"),
		title: "Increased error rates for Amazon EC2", text: "Between 11:43 PM and 1:12 AM PDT instances were unreachable.",
		products: []string{"Amazon EC2"},
		windows:  []notice.Window{{Start: at("2024-06-04T06:43:00Z"), End: ptr("2024-06-04T08:12:00Z"), Precision: notice.PrecisionMinute}}},
}

type env struct {
	srv   *httptest.Server
	store *store.Store
	dir   string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	src := notice.Source{Name: "s", Kind: notice.KindFeed, URL: "https://s.example.test", Interval: time.Minute, Enabled: true}
	if err := st.SyncSources(ctx, []notice.Source{src}); err != nil {
		t.Fatal(err)
	}
	var items []notice.StoredItem
	for _, f := range fixtures {
		it := notice.Item{Source: "s", ItemID: f.id, Title: f.title, Text: f.text, Published: f.published, URL: "https://s.example.test/" + f.id}
		ex := notice.Extraction{Vendor: f.vendor, Language: f.lang, Category: f.cat, Windows: f.windows, Version: "test"}
		for _, p := range f.products {
			ex.Products = append(ex.Products, notice.ProductRef{Name: p, Vendor: f.vendor, Matched: p})
		}
		items = append(items, notice.StoredItem{Item: it, Hash: it.Hash(), Extraction: ex, Extracted: true})
	}
	if _, err := st.SaveCrawl(ctx, notice.CrawlRecord{Source: "s", At: time.Now(), Outcome: notice.OutcomeOK, Items: items}); err != nil {
		t.Fatal(err)
	}
	e := &env{store: st, dir: dir}
	e.start(t)
	return e
}

// start opens the index in the env's folder (building it from the store
// when needed) and serves the API over it.
func (e *env) start(t *testing.T) {
	t.Helper()
	ix, err := index.Open(filepath.Join(e.dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	win := index.NewWindows()
	if err := index.NewFollower(ix, win, e.store, nil, nil).Start(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	cat, err := extract.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(api.New(api.Deps{Store: e.store, Search: ix, Windows: win, Catalog: cat,
		Tenants: e.store, Access: api.Access{AdminKey: adminKey}}))
	t.Cleanup(e.srv.Close)
}

func get(t *testing.T, u string, out any) *http.Response {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("decode %s: %v", u, err)
	}
	return resp
}

func titles(r api.SearchResponse) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.Title)
	}
	return out
}

func TestSearch(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name  string
		query url.Values
		want  []string
	}{
		{"empty lists newest first", url.Values{}, []string{"Degraded performance for GitHub Actions",
			"Microsoft a perdu des journaux de sécurité", "Microsoft lost security logs for two weeks", "Increased error rates for Amazon EC2"}},
		{"french phrase", url.Values{"q": {"journaux de sécurité"}}, []string{"Microsoft a perdu des journaux de sécurité"}},
		{"miss", url.Values{"q": {"kubernetes"}}, nil},
		{"product alias", url.Values{"product": {"Azure AD"}, "sort": {"published"}}, []string{
			"Microsoft a perdu des journaux de sécurité", "Microsoft lost security logs for two weeks"}},
		{"vendor and category", url.Values{"vendor": {"AWS", "GitHub"}, "category": {"outage"}}, []string{"Increased error rates for Amazon EC2"}},
		{"year", url.Values{"year": {"2026"}}, []string{"Degraded performance for GitHub Actions"}},
		{"years and text", url.Values{"year": {"2026,2024"}, "q": {"amazon"}}, []string{"Increased error rates for Amazon EC2"}},
		{"affected time", url.Values{"from": {"2024-09-10"}, "to": {"2024-09-10"}, "sort": {"published"}}, []string{
			"Microsoft a perdu des journaux de sécurité", "Microsoft lost security logs for two weeks"}},
		{"day window edge", url.Values{"from": {"2024-09-19T20:00:00Z"}, "to": {"2024-09-19T21:00:00Z"}}, []string{
			"Microsoft a perdu des journaux de sécurité"}},
		{"open window is ongoing", url.Values{"from": {"2026-12-01"}}, []string{"Degraded performance for GitHub Actions"}},
		{"open window not years later", url.Values{"from": {"2030-01-01"}}, nil},
		{"page 2", url.Values{"size": {"3"}, "page": {"2"}}, []string{"Increased error rates for Amazon EC2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r api.SearchResponse
			if resp := get(t, e.srv.URL+"/api/v1/notices?"+tc.query.Encode(), &r); resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := titles(r); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestFacetsAndHighlights(t *testing.T) {
	e := newEnv(t)
	var r api.SearchResponse
	get(t, e.srv.URL+"/api/v1/notices?q=logs", &r)
	if r.Total == 0 || len(r.Hits[0].Highlights) == 0 {
		t.Fatalf("no highlights: %+v", r)
	}
	get(t, e.srv.URL+"/api/v1/notices", &r)
	counts := map[string]int{}
	for _, f := range r.Facets["vendor"] {
		counts[f.Value] = f.Count
	}
	if counts["Microsoft"] != 2 || counts["AWS"] != 1 || len(r.Facets["year"]) == 0 || len(r.Facets["category"]) == 0 {
		t.Fatalf("facets = %+v", r.Facets)
	}
	var bare api.SearchResponse
	get(t, e.srv.URL+"/api/v1/notices?facets=false", &bare)
	if bare.Total != r.Total || len(bare.Facets) != 0 {
		t.Fatalf("facets=false: total %d (want %d), facets %+v (want none)", bare.Total, r.Total, bare.Facets)
	}
}

func TestWindows(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name  string
		query string
		want  int
	}{
		{"alias and range", "product=azure+ad&from=2024-09-05&to=2024-09-06", 2},
		{"instant inside", "product=Microsoft+Sentinel&at=2024-09-10T12:00:00Z", 2},
		{"day precision edge in another zone", "product=Microsoft+Entra+ID&at=2024-09-19T22:00:00Z", 1},
		{"after", "product=Entra+ID&at=2024-09-21T00:00:00Z", 0},
		{"open window ongoing", "product=GitHub+Actions&at=2026-12-03T00:00:00Z", 1},
		{"open window past its assumed end", "product=GitHub+Actions&at=2030-01-01T00:00:00Z", 0},
		{"open window, open=all", "product=GitHub+Actions&at=2030-01-01T00:00:00Z&open=all", 1},
		{"open window, open=recent", "product=GitHub+Actions&at=2026-12-04T08:00:00Z&open=recent", 1},
		{"vendor wide", "vendor=AWS&from=2024-06-04&to=2024-06-04", 1},
		{"product and wrong vendor", "product=Amazon+EC2&vendor=Microsoft", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r struct {
				Windows []notice.WindowHit `json:"windows"`
			}
			if resp := get(t, e.srv.URL+"/api/v1/windows?"+tc.query, &r); resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if len(r.Windows) != tc.want {
				t.Fatalf("got %d windows %+v, want %d", len(r.Windows), r.Windows, tc.want)
			}
		})
	}
}

func TestProblems(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		path   string
		status int
		param  string
	}{
		{"/api/v1/notices?size=101", 400, "size"},
		{"/api/v1/notices?size=abc", 400, "size"},
		{"/api/v1/notices?page=0", 400, "page"},
		{"/api/v1/notices?from=yesterday", 400, "from"},
		{"/api/v1/notices?from=2024-09-10&to=2024-09-01", 400, "to"},
		{"/api/v1/notices?sort=random", 400, "sort"},
		{"/api/v1/notices?category=meteor", 400, "category"},
		{"/api/v1/notices?year=last", 400, "year"},
		{"/api/v1/notices?facets=maybe", 400, "facets"},
		{"/api/v1/notices?q=%22sign-in+failures", 400, "q"},
		{"/api/v1/notices/abc", 400, "id"},
		{"/api/v1/notices/9999", 404, ""},
		{"/api/v1/windows", 400, "product"},
		{"/api/v1/windows?product=x&at=noon", 400, "at"},
		{"/api/v1/windows?product=x&at=2024-01-01&from=2024-01-01", 400, "at"},
		{"/api/v1/windows?product=x&open=maybe", 400, "open"},
		{"/api/v1/nope", 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			var p api.Problem
			resp := get(t, e.srv.URL+tc.path, &p)
			if resp.StatusCode != tc.status || p.Status != tc.status || p.Param != tc.param {
				t.Fatalf("got %d %+v", resp.StatusCode, p)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type %q", ct)
			}
		})
	}
}

func TestNoticeDetailProductsSourcesHealth(t *testing.T) {
	e := newEnv(t)
	var d api.NoticeDetail
	if resp := get(t, e.srv.URL+"/api/v1/notices/1", &d); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if d.Title != fixtures[0].title || len(d.Versions) != 1 || d.Windows[0].Precision != notice.PrecisionDay || d.Products[0].Matched == "" {
		t.Fatalf("detail = %+v", d)
	}
	var prods struct {
		Products []api.ProductJSON `json:"products"`
	}
	get(t, e.srv.URL+"/api/v1/products?q=signinlogs", &prods)
	if len(prods.Products) == 0 || !strings.Contains(fmt.Sprint(prods.Products), "{Microsoft Entra ID Microsoft") {
		t.Fatalf("products = %+v", prods)
	}
	var srcs struct {
		Sources []notice.SourceState `json:"sources"`
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/sources", nil)
	req.Header.Set("Authorization", "Bearer "+adminKey)
	sresp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer sresp.Body.Close()
	json.NewDecoder(sresp.Body).Decode(&srcs)
	if sresp.StatusCode != 200 || len(srcs.Sources) != 1 {
		t.Fatalf("sources = %+v", srcs)
	}
	var ready map[string]string
	if resp := get(t, e.srv.URL+"/readyz", &ready); resp.StatusCode != 200 {
		t.Fatalf("readyz %d", resp.StatusCode)
	}
	for range 2 { // the second answer comes from the index's cache
		var res map[string]any
		if resp := get(t, e.srv.URL+"/api/v1/notices?q=zzzrepeated", &res); resp.StatusCode != 200 {
			t.Fatalf("search: %d", resp.StatusCode)
		}
	}
	resp, err := http.Get(e.srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var sb strings.Builder
	if _, err := io.Copy(&sb, resp.Body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.String(), `gapwatch_http_requests_total{code="200",method="GET",route="/api/v1/notices/:id"} 1`) {
		t.Fatalf("metrics lack the request count:\n%s", sb.String()[:min(2000, sb.Len())])
	}
	m := regexp.MustCompile(`(?m)^gapwatch_search_cache_hits_total (\d+)$`).FindStringSubmatch(sb.String())
	if m == nil || m[1] == "0" {
		t.Fatalf("metrics lack the search cache hits, or count none after a repeated search: %v", m)
	}
}

// TestDeleteIndexFolder: the index is derived; deleting it and starting
// again gives the same answers.
func TestDeleteIndexFolder(t *testing.T) {
	e := newEnv(t)
	query := e.srv.URL + "/api/v1/notices?q=logs&sort=published"
	var before, after api.SearchResponse
	get(t, query, &before)
	e.srv.Close()
	if err := os.RemoveAll(filepath.Join(e.dir, "index")); err != nil {
		t.Fatal(err)
	}
	e.start(t)
	get(t, e.srv.URL+"/api/v1/notices?q=logs&sort=published", &after)
	if before.Total == 0 || strings.Join(titles(before), "|") != strings.Join(titles(after), "|") {
		t.Fatalf("before %q after %q", titles(before), titles(after))
	}
}

// TestOpenAPICoversRoutes: every served route is documented.
func TestOpenAPICoversRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	cat, _ := extract.DefaultCatalog()
	r := api.New(api.Deps{Catalog: cat})
	for _, route := range r.Routes() {
		p := route.Path
		for _, seg := range strings.Split(p, "/") {
			if strings.HasPrefix(seg, ":") {
				p = strings.Replace(p, seg, "{"+seg[1:]+"}", 1)
			}
		}
		ops, ok := doc.Paths[p]
		if !ok {
			t.Errorf("route %s %s is not in openapi.json", route.Method, p)
			continue
		}
		if _, ok := ops[strings.ToLower(route.Method)]; !ok {
			t.Errorf("route %s %s: method not in openapi.json", route.Method, p)
		}
	}
}
