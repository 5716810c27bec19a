package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "gapwatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func testSource() notice.Source {
	return notice.Source{Name: "github", Kind: notice.KindStatuspage, URL: "https://example.test",
		Vendor: "GitHub", Interval: 5 * time.Minute, Enabled: true}
}

func item(id, title string) notice.StoredItem {
	it := notice.Item{Source: "github", ItemID: id, Title: title, Text: "body of " + title,
		Published: time.Date(2024, 9, 16, 10, 0, 0, 0, time.UTC), Raw: []byte(`{"id":"` + id + `"}`)}
	return notice.StoredItem{Item: it, Hash: it.Hash(), Extracted: true,
		Extraction: notice.Extraction{Vendor: "GitHub", Category: notice.CategoryOutage}}
}

func TestSaveCrawlVersions(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.SyncSources(ctx, []notice.Source{testSource()}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 9, 16, 12, 0, 0, 0, time.UTC)
	rec := notice.CrawlRecord{Source: "github", At: at, Outcome: notice.OutcomeOK,
		Items:      []notice.StoredItem{item("a", "Incident A"), item("b", "Incident B")},
		Validators: map[string]notice.Validators{"https://example.test/api/v2/incidents.json": {ETag: `"v1"`}}}
	tests := []struct {
		name  string
		items []notice.StoredItem
		want  notice.CrawlCounts
	}{
		{"first crawl", rec.Items, notice.CrawlCounts{New: 2}},
		{"same again", rec.Items, notice.CrawlCounts{Unchanged: 2}},
		{"b edited", []notice.StoredItem{item("a", "Incident A"), item("b", "Incident B (resolved)")}, notice.CrawlCounts{Updated: 1, Unchanged: 1}},
		{"b edited again same", []notice.StoredItem{item("b", "Incident B (resolved)")}, notice.CrawlCounts{Unchanged: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := rec
			r.Items = tc.items
			got, err := s.SaveCrawl(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("counts = %+v, want %+v", got, tc.want)
			}
		})
	}
	list, total, err := s.RecentNotices(ctx, 10, 0)
	if err != nil || total != 2 || len(list) != 2 {
		t.Fatalf("RecentNotices = %d/%d, %v", len(list), total, err)
	}
	var b notice.Notice
	for _, n := range list {
		if n.Item.ItemID == "b" {
			b = n
		}
	}
	if b.Version != 2 || b.Item.Title != "Incident B (resolved)" {
		t.Fatalf("latest b = v%d %q", b.Version, b.Item.Title)
	}
	vs, err := s.Versions(ctx, b.ID)
	if err != nil || len(vs) != 2 || vs[0].Item.Title != "Incident B" {
		t.Fatalf("versions = %+v, %v", vs, err)
	}
	v, err := s.Validators(ctx, "github")
	if err != nil || v["https://example.test/api/v2/incidents.json"].ETag != `"v1"` {
		t.Fatalf("validators = %v, %v", v, err)
	}
	st, err := s.Source(ctx, "github")
	if err != nil || st.State.Items != 2 || !st.State.LastSuccess.Equal(at) {
		t.Fatalf("state = %+v, %v", st.State, err)
	}
}

func TestFailedCrawlKeepsNotices(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.SyncSources(ctx, []notice.Source{testSource()}); err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC()
	if _, err := s.SaveCrawl(ctx, notice.CrawlRecord{Source: "github", At: at, Outcome: notice.OutcomeOK,
		Items: []notice.StoredItem{item("a", "A")}}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		if _, err := s.SaveCrawl(ctx, notice.CrawlRecord{Source: "github", At: at, Outcome: notice.OutcomeFailed,
			Err: "boom", Status: 500}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Source(ctx, "github")
	if err != nil {
		t.Fatal(err)
	}
	if st.State.ConsecutiveErrors != 2 || st.State.LastError != "boom" || st.State.Items != 1 {
		t.Fatalf("state = %+v", st.State)
	}
}

func TestNotFound(t *testing.T) {
	s := openTest(t)
	if _, err := s.Notice(context.Background(), 42); !errors.Is(err, notice.ErrNotFound) {
		t.Fatalf("Notice(42) err = %v, want ErrNotFound", err)
	}
	if _, err := s.Source(context.Background(), "nope"); !errors.Is(err, notice.ErrNotFound) {
		t.Fatalf("Source err = %v", err)
	}
}

func TestSyncSourcesDisablesRemoved(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	other := testSource()
	other.Name = "other"
	if err := s.SyncSources(ctx, []notice.Source{testSource(), other}); err != nil {
		t.Fatal(err)
	}
	if err := s.SyncSources(ctx, []notice.Source{testSource()}); err != nil {
		t.Fatal(err)
	}
	st, err := s.Source(ctx, "other")
	if err != nil || st.Source.Enabled {
		t.Fatalf("other = %+v, %v; want disabled", st.Source, err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SyncSources(ctx, []notice.Source{testSource()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveCrawl(ctx, notice.CrawlRecord{Source: "github", At: time.Now(), Outcome: notice.OutcomeOK,
		Items: []notice.StoredItem{item("a", "A")}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, total, err := s.RecentNotices(ctx, 10, 0)
	if err != nil || total != 1 {
		t.Fatalf("after reopen total = %d, %v", total, err)
	}
}

func TestChangesLog(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.SyncSources(ctx, []notice.Source{testSource()}); err != nil {
		t.Fatal(err)
	}
	save := func(items ...notice.StoredItem) {
		if _, err := s.SaveCrawl(ctx, notice.CrawlRecord{Source: "github", At: time.Now(), Outcome: notice.OutcomeOK, Items: items}); err != nil {
			t.Fatal(err)
		}
	}
	save(item("a", "A"), item("b", "B"))
	ids, seq, err := s.Changes(ctx, 0, 100)
	if err != nil || len(ids) != 2 || seq == 0 {
		t.Fatalf("changes = %v %d %v", ids, seq, err)
	}
	save(item("a", "A"), item("b", "B"))
	if ids, next, _ := s.Changes(ctx, seq, 100); len(ids) != 0 || next != seq {
		t.Fatalf("unchanged crawl logged changes %v", ids)
	}
	save(item("b", "B2"))
	ids, seq2, _ := s.Changes(ctx, seq, 100)
	if len(ids) != 1 || seq2 <= seq {
		t.Fatalf("edit: changes = %v", ids)
	}
	if err := s.SetExtraction(ctx, ids[0], 2, notice.Extraction{Vendor: "GitHub"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if ids2, _, _ := s.Changes(ctx, seq2, 100); len(ids2) != 1 || ids2[0] != ids[0] {
		t.Fatalf("reextract: changes = %v", ids2)
	}
	if last, err := s.LastChange(ctx); err != nil || last <= seq2 {
		t.Fatalf("last change = %d, %v", last, err)
	}
}
