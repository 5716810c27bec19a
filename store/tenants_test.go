package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

func TestTenantsKeysAndIsolation(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a, keyA, err := s.CreateTenant(ctx, notice.Tenant{Name: "acme", Timezone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := s.CreateTenant(ctx, notice.Tenant{Name: "globex"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateTenant(ctx, notice.Tenant{Name: "acme"}); !errors.Is(err, notice.ErrInvalid) {
		t.Fatalf("duplicate name: %v", err)
	}
	if _, _, err := s.CreateTenant(ctx, notice.Tenant{Name: "x", Timezone: "Mars/Base"}); !errors.Is(err, notice.ErrInvalid) {
		t.Fatalf("bad zone: %v", err)
	}
	if got, err := s.TenantByKey(ctx, keyA); err != nil || got.ID != a.ID {
		t.Fatalf("by key: %+v %v", got, err)
	}
	var stored string
	if err := s.db.QueryRow(`SELECT key_hash FROM tenants WHERE id = ?`, a.ID).Scan(&stored); err != nil || stored == keyA || stored != HashKey(keyA) {
		t.Fatalf("key must be stored hashed, got %q", stored)
	}
	newKey, err := s.RotateKey(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.TenantByKey(ctx, keyA); !errors.Is(err, notice.ErrNotFound) {
		t.Fatalf("old key still works: %v", err)
	}
	if got, err := s.TenantByKey(ctx, newKey); err != nil || got.ID != a.ID {
		t.Fatalf("new key: %v", err)
	}

	g := notice.Gap{Source: "SigninLogs", Product: "Microsoft Entra ID", Start: time.Date(2024, 9, 3, 0, 0, 0, 0, time.UTC),
		End: time.Date(2024, 9, 18, 0, 0, 0, 0, time.UTC)}
	saved, err := s.SaveGaps(ctx, a.ID, []notice.Gap{g, g})
	if err != nil || len(saved) != 2 || saved[0].ID != saved[1].ID {
		t.Fatalf("dedupe: %+v %v", saved, err)
	}
	again, _ := s.SaveGaps(ctx, a.ID, []notice.Gap{g})
	if again[0].ID != saved[0].ID {
		t.Fatal("re-import duplicated the gap")
	}
	if _, err := s.Gap(ctx, b.ID, saved[0].ID); !errors.Is(err, notice.ErrNotFound) {
		t.Fatalf("other tenant sees the gap: %v", err)
	}
	if err := s.DeleteGap(ctx, b.ID, saved[0].ID); !errors.Is(err, notice.ErrNotFound) {
		t.Fatalf("other tenant deletes the gap: %v", err)
	}
	if list, _ := s.ListGaps(ctx, b.ID, notice.GapFilter{}); len(list) != 0 {
		t.Fatalf("other tenant lists %v", list)
	}
	if err := s.DeleteTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.AllGaps(ctx); len(list) != 0 {
		t.Fatalf("tenant delete left gaps %v", list)
	}
}

func TestLinksKeepFirstLinked(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seedOneNotice(t, s)
	ten, _, _ := s.CreateTenant(ctx, notice.Tenant{Name: "acme"})
	gs, _ := s.SaveGaps(ctx, ten.ID, []notice.Gap{{Source: "x", Start: time.Unix(0, 0), End: time.Unix(3600, 0)}})
	l := notice.Link{Gap: gs[0].ID, Notice: 1, Score: 0.5}
	if err := s.SetGapLinks(ctx, gs[0].ID, []notice.Link{l}); err != nil {
		t.Fatal(err)
	}
	first, _ := s.GapLinks(ctx, gs[0].ID)
	time.Sleep(5 * time.Millisecond)
	l.Score = 0.9
	if err := s.SetNoticeLinks(ctx, 1, []notice.Link{l}); err != nil {
		t.Fatal(err)
	}
	second, _ := s.GapLinks(ctx, gs[0].ID)
	if len(second) != 1 || second[0].Score != 0.9 || !second[0].FirstLinked.Equal(first[0].FirstLinked) {
		t.Fatalf("first %+v second %+v", first, second)
	}
	explained := true
	if list, _ := s.ListGaps(ctx, ten.ID, notice.GapFilter{Explained: &explained}); len(list) != 1 {
		t.Fatalf("explained filter: %v", list)
	}
	if err := s.SetNoticeLinks(ctx, 1, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GapLinks(ctx, gs[0].ID); len(got) != 0 {
		t.Fatalf("revised notice kept link %v", got)
	}
}

func TestTenantKeyStamp(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a, key, err := s.CreateTenant(ctx, notice.Tenant{Name: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.TenantKeyStamp(ctx, a.ID)
	if err != nil || first != HashKey(key) {
		t.Fatalf("stamp %q (%v), want the key's hash %q", first, err, HashKey(key))
	}
	newKey, err := s.RotateKey(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := s.TenantKeyStamp(ctx, a.ID)
	if err != nil || rotated == first || rotated != HashKey(newKey) {
		t.Fatalf("after rotation: %q (%v), want %q", rotated, err, HashKey(newKey))
	}
	if err := s.DeleteTenant(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TenantKeyStamp(ctx, a.ID); !errors.Is(err, notice.ErrNotFound) {
		t.Fatalf("deleted tenant: %v, want ErrNotFound", err)
	}
	b, _, err := s.CreateTenant(ctx, notice.Tenant{Name: "globex"})
	if err != nil {
		t.Fatal(err)
	}
	if b.ID != a.ID {
		t.Fatalf("precondition: SQLite reuses the highest deleted rowid, want ID %d, got %d", a.ID, b.ID)
	}
	if reused, err := s.TenantKeyStamp(ctx, b.ID); err != nil || reused == rotated {
		t.Fatalf("a new tenant with a reused ID has the old stamp: %q (%v)", reused, err)
	}
}

// TestGapsLinks: the links of many gaps in a few statements, past the
// chunk size, and never another tenant's.
func TestGapsLinks(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seedOneNotice(t, s)
	a, _, _ := s.CreateTenant(ctx, notice.Tenant{Name: "acme"})
	b, _, _ := s.CreateTenant(ctx, notice.Tenant{Name: "globex"})
	var gs []notice.Gap
	for i := range linksChunk + 100 {
		start := time.Unix(int64(i)*7200, 0)
		gs = append(gs, notice.Gap{Source: "x", Start: start, End: start.Add(time.Hour)})
	}
	saved, err := s.SaveGaps(ctx, a.ID, gs)
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.SaveGaps(ctx, b.ID, gs[:1])
	if err != nil {
		t.Fatal(err)
	}
	var links []notice.Link
	ids := []notice.GapID{other[0].ID}
	for i, g := range saved {
		ids = append(ids, g.ID)
		if i%2 == 0 {
			links = append(links, notice.Link{Gap: g.ID, Notice: 1, Score: 0.5})
		}
	}
	links = append(links, notice.Link{Gap: other[0].ID, Notice: 1, Score: 0.5})
	if err := s.SetNoticeLinks(ctx, 1, links); err != nil {
		t.Fatal(err)
	}
	got, err := s.GapsLinks(ctx, a.ID, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != (len(saved)+1)/2 {
		t.Fatalf("%d gaps with links, want %d", len(got), (len(saved)+1)/2)
	}
	if _, ok := got[other[0].ID]; ok {
		t.Fatal("another tenant's gap links were returned")
	}
	for _, g := range saved {
		want, err := s.GapLinks(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got[g.ID]) != len(want) || (len(want) > 0 && got[g.ID][0].Notice != want[0].Notice) {
			t.Fatalf("gap %d: %+v, want %+v", g.ID, got[g.ID], want)
		}
	}
	if got, err := s.GapsLinks(ctx, a.ID, nil); err != nil || len(got) != 0 {
		t.Fatalf("no gaps: %v %v", got, err)
	}
}

// seedOneNotice stores one source and one item, so notice 1 exists.
func seedOneNotice(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	if err := s.SyncSources(ctx, []notice.Source{testSource()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveCrawl(ctx, notice.CrawlRecord{Source: "github", At: time.Now(), Outcome: notice.OutcomeOK,
		Items: []notice.StoredItem{item("a", "A")}}); err != nil {
		t.Fatal(err)
	}
}
