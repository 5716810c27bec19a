package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/gapwatch/gapwatch/notice"
)

func reopen(t *testing.T, ix *Index, dir string) *Index {
	t.Helper()
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix
}

func docCount(t *testing.T, ix *Index) uint64 {
	t.Helper()
	n, err := ix.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOpenKeepsACompleteIndex(t *testing.T) {
	ix, dir := openFixtureIndex(t)
	ix = reopen(t, ix, dir)
	if ix.NeedsRebuild() {
		t.Fatal("a complete index of the current mapping version needs no rebuild")
	}
	if n := docCount(t, ix); n != uint64(len(fixtureNotices())) {
		t.Fatalf("DocCount = %d, want %d", n, len(fixtureNotices()))
	}
}

func TestOpenRecreates(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, ix *Index, dir string)
	}{
		{"mapping version changed", func(t *testing.T, ix *Index, dir string) {
			if err := ix.bi.SetInternal([]byte(versionKey), []byte("gapwatch-index-0")); err != nil {
				t.Fatal(err)
			}
			_ = ix.Close()
		}},
		{"mapping version missing", func(t *testing.T, ix *Index, dir string) {
			if err := ix.bi.DeleteInternal([]byte(versionKey)); err != nil {
				t.Fatal(err)
			}
			_ = ix.Close()
		}},
		{"folder deleted", func(t *testing.T, ix *Index, dir string) {
			_ = ix.Close()
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
		}},
		{"corrupt", func(t *testing.T, ix *Index, dir string) {
			_ = ix.Close()
			if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{not json"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, dir := openFixtureIndex(t)
			tt.spoil(t, ix, dir)
			ix, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if !ix.NeedsRebuild() {
				t.Fatal("NeedsRebuild = false")
			}
			if n := docCount(t, ix); n != 0 {
				t.Fatalf("recreated index holds %d documents", n)
			}
		})
	}
}

func TestOpenRefusesToDeleteOtherFiles(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the file to keep
	}{
		{"a file", func(t *testing.T, dir string) string {
			return dir
		}},
		{"a folder of other files", func(t *testing.T, dir string) string {
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, "notes.txt")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			keep := tt.setup(t, dir)
			if err := os.WriteFile(keep, []byte("precious"), 0o644); err != nil {
				t.Fatal(err)
			}
			if ix, err := Open(dir); err == nil {
				_ = ix.Close()
				t.Fatal("Open succeeded over unrelated files")
			}
			if b, err := os.ReadFile(keep); err != nil || string(b) != "precious" {
				t.Fatalf("unrelated file damaged: %q, %v", b, err)
			}
		})
	}
}

