package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

func newServer(t *testing.T) (*httptest.Server, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	src := notice.Source{Name: "s", Kind: notice.KindFeed, URL: "https://s.example.test", Interval: time.Minute, Enabled: true}
	if err := st.SyncSources(ctx, []notice.Source{src}); err != nil {
		t.Fatal(err)
	}
	var items []notice.StoredItem
	for i, title := range []string{"older", "newer"} {
		it := notice.Item{Source: "s", ItemID: title, Title: title, Published: time.Date(2024, 9, 1+i, 0, 0, 0, 0, time.UTC)}
		end := time.Date(2024, 9, 19, 0, 0, 0, 0, time.UTC)
		items = append(items, notice.StoredItem{Item: it, Hash: it.Hash(), Extracted: true, Extraction: notice.Extraction{
			Vendor: "Microsoft", Category: notice.CategoryDataLoss,
			Products: []notice.ProductRef{{Name: "Microsoft Sentinel", Vendor: "Microsoft"}},
			Windows:  []notice.Window{{Start: time.Date(2024, 9, 2, 0, 0, 0, 0, time.UTC), End: &end, Precision: notice.PrecisionDay}},
		}})
	}
	if _, err := st.SaveCrawl(ctx, notice.CrawlRecord{Source: "s", At: time.Now(), Outcome: notice.OutcomeOK, Items: items}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Deps{Store: st}))
	t.Cleanup(srv.Close)
	return srv, st
}

func get(t *testing.T, url string, out any) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("decode %s: %v", url, err)
	}
	return resp
}

func TestListNotices(t *testing.T) {
	srv, _ := newServer(t)
	var body struct {
		Total int             `json:"total"`
		Hits  []api.NoticeHit `json:"hits"`
	}
	resp := get(t, srv.URL+"/api/v1/notices", &body)
	if resp.StatusCode != 200 || body.Total != 2 || len(body.Hits) != 2 {
		t.Fatalf("status %d, body %+v", resp.StatusCode, body)
	}
	if body.Hits[0].Title != "newer" || body.Hits[0].Products[0] != "Microsoft Sentinel" || body.Hits[0].Windows[0].Precision != notice.PrecisionDay {
		t.Fatalf("first hit = %+v", body.Hits[0])
	}
}

func TestProblems(t *testing.T) {
	srv, _ := newServer(t)
	tests := []struct {
		path   string
		status int
		param  string
	}{
		{"/api/v1/notices?size=101", 400, "size"},
		{"/api/v1/notices?size=abc", 400, "size"},
		{"/api/v1/notices?page=0", 400, "page"},
		{"/api/v1/notices/abc", 400, "id"},
		{"/api/v1/notices/9999", 404, ""},
		{"/api/v1/nope", 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			var p api.Problem
			resp := get(t, srv.URL+tc.path, &p)
			if resp.StatusCode != tc.status || p.Status != tc.status || p.Param != tc.param {
				t.Fatalf("got %d %+v", resp.StatusCode, p)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type %q", ct)
			}
		})
	}
}

func TestNoticeWithVersionsAndSources(t *testing.T) {
	srv, _ := newServer(t)
	var body struct {
		Notice   notice.Notice    `json:"notice"`
		Versions []notice.Version `json:"versions"`
	}
	if resp := get(t, srv.URL+"/api/v1/notices/1", &body); resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if body.Notice.Item.Title != "older" || len(body.Versions) != 1 {
		t.Fatalf("body = %+v", body)
	}
	var srcs struct {
		Sources []notice.SourceState `json:"sources"`
	}
	if resp := get(t, srv.URL+"/api/v1/sources", &srcs); resp.StatusCode != 200 || len(srcs.Sources) != 1 || srcs.Sources[0].State.Items != 2 {
		t.Fatalf("sources = %+v", srcs)
	}
	var ready map[string]string
	if resp := get(t, srv.URL+"/readyz", &ready); resp.StatusCode != 200 {
		t.Fatalf("readyz %d", resp.StatusCode)
	}
}
