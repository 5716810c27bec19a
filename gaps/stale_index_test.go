package gaps_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/gaps"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

// TestNoticesChangedAfterGapIDReuse caches the gap index, then another
// process deletes tenant a's newest gap and tenant b imports one that may
// reuse its ID: relinking must not put a's links on b's gap.
func TestNoticesChangedAfterGapIDReuse(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, _, _ := st.CreateTenant(ctx, notice.Tenant{Name: "a"})
	b, _, _ := st.CreateTenant(ctx, notice.Tenant{Name: "b"})
	d := func(day, h int) time.Time { return time.Date(2024, 9, day, h, 0, 0, 0, time.UTC) }
	if _, err := st.SaveGaps(ctx, a.ID, []notice.Gap{{Source: "s", Product: "Widget", Vendor: "Acme", Start: d(1, 0), End: d(1, 2)}}); err != nil {
		t.Fatal(err)
	}
	ga, _ := st.SaveGaps(ctx, a.ID, []notice.Gap{{Source: "s", Product: "Widget", Vendor: "Acme", Start: d(10, 0), End: d(10, 2)}})
	st.SyncSources(ctx, []notice.Source{{Name: "src", Kind: notice.KindFeed, URL: "https://x.test", Interval: time.Hour, Enabled: true}})
	it := notice.Item{Source: "src", ItemID: "n1", Title: "Widget down", Vendor: "Acme", Published: d(10, 5)}
	ex := notice.Extraction{Vendor: "Acme", Category: notice.CategoryOutage, Products: []notice.ProductRef{{Name: "Widget", Vendor: "Acme"}},
		Windows: []notice.Window{{Start: d(10, 0), End: notice.TimePtr(d(10, 1)), Precision: notice.PrecisionMinute}}}
	if _, err := st.SaveCrawl(ctx, notice.CrawlRecord{Source: "src", At: d(10, 5), Outcome: notice.OutcomeOK,
		Items: []notice.StoredItem{{Item: it, Hash: it.Hash(), Extraction: ex, Extracted: true}}}); err != nil {
		t.Fatal(err)
	}
	svc := gaps.NewService(st, nil, nil, nil)
	n, _ := st.Notices(ctx, []notice.ID{1})
	if err := svc.NoticesChanged(ctx, n); err != nil { // builds and caches the gap index
		t.Fatal(err)
	}
	s1, _ := st.GapsStamp(ctx)
	// Another process (CLI, second replica): a deletes its newest gap, b imports one.
	if err := st.DeleteGap(ctx, a.ID, ga[0].ID); err != nil {
		t.Fatal(err)
	}
	gb, _ := st.SaveGaps(ctx, b.ID, []notice.Gap{{Source: "other", Product: "Widget", Vendor: "Acme", Start: d(20, 0), End: d(20, 2)}})
	s2, _ := st.GapsStamp(ctx)
	if s1 == s2 {
		t.Fatalf("gaps stamp %s unchanged", s2)
	}
	// The notice is revised (any change) and relinked by this process.
	if err := svc.NoticesChanged(ctx, n); err != nil {
		t.Fatal(err)
	}
	ls, _ := st.GapLinks(ctx, gb[0].ID)
	if len(ls) > 0 {
		t.Errorf("tenant b's gap on 20 Sep linked to a notice about 10 Sep 00:00-01:00: %+v", ls[0].Explanation)
	}
}