func TestInterruptedRebuildIsRedone(t *testing.T) {
	ix, dir := openFixtureIndex(t)
	boom := errors.New("store gone")
	ns := fixtureNotices()
	err := ix.Rebuild(context.Background(), func(fn func(notice.Notice) error) error {
		if err := fn(ns[0]); err != nil {
			return err
		}
		return boom
	}, nil)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	if !ix.NeedsRebuild() {
		t.Fatal("NeedsRebuild = false after a failed rebuild")
	}
	ix = reopen(t, ix, dir)
	if !ix.NeedsRebuild() {
		t.Fatal("reopened partial index does not need a rebuild")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Rebuild(ctx, eachOf(ns), nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled rebuild: err = %v", err)
	}
}

// snapshot runs a fixed set of searches, for comparing two indexes.
func snapshot(t *testing.T, ix *Index) []notice.SearchResult {
	t.Helper()
	qs := []notice.Query{
		{Facets: true},
		{Text: "journaux de sécurité", Facets: true},
		{Text: "security logs", Vendors: []string{"Microsoft", "OVHcloud"}},
		{Sort: notice.SortWindowStart, Page: 2, Size: 3},
		{From: at("2024-03-04T10:00:00Z"), To: at("2024-03-04T11:00:00Z"), Facets: true},
	}
	out := make([]notice.SearchResult, len(qs))
	for i, q := range qs {
		r, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = r
	}
	return out
}

func TestDeleteFolderReopenRebuild(t *testing.T) {
	ix, dir := openFixtureIndex(t)
	before := snapshot(t, ix)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !ix.NeedsRebuild() {
		t.Fatal("NeedsRebuild = false after the folder was deleted")
	}
	if err := ix.Rebuild(context.Background(), eachOf(fixtureNotices()), nil); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, ix); !reflect.DeepEqual(before, after) {
		t.Fatalf("results differ after rebuild:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestUpsertAndDelete(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	n := fixtureNotices()[0]
	n.Version = 2
	n.Item.Title = "Conditional Access evaluation errors"
	n.Item.Text = "Policies were evaluated late."
	n.Extraction.Windows = []notice.Window{win("2025-01-01T00:00:00Z", "2025-01-01T01:00:00Z", notice.PrecisionMinute)}
	n.Extraction.Category = notice.CategoryDegradation
	if err := ix.Index([]notice.Notice{n}); err != nil {
		t.Fatal(err)
	}
	if got := docCount(t, ix); got != uint64(len(fixtureNotices())) {
		t.Fatalf("DocCount after upsert = %d", got)
	}
	tests := []struct {
		name string
		q    notice.Query
		want []notice.ID
	}{
		{"old text gone", notice.Query{Text: "sign-in"}, nil},
		{"new text found", notice.Query{Text: "+conditional +access"}, []notice.ID{1}},
		{"old window gone", notice.Query{From: at("2024-03-03T11:00:00Z"), To: at("2024-03-03T11:10:00Z")}, nil},
		{"new window found", notice.Query{From: at("2025-01-01T00:30:00Z"), To: at("2025-01-01T00:30:00Z")}, []notice.ID{1}},
		{"new category", notice.Query{Categories: []notice.Category{notice.CategoryDegradation}}, []notice.ID{1, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sorted(ids(mustSearch(t, ix, tt.q))); !slices.Equal(got, sorted(tt.want)) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	if err := ix.Delete(1, 5, 999); err != nil {
		t.Fatal(err)
	}
	if got := docCount(t, ix); got != uint64(len(fixtureNotices())-2) {
		t.Fatalf("DocCount after delete = %d", got)
	}
	if got := ids(mustSearch(t, ix, notice.Query{Text: "conditional"})); len(got) != 0 {
		t.Fatalf("deleted notice still found: %v", got)
	}
}

func TestLanguageOf(t *testing.T) {
	tests := []struct {
		extracted, item, want string
	}{
		{"en", "", "notice_en"},
		{"fr", "en", "notice_fr"},
		{"", "fr-CA", "notice_fr"},
		{"", "FR_fr", "notice_fr"},
		{"de", "", "notice_other"},
		{"", "", "notice_other"},
	}
	for _, tt := range tests {
		t.Run(tt.extracted+"/"+tt.item, func(t *testing.T) {
			n := notice.Notice{Item: notice.Item{Language: tt.item}, Extraction: notice.Extraction{Language: tt.extracted}}
			if got := languageOf(n).typ; got != tt.want {
				t.Fatalf("languageOf = %s, want %s", got, tt.want)
			}
		})
	}
}

// memLog is a ChangeLog over a fixed set of notices, every one changed.
type memLog struct{ ns []notice.Notice }

func (m memLog) Changes(_ context.Context, after int64, limit int) ([]notice.ID, int64, error) {
	var ids []notice.ID
	next := after
	for i := int(after); i < len(m.ns) && len(ids) < limit; i++ {
		ids, next = append(ids, m.ns[i].ID), int64(i+1)
	}
	return ids, next, nil
}

func (m memLog) LastChange(context.Context) (int64, error) { return int64(len(m.ns)), nil }

func (m memLog) Notices(_ context.Context, ids []notice.ID) ([]notice.Notice, error) {
	var out []notice.Notice
	for _, n := range m.ns {
		if slices.Contains(ids, n.ID) {
			out = append(out, n)
		}
	}
	return out, nil
}

func (m memLog) EachNotice(_ context.Context, fn func(notice.Notice) error) error {
	for _, n := range m.ns {
		if err := fn(n); err != nil {
			return err
		}
	}
	return nil
}

// TestRebuildTellsTheHooks: a rebuild (the index folder was lost, perhaps
// before changes were applied) shows every notice to the change hooks, so
// gap linking catches up; a later Sync has nothing left to apply.
func TestRebuildTellsTheHooks(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ns := fixtureNotices()
	f := NewFollower(ix, NewWindows(), memLog{ns}, nil, nil)
	var seen []notice.ID
	f.OnChange(func(_ context.Context, batch []notice.Notice) error {
		for _, n := range batch {
			seen = append(seen, n.ID)
		}
		return nil
	})
	if err := f.Start(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	want := make([]notice.ID, len(ns))
	for i, n := range ns {
		want[i] = n.ID
	}
	if !slices.Equal(seen, want) {
		t.Fatalf("hooks saw %v, want every notice once: %v", seen, want)
	}
	if n, err := f.Sync(context.Background()); err != nil || n != 0 {
		t.Fatalf("Sync after rebuild applied %d (%v), want 0", n, err)
	}
}
