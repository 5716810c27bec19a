package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/gapwatch/gapwatch/notice"
)

// pragma reads one integer or text pragma from the store's database.
func pragma(t *testing.T, s *Store, name string) string {
	t.Helper()
	var v string
	if err := s.db.QueryRowContext(context.Background(), "PRAGMA "+name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestNewStoreLayout(t *testing.T) {
	s := openTest(t)
	if got := pragma(t, s, "page_size"); got != "8192" {
		t.Errorf("page_size %s, want 8192", got)
	}
	if got := pragma(t, s, "journal_mode"); got != "wal" {
		t.Errorf("journal_mode %s, want wal", got)
	}
}

// A store created with SQLite's default page size keeps it and still
// opens: page_size cannot change once a database is in WAL mode.
func TestOldPageSizeStoreOpens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE keep (v TEXT); INSERT INTO keep VALUES ('kept')"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := pragma(t, s, "page_size"); got != "4096" {
		t.Errorf("page_size %s, want the file's 4096", got)
	}
	var v string
	if err := s.db.QueryRowContext(ctx, "SELECT v FROM keep").Scan(&v); err != nil || v != "kept" {
		t.Fatalf("old row: %q, %v", v, err)
	}
	if err := s.UpsertSources(ctx, []notice.Source{testSource()}); err != nil {
		t.Fatalf("write after opening an old store: %v", err)
	}
}
