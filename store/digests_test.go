package store

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

func TestSubscriptionRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ten, _, err := s.CreateTenant(ctx, notice.Tenant{Name: "acme", Timezone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	def, err := s.Subscription(ctx, ten)
	if err != nil {
		t.Fatal(err)
	}
	if def.Weekday != time.Monday || def.Hour != 8 || !def.Enabled {
		t.Errorf("default subscription %+v", def)
	}
	sub := notice.Subscription{Tenant: ten.ID, Recipients: []string{"soc@example.test"}, Vendors: []string{"Microsoft"},
		Categories: []notice.Category{notice.CategoryDataLoss}, Weekday: time.Friday, Hour: 17, Timezone: "Asia/Tokyo", AllQuiet: true}
	if err := s.SetSubscription(ctx, sub); err != nil {
		t.Fatal(err)
	}
	got, err := s.Subscription(ctx, ten)
	if err != nil {
		t.Fatal(err)
	}
	if got.Weekday != time.Friday || got.Hour != 17 || got.Timezone != "Asia/Tokyo" || got.Enabled || !got.AllQuiet ||
		len(got.Recipients) != 1 || got.Vendors[0] != "Microsoft" || got.Categories[0] != notice.CategoryDataLoss || got.Products == nil {
		t.Errorf("subscription after set %+v", got)
	}
}

func TestClaimDigestOnce(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	ten, _, err := s.CreateTenant(ctx, notice.Tenant{Name: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2024, 9, 23, 6, 0, 0, 0, time.UTC)
	now := end.Add(time.Minute)
	t.Run("concurrent claimers, one wins", func(t *testing.T) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, won, err := s.ClaimDigest(ctx, ten.ID, end, now, 10*time.Minute)
				if err != nil {
					t.Error(err)
				}
				if won {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if wins != 1 {
			t.Fatalf("%d claims won, want 1", wins)
		}
	})
	rec, err := s.LastDigest(ctx, ten.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Start.Equal(end.Add(-FirstPeriod)) {
		t.Errorf("first period starts %s", rec.Start)
	}
	t.Run("failed is retried after its time", func(t *testing.T) {
		rec.State, rec.LastError, rec.NextAttempt = notice.DigestStateFailed, "421 try later", now.Add(time.Minute)
		if err := s.FinishDigest(ctx, rec); err != nil {
			t.Fatal(err)
		}
		if _, won, _ := s.ClaimDigest(ctx, ten.ID, end, now.Add(30*time.Second), 10*time.Minute); won {
			t.Error("claimed before the retry time")
		}
		r2, won, err := s.ClaimDigest(ctx, ten.ID, end, now.Add(2*time.Minute), 10*time.Minute)
		if err != nil || !won || r2.Attempts != 2 {
			t.Fatalf("retry claim won=%v attempts=%d err=%v", won, r2.Attempts, err)
		}
		r2.State, r2.Sent = notice.DigestStateSent, now.Add(2*time.Minute)
		if err := s.FinishDigest(ctx, r2); err != nil {
			t.Fatal(err)
		}
		if _, won, _ := s.ClaimDigest(ctx, ten.ID, end, now.Add(time.Hour), time.Minute); won {
			t.Error("a sent period was claimed again")
		}
	})
	t.Run("next period starts where the last delivered ended", func(t *testing.T) {
		next := end.Add(7 * 24 * time.Hour)
		r, won, err := s.ClaimDigest(ctx, ten.ID, next, next, time.Minute)
		if err != nil || !won || !r.Start.Equal(end) {
			t.Fatalf("won=%v start=%s err=%v", won, r.Start, err)
		}
	})
}

func TestNoticeChanges(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.SyncSources(ctx, []notice.Source{testSource()}); err != nil {
		t.Fatal(err)
	}
	t1 := time.Date(2024, 9, 10, 12, 0, 0, 0, time.UTC)
	t2 := t1.Add(7 * 24 * time.Hour)
	save := func(at time.Time, items ...notice.StoredItem) {
		t.Helper()
		if _, err := s.SaveCrawl(ctx, notice.CrawlRecord{Source: "github", At: at, Outcome: notice.OutcomeOK, Items: items}); err != nil {
			t.Fatal(err)
		}
	}
	save(t1, item("a", "Old incident"), item("b", "Edited incident"))
	b2 := item("b", "Edited incident (resolved)")
	b2.Extraction.Category = notice.CategoryDegradation
	save(t2, item("a", "Old incident"), b2, item("c", "New incident"))
	got, err := s.NoticeChanges(ctx, t1.Add(time.Hour), t2.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d changes, want 2 (b revised, c new): %+v", len(got), got)
	}
	if got[0].Notice.Item.ItemID != "b" || got[0].Previous == nil || got[0].Previous.Category != notice.CategoryOutage {
		t.Errorf("b change %+v", got[0])
	}
	if got[1].Notice.Item.ItemID != "c" || got[1].Previous != nil {
		t.Errorf("c change %+v", got[1])
	}
}

// TestNoticeChangesReextracted: a new reading by an improved extractor is a
// change of the period it happened in, compared with what the notice read
// at the period's start, even across a later vendor revision.
func TestNoticeChangesReextracted(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.SyncSources(ctx, []notice.Source{testSource()}); err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2024, 9, d, 12, 0, 0, 0, time.UTC) }
	if _, err := s.SaveCrawl(ctx, notice.CrawlRecord{Source: "github", At: day(1), Outcome: notice.OutcomeOK,
		Items: []notice.StoredItem{item("a", "Incident A"), item("b", "Incident B")}}); err != nil {
		t.Fatal(err)
	}
	ns, err := s.Notices(ctx, []notice.ID{1, 2})
	if err != nil || len(ns) != 2 {
		t.Fatalf("%d notices, %v", len(ns), err)
	}
	byItem := map[string]notice.Notice{}
	for _, n := range ns {
		byItem[n.Item.ItemID] = n
	}
	a, b := byItem["a"], byItem["b"]
	reread := func(n notice.Notice, cat notice.Category, at time.Time) {
		t.Helper()
		ex := n.Extraction
		ex.Category = cat
		if err := s.SetExtraction(ctx, n.ID, n.Version, ex, at); err != nil {
			t.Fatal(err)
		}
	}
	reread(a, notice.CategoryDataLoss, day(3))
	reread(a, notice.CategoryDegradation, day(4))
	reread(b, notice.CategoryOutage, day(3)) // the same reading: no change
	// a vendor revision of a on day 5, then a reading of it on day 6
	a2 := item("a", "Incident A (resolved)")
	a2.Extraction.Category = notice.CategoryMaintenance
	if _, err := s.SaveCrawl(ctx, notice.CrawlRecord{Source: "github", At: day(5), Outcome: notice.OutcomeOK,
		Items: []notice.StoredItem{a2, item("b", "Incident B")}}); err != nil {
		t.Fatal(err)
	}
	// a reading of the version before the revision is refused
	stale := a.Extraction
	stale.Category = notice.CategoryDegradation
	if err := s.SetExtraction(ctx, a.ID, a.Version, stale, day(6)); !errors.Is(err, notice.ErrConflict) {
		t.Fatalf("a reading of an outdated version: %v, want ErrConflict", err)
	}
	a, _ = s.Notice(ctx, a.ID)
	reread(a, notice.CategorySecurityIncident, day(6))

	tests := []struct {
		name         string
		since, until time.Time
		want         []string // item IDs
		prev         notice.Category
	}{
		{"first reading", day(2), day(3), []string{"a"}, notice.CategoryOutage},
		{"two readings: from the period's start", day(2), day(4), []string{"a"}, notice.CategoryOutage},
		{"second reading", day(3), day(4), []string{"a"}, notice.CategoryDataLoss},
		{"vendor revision and a reading", day(4), day(6), []string{"a"}, notice.CategoryDegradation},
		{"reading of the revision", day(5), day(7), []string{"a"}, notice.CategoryMaintenance},
		{"nothing", day(7), day(8), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.NoticeChanges(ctx, tt.since, tt.until)
			if err != nil {
				t.Fatal(err)
			}
			var items []string
			for _, c := range got {
				items = append(items, c.Notice.Item.ItemID)
			}
			if !slices.Equal(items, tt.want) {
				t.Fatalf("changed %v, want %v", items, tt.want)
			}
			if len(got) == 1 {
				if got[0].Previous == nil || got[0].Previous.Category != tt.prev {
					t.Fatalf("previous %+v, want category %q", got[0].Previous, tt.prev)
				}
				if got[0].Notice.Extraction.Category != notice.CategorySecurityIncident {
					t.Fatalf("current category %q", got[0].Notice.Extraction.Category)
				}
			}
		})
	}
}
