package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// SyncSources makes the stored source list match the configured one:
// configured sources are inserted or updated (their crawl state kept), and
// stored sources missing from the configuration are disabled, not deleted,
// so their notices keep a valid source.
func (s *Store) SyncSources(ctx context.Context, sources []notice.Source) error {
	return s.upsertSources(ctx, sources, true)
}

// UpsertSources inserts or updates the given sources and leaves the others
// alone, for a one-off crawl that must not change what a running server
// crawls.
func (s *Store) UpsertSources(ctx context.Context, sources []notice.Source) error {
	return s.upsertSources(ctx, sources, false)
}

func (s *Store) upsertSources(ctx context.Context, sources []notice.Source, disableOthers bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if disableOthers {
			if _, err := tx.ExecContext(ctx, `UPDATE sources SET enabled = 0`); err != nil {
				return fmt.Errorf("store: sync sources: %w", err)
			}
		}
		for _, src := range sources {
			_, err := tx.ExecContext(ctx, `
INSERT INTO sources (name, kind, url, vendor, language, timezone, interval_ms, enabled, fetch_article)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, url = excluded.url, vendor = excluded.vendor,
  language = excluded.language, timezone = excluded.timezone, interval_ms = excluded.interval_ms,
  enabled = excluded.enabled, fetch_article = excluded.fetch_article`,
				src.Name, string(src.Kind), src.URL, src.Vendor, src.Language, src.Timezone,
				src.Interval.Milliseconds(), boolInt(src.Enabled), boolInt(src.FetchArticle))
			if err != nil {
				return fmt.Errorf("store: sync source %s: %w", src.Name, err)
			}
		}
		return nil
	})
}

const sourceCols = `name, kind, url, vendor, language, timezone, interval_ms, enabled, fetch_article,
 last_fetch, last_success, next_check, consecutive_errors, last_error, last_status,
 (SELECT count(*) FROM notices n WHERE n.source = sources.name)`

// Sources returns every stored source with its crawl state, by name.
func (s *Store) Sources(ctx context.Context) ([]notice.SourceState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+sourceCols+` FROM sources ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: list sources: %w", err)
	}
	defer rows.Close()
	var out []notice.SourceState
	for rows.Next() {
		st, err := scanSource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list sources: %w", err)
	}
	return out, nil
}

// Source returns one source by name, or notice.ErrNotFound.
func (s *Store) Source(ctx context.Context, name string) (notice.SourceState, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE name = ?`, name)
	st, err := scanSource(row)
	if errors.Is(err, sql.ErrNoRows) {
		return notice.SourceState{}, fmt.Errorf("store: source %q: %w", name, notice.ErrNotFound)
	}
	return st, err
}

type scanner interface{ Scan(dest ...any) error }

func scanSource(r scanner) (notice.SourceState, error) {
	var (
		st                                notice.SourceState
		kind                              string
		interval, lastFetch, lastOK, next int64
		enabled, article                  int
	)
	err := r.Scan(&st.Source.Name, &kind, &st.Source.URL, &st.Source.Vendor, &st.Source.Language,
		&st.Source.Timezone, &interval, &enabled, &article, &lastFetch, &lastOK, &next,
		&st.State.ConsecutiveErrors, &st.State.LastError, &st.State.LastStatus, &st.State.Items)
	if err != nil {
		return st, fmt.Errorf("store: scan source: %w", err)
	}
	st.Source.Kind = notice.SourceKind(kind)
	st.Source.Interval = time.Duration(interval) * time.Millisecond
	st.Source.Enabled = enabled == 1
	st.Source.FetchArticle = article == 1
	st.State.Source = st.Source.Name
	st.State.LastFetch, st.State.LastSuccess, st.State.NextCheck = fromMS(lastFetch), fromMS(lastOK), fromMS(next)
	return st, nil
}

// Validators returns the stored cache validators of a source's URLs.
func (s *Store) Validators(ctx context.Context, source string) (map[string]notice.Validators, error) {
	st, err := s.stmt(ctx, `SELECT url, etag, last_modified, body_hash FROM validators WHERE source = ?`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, source)
	if err != nil {
		return nil, fmt.Errorf("store: validators of %s: %w", source, err)
	}
	defer rows.Close()
	out := map[string]notice.Validators{}
	for rows.Next() {
		var u string
		var v notice.Validators
		if err := rows.Scan(&u, &v.ETag, &v.LastModified, &v.BodyHash); err != nil {
			return nil, fmt.Errorf("store: validators of %s: %w", source, err)
		}
		out[u] = v
	}
	return out, rows.Err()
}

// Article returns the cached article for a URL, or notice.ErrNotFound.
func (s *Store) Article(ctx context.Context, u string) (notice.Article, error) {
	a := notice.Article{URL: u}
	var at int64
	err := s.db.QueryRowContext(ctx, `SELECT etag, last_modified, text, fetched_at FROM articles WHERE url = ?`, u).
		Scan(&a.Validators.ETag, &a.Validators.LastModified, &a.Text, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("store: article %s: %w", u, notice.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("store: article %s: %w", u, err)
	}
	a.FetchedAt = fromMS(at)
	return a, nil
}

// SaveArticle caches an article's extracted text and validators.
func (s *Store) SaveArticle(ctx context.Context, a notice.Article) error {
	_, err := s.db.ExecContext(ctx, `
INSERT INTO articles (url, etag, last_modified, text, fetched_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
  text = excluded.text, fetched_at = excluded.fetched_at`,
		a.URL, a.Validators.ETag, a.Validators.LastModified, a.Text, ms(a.FetchedAt))
	if err != nil {
		return fmt.Errorf("store: save article %s: %w", a.URL, err)
	}
	return nil
}
