package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite-backed store. It is safe for concurrent use.
type Store struct {
	db *sql.DB

	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// Open opens (creating if needed) the database at path and runs pending
// migrations. WAL mode lets readers (API, CLI) proceed while the crawler
// writes; busy_timeout makes concurrent writers wait instead of failing.
//
// goose has no migration lock for SQLite, so two processes opening a new
// or outdated database at once could both apply a migration and one would
// fail. Open therefore holds an exclusive lock on PATH.lock (a file lock,
// released at once, also when the process dies) while it creates and
// migrates the database.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("store: create data dir: %w", err)
	}
	lock := flock.New(path + ".lock")
	locked, err := lock.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil || !locked {
		return nil, fmt.Errorf("store: lock %s.lock: %w", path, errors.Join(err, ctx.Err()))
	}
	defer lock.Unlock()
	return openLocked(ctx, path)
}

// openLocked opens and migrates the database; the caller holds its lock.
func openLocked(ctx context.Context, path string) (*Store, error) {
	// Every transaction here writes: IMMEDIATE takes the write lock at
	// BEGIN, so concurrent writers wait (busy_timeout) instead of failing
	// with SQLITE_BUSY_SNAPSHOT when a read is upgraded to a write.
	//
	// page_size applies only when the file is created, and only before WAL
	// mode is set: the driver runs _journal_mode after the _pragma list.
	// Notice rows of 2-3 KB fill a 4 KiB page each, wasting about a third
	// of the file, but pack three to an 8 KiB page.
	q := url.Values{"_txlock": {"immediate"}, "_journal_mode": {"WAL"}}
	for _, p := range []string{"page_size(8192)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// Keep connections open: each new SQLite connection re-reads the schema
	// and re-runs the pragmas, which costs more than most queries.
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: db, stmts: map[string]*sql.Stmt{}}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, s.db, sub)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.mu.Unlock()
	return s.db.Close()
}

// stmt returns a prepared statement for a hot query, preparing it once:
// SQLite's parse-and-plan costs more than the small queries the crawler
// runs per source. database/sql re-prepares it per connection as needed.
func (s *Store) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: prepare: %w", err)
	}
	s.stmts[query] = st
	return st, nil
}

// txStmt is stmt bound to a transaction.
func (s *Store) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	st, err := s.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, st), nil
}

// Ping reports whether the database answers, for readiness checks.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// inTx runs fn in a transaction, committing only if fn succeeds.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// ms converts a time to the stored representation (Unix milliseconds, 0 for
// the zero time) so that columns sort and compare as integers.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS is the inverse of ms, in UTC.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
