package store

import (
	"context"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// TestGapsStampChangesOnIDReuse deletes the newest gap and stores another
// that reuses its ID: count and id range are unchanged, the stamp must not
// be. Deleting a tenant (cascading to its gaps) must change it too.
func TestGapsStampChangesOnIDReuse(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a, _, _ := s.CreateTenant(ctx, notice.Tenant{Name: "a"})
	b, _, _ := s.CreateTenant(ctx, notice.Tenant{Name: "b"})
	d := func(day int) time.Time { return time.Date(2024, 9, day, 0, 0, 0, 0, time.UTC) }
	ga, err := s.SaveGaps(ctx, a.ID, []notice.Gap{{Source: "s", Start: d(1), End: d(2)}, {Source: "s", Start: d(3), End: d(4)}})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.GapsStamp(ctx)
	if err := s.DeleteGap(ctx, a.ID, ga[1].ID); err != nil {
		t.Fatal(err)
	}
	gb, err := s.SaveGaps(ctx, b.ID, []notice.Gap{{Source: "t", Start: d(5), End: d(6)}})
	if err != nil {
		t.Fatal(err)
	}
	if gb[0].ID != ga[1].ID {
		t.Logf("gap ID not reused (%d vs %d); the stamp must still change", gb[0].ID, ga[1].ID)
	}
	after, _ := s.GapsStamp(ctx)
	if before == after {
		t.Fatalf("stamp %s unchanged after delete and reinsert", after)
	}
	if err := s.DeleteTenant(ctx, b.Name); err != nil {
		t.Fatal(err)
	}
	if cascaded, _ := s.GapsStamp(ctx); cascaded == after {
		t.Fatalf("stamp %s unchanged after tenant delete cascaded to its gaps", cascaded)
	}
}

// TestSetLinksOfChecksGaps writes links computed from a gap that has since
// been replaced by another tenant's gap with the same ID: they must not be
// stored, while links to a matching gap are.
func TestSetLinksOfChecksGaps(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seedOneNotice(t, s)
	a, _, _ := s.CreateTenant(ctx, notice.Tenant{Name: "a"})
	b, _, _ := s.CreateTenant(ctx, notice.Tenant{Name: "b"})
	d := func(day int) time.Time { return time.Date(2024, 9, day, 0, 0, 0, 0, time.UTC) }
	keep, _ := s.SaveGaps(ctx, a.ID, []notice.Gap{{Source: "s", Start: d(1), End: d(2)}})
	old, _ := s.SaveGaps(ctx, a.ID, []notice.Gap{{Source: "s", Start: d(3), End: d(4)}})
	if err := s.DeleteGap(ctx, a.ID, old[0].ID); err != nil {
		t.Fatal(err)
	}
	reused, _ := s.SaveGaps(ctx, b.ID, []notice.Gap{{Source: "t", Start: d(5), End: d(6)}})
	links := []notice.Link{{Gap: keep[0].ID, Notice: 1, Score: 0.5}, {Gap: old[0].ID, Notice: 1, Score: 0.9}}
	known := map[notice.GapID]notice.Gap{keep[0].ID: keep[0], old[0].ID: old[0]}
	if err := s.SetLinksOf(ctx, map[notice.ID][]notice.Link{1: links}, lookupIn(known)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GapLinks(ctx, reused[0].ID); len(got) != 0 {
		t.Fatalf("stale link written onto tenant b's gap %d: %+v", reused[0].ID, got)
	}
	if got, _ := s.GapLinks(ctx, keep[0].ID); len(got) != 1 {
		t.Fatalf("link to the unchanged gap: %+v", got)
	}
	// A link to a known gap that no longer holds is removed.
	if err := s.SetLinksOf(ctx, map[notice.ID][]notice.Link{1: nil}, lookupIn(known)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GapLinks(ctx, keep[0].ID); len(got) != 0 {
		t.Fatalf("link that no longer holds kept: %+v", got)
	}
	// A link whose gap the caller did not pass is not written either.
	if err := s.SetLinksOf(ctx, map[notice.ID][]notice.Link{1: links[:1]}, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GapLinks(ctx, keep[0].ID); len(got) != 0 {
		t.Fatalf("link without a known gap written: %+v", got)
	}
}

// A gap imported after the caller's snapshot keeps the link its import
// made: relinking a notice from the older snapshot removes only links to
// gaps that snapshot knew.
func TestSetLinksOfKeepsNewerGapsLinks(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seedOneNotice(t, s)
	a, _, _ := s.CreateTenant(ctx, notice.Tenant{Name: "a"})
	d := func(day int) time.Time { return time.Date(2024, 9, day, 0, 0, 0, 0, time.UTC) }
	known, _ := s.SaveGaps(ctx, a.ID, []notice.Gap{{Source: "s", Start: d(1), End: d(2)}})
	snapshot := map[notice.GapID]notice.Gap{known[0].ID: known[0]}
	if err := s.SetLinksOf(ctx, map[notice.ID][]notice.Link{1: {{Gap: known[0].ID, Notice: 1, Score: 0.5}}}, lookupIn(snapshot)); err != nil {
		t.Fatal(err)
	}
	// Imported meanwhile, and linked by its own import.
	fresh, _ := s.SaveGaps(ctx, a.ID, []notice.Gap{{Source: "s", Start: d(3), End: d(4)}})
	if err := s.SetLinksOf(ctx, map[notice.ID][]notice.Link{1: {{Gap: fresh[0].ID, Notice: 1, Score: 0.7}, {Gap: known[0].ID, Notice: 1, Score: 0.5}}},
		lookupIn(map[notice.GapID]notice.Gap{fresh[0].ID: fresh[0], known[0].ID: known[0]})); err != nil {
		t.Fatal(err)
	}
	// The older snapshot relinks the notice: its window left the known gap.
	if err := s.SetLinksOf(ctx, map[notice.ID][]notice.Link{1: nil}, lookupIn(snapshot)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.GapLinks(ctx, known[0].ID); len(got) != 0 {
		t.Fatalf("link to the known gap kept: %+v", got)
	}
	if got, _ := s.GapLinks(ctx, fresh[0].ID); len(got) != 1 {
		t.Fatalf("the newer gap's link was removed by a relink from an older snapshot: %+v", got)
	}
}

// lookupIn looks gaps up in m, as a gap index does.
func lookupIn(m map[notice.GapID]notice.Gap) func(notice.GapID) (notice.Gap, bool) {
	return func(id notice.GapID) (notice.Gap, bool) {
		g, ok := m[id]
		return g, ok
	}
}
