package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

const noticeCols = `id, version, first_seen, last_seen, item, extraction`

func scanNotice(r scanner) (notice.Notice, error) {
	var (
		n                notice.Notice
		first, last      int64
		itemJSON, exJSON []byte
	)
	if err := r.Scan(&n.ID, &n.Version, &first, &last, &itemJSON, &exJSON); err != nil {
		return n, err
	}
	n.FirstSeen, n.LastSeen = fromMS(first), fromMS(last)
	if err := json.Unmarshal(itemJSON, &n.Item); err != nil {
		return n, fmt.Errorf("store: decode notice %d: %w", n.ID, err)
	}
	if err := json.Unmarshal(exJSON, &n.Extraction); err != nil {
		return n, fmt.Errorf("store: decode notice %d: %w", n.ID, err)
	}
	return n, nil
}

// Notice returns the latest version of a notice, or notice.ErrNotFound.
func (s *Store) Notice(ctx context.Context, id notice.ID) (notice.Notice, error) {
	n, err := scanNotice(s.db.QueryRowContext(ctx, `SELECT `+noticeCols+` FROM notices WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return n, fmt.Errorf("store: notice %d: %w", id, notice.ErrNotFound)
	}
	if err != nil {
		return n, fmt.Errorf("store: notice %d: %w", id, err)
	}
	return n, nil
}

// Notices loads notices by id, in the order given; ids that do not exist are
// skipped (the index may briefly lag the store).
func (s *Store) Notices(ctx context.Context, ids []notice.ID) ([]notice.Notice, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	q := `SELECT ` + noticeCols + ` FROM notices WHERE id IN (?` + strings.Repeat(",?", len(ids)-1) + `)`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: load notices: %w", err)
	}
	defer rows.Close()
	byID := make(map[notice.ID]notice.Notice, len(ids))
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, fmt.Errorf("store: load notices: %w", err)
		}
		byID[n.ID] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: load notices: %w", err)
	}
	out := make([]notice.Notice, 0, len(ids))
	for _, id := range ids {
		if n, ok := byID[id]; ok {
			out = append(out, n)
		}
	}
	return out, nil
}

// RecentNotices returns notices newest first (by publication, then id) with
// the total count, for listings without a search index.
func (s *Store) RecentNotices(ctx context.Context, limit, offset int) ([]notice.Notice, int, error) {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM notices`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count notices: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+noticeCols+` FROM notices
 ORDER BY published DESC, id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list notices: %w", err)
	}
	defer rows.Close()
	var out []notice.Notice
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list notices: %w", err)
		}
		out = append(out, n)
	}
	return out, total, rows.Err()
}

// EachNotice calls fn for every notice in id order, for reindexing and
// re-extraction. It stops at the first error fn returns.
func (s *Store) EachNotice(ctx context.Context, fn func(notice.Notice) error) error {
	var after notice.ID
	for {
		rows, err := s.db.QueryContext(ctx, `SELECT `+noticeCols+` FROM notices WHERE id > ? ORDER BY id LIMIT 500`, after)
		if err != nil {
			return fmt.Errorf("store: scan notices: %w", err)
		}
		var batch []notice.Notice
		for rows.Next() {
			n, err := scanNotice(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("store: scan notices: %w", err)
			}
			batch = append(batch, n)
		}
		rows.Close()
		if len(batch) == 0 {
			return nil
		}
		for _, n := range batch {
			if err := fn(n); err != nil {
				return err
			}
		}
		after = batch[len(batch)-1].ID
	}
}

// Versions returns every version of a notice, oldest first.
func (s *Store) Versions(ctx context.Context, id notice.ID) ([]notice.Version, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT version, hash, seen, item, extraction FROM notice_versions
 WHERE notice_id = ? ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("store: versions of %d: %w", id, err)
	}
	defer rows.Close()
	var out []notice.Version
	for rows.Next() {
		v := notice.Version{NoticeID: id}
		var seen int64
		var itemJSON, exJSON []byte
		if err := rows.Scan(&v.Version, &v.Hash, &seen, &itemJSON, &exJSON); err != nil {
			return nil, fmt.Errorf("store: versions of %d: %w", id, err)
		}
		v.Seen = fromMS(seen)
		if err := json.Unmarshal(itemJSON, &v.Item); err != nil {
			return nil, fmt.Errorf("store: versions of %d: %w", id, err)
		}
		if err := json.Unmarshal(exJSON, &v.Extraction); err != nil {
			return nil, fmt.Errorf("store: versions of %d: %w", id, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: versions of %d: %w", id, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("store: versions of %d: %w", id, notice.ErrNotFound)
	}
	return out, nil
}

// SetExtraction replaces the extraction of version of a notice, for
// `gapwatch reextract` after the extractor improves; at is when. The item
// itself and older versions are untouched, and the replaced extraction is
// kept with at, so that digests can say what the new reading revised.
// When version is no longer the notice's latest (a crawl revised it since
// it was read), nothing changes and the error wraps notice.ErrConflict:
// the reading is of an outdated text.
func (s *Store) SetExtraction(ctx context.Context, id notice.ID, version int, ex notice.Extraction, at time.Time) error {
	b, err := json.Marshal(ex)
	if err != nil {
		return fmt.Errorf("store: encode extraction %d: %w", id, err)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var latest int
		var previous []byte
		err := tx.QueryRowContext(ctx, `SELECT version, extraction FROM notices WHERE id = ?`, id).Scan(&latest, &previous)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: set extraction %d: %w", id, notice.ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("store: set extraction %d: %w", id, err)
		}
		if latest != version {
			return fmt.Errorf("store: set extraction %d: read from version %d, now at %d: %w", id, version, latest, notice.ErrConflict)
		}
		if bytes.Equal(previous, b) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notices SET extraction = ?, vendor = ?, category = ? WHERE id = ?`,
			b, ex.Vendor, string(ex.Category), id); err != nil {
			return fmt.Errorf("store: set extraction %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notice_versions SET extraction = ? WHERE notice_id = ? AND version = ?`,
			b, id, version); err != nil {
			return fmt.Errorf("store: set extraction %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reextractions (notice_id, version, at, previous) VALUES (?, ?, ?, ?)`,
			id, version, ms(at), previous); err != nil {
			return fmt.Errorf("store: keep extraction %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO changes (notice_id) VALUES (?)`, id); err != nil {
			return fmt.Errorf("store: log change %d: %w", id, err)
		}
		return nil
	})
}

// Changes returns the notices changed after sequence number after (new
// notices, new versions, new extractions), each once, and the sequence
// number to pass next time. Derived views follow this log so they catch up
// with writes made by any process.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]notice.ID, int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, notice_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, after, fmt.Errorf("store: changes: %w", err)
	}
	defer rows.Close()
	seen := map[notice.ID]bool{}
	var ids []notice.ID
	last := after
	for rows.Next() {
		var id notice.ID
		if err := rows.Scan(&last, &id); err != nil {
			return nil, after, fmt.Errorf("store: changes: %w", err)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, after, fmt.Errorf("store: changes: %w", err)
	}
	return ids, last, nil
}

// LastChange returns the newest change sequence number (0 when none).
func (s *Store) LastChange(ctx context.Context) (int64, error) {
	var seq sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(seq) FROM changes`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: last change: %w", err)
	}
	return seq.Int64, nil
}
