package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gapwatch/gapwatch/notice"
)

// ItemHashes returns the content hash of the latest version of every notice
// of a source, keyed by item id, so the crawler can skip extraction for
// unchanged items.
func (s *Store) ItemHashes(ctx context.Context, source string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT item_id, hash FROM notices WHERE source = ?`, source)
	if err != nil {
		return nil, fmt.Errorf("store: hashes of %s: %w", source, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, h string
		if err := rows.Scan(&id, &h); err != nil {
			return nil, fmt.Errorf("store: hashes of %s: %w", source, err)
		}
		out[id] = h
	}
	return out, rows.Err()
}

// SaveCrawl stores one crawl of a source in a single transaction: new and
// changed items (a changed item gets a new version, old versions kept),
// raw content, cache validators and the source's crawl state. A crash at any
// point leaves either the previous state or the new one.
func (s *Store) SaveCrawl(ctx context.Context, rec notice.CrawlRecord) (notice.CrawlCounts, error) {
	var counts notice.CrawlCounts
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		counts = notice.CrawlCounts{}
		for _, it := range rec.Items {
			ch, err := saveItem(ctx, tx, rec, it)
			if err != nil {
				return err
			}
			switch ch {
			case notice.New:
				counts.New++
			case notice.Updated:
				counts.Updated++
			default:
				counts.Unchanged++
			}
		}
		for u, v := range rec.Validators {
			_, err := tx.ExecContext(ctx, `
INSERT INTO validators (url, source, etag, last_modified) VALUES (?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET source = excluded.source, etag = excluded.etag, last_modified = excluded.last_modified`,
				u, rec.Source, v.ETag, v.LastModified)
			if err != nil {
				return fmt.Errorf("store: save validators %s: %w", u, err)
			}
		}
		return saveState(ctx, tx, rec)
	})
	return counts, err
}

func saveState(ctx context.Context, tx *sql.Tx, rec notice.CrawlRecord) error {
	var err error
	if rec.Outcome == notice.OutcomeFailed {
		_, err = tx.ExecContext(ctx, `UPDATE sources SET last_fetch = ?, next_check = ?,
 consecutive_errors = consecutive_errors + 1, last_error = ?, last_status = ? WHERE name = ?`,
			ms(rec.At), ms(rec.NextCheck), rec.Err, rec.Status, rec.Source)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE sources SET last_fetch = ?, last_success = ?, next_check = ?,
 consecutive_errors = 0, last_error = '', last_status = ? WHERE name = ?`,
			ms(rec.At), ms(rec.At), ms(rec.NextCheck), rec.Status, rec.Source)
	}
	if err != nil {
		return fmt.Errorf("store: save state of %s: %w", rec.Source, err)
	}
	return nil
}

// ContentHash fingerprints an item's parsed content (not its raw bytes, which
// may carry volatile fields), so re-crawling unchanged data changes nothing.
func ContentHash(it notice.Item) string {
	b, err := json.Marshal(it)
	if err != nil {
		// Item holds only strings, times and slices of them: Marshal cannot
		// fail on it, but an empty hash would still be safe (always "changed").
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func saveItem(ctx context.Context, tx *sql.Tx, rec notice.CrawlRecord, it notice.StoredItem) (notice.Change, error) {
	if it.Hash == "" {
		it.Hash = ContentHash(it.Item)
	}
	var (
		id      notice.ID
		version int
		hash    string
	)
	err := tx.QueryRowContext(ctx, `SELECT id, version, hash FROM notices WHERE source = ? AND item_id = ?`,
		rec.Source, it.Item.ItemID).Scan(&id, &version, &hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		version = 0
	case err != nil:
		return 0, fmt.Errorf("store: look up %s/%s: %w", rec.Source, it.Item.ItemID, err)
	case hash == it.Hash:
		_, err := tx.ExecContext(ctx, `UPDATE notices SET last_seen = ? WHERE id = ?`, ms(rec.At), id)
		if err != nil {
			return 0, fmt.Errorf("store: touch %s/%s: %w", rec.Source, it.Item.ItemID, err)
		}
		return notice.Unchanged, nil
	}
	itemJSON, err := json.Marshal(it.Item)
	if err != nil {
		return 0, fmt.Errorf("store: encode item %s: %w", it.Item.ItemID, err)
	}
	exJSON, err := json.Marshal(it.Extraction)
	if err != nil {
		return 0, fmt.Errorf("store: encode extraction %s: %w", it.Item.ItemID, err)
	}
	if version == 0 {
		res, err := tx.ExecContext(ctx, `INSERT INTO notices
 (source, item_id, version, hash, first_seen, last_seen, published, vendor, title, category, item, extraction)
 VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			rec.Source, it.Item.ItemID, it.Hash, ms(rec.At), ms(rec.At), ms(it.Item.Published),
			it.Extraction.Vendor, it.Item.Title, string(it.Extraction.Category), itemJSON, exJSON)
		if err != nil {
			return 0, fmt.Errorf("store: insert %s/%s: %w", rec.Source, it.Item.ItemID, err)
		}
		n, err := res.LastInsertId()
		if err != nil {
			return 0, fmt.Errorf("store: insert %s/%s: %w", rec.Source, it.Item.ItemID, err)
		}
		id = notice.ID(n)
	} else {
		_, err := tx.ExecContext(ctx, `UPDATE notices SET version = ?, hash = ?, last_seen = ?, published = ?,
 vendor = ?, title = ?, category = ?, item = ?, extraction = ? WHERE id = ?`,
			version+1, it.Hash, ms(rec.At), ms(it.Item.Published), it.Extraction.Vendor, it.Item.Title,
			string(it.Extraction.Category), itemJSON, exJSON, id)
		if err != nil {
			return 0, fmt.Errorf("store: update %s/%s: %w", rec.Source, it.Item.ItemID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO notice_versions (notice_id, version, hash, seen, item, extraction)
 VALUES (?, ?, ?, ?, ?, ?)`, id, version+1, it.Hash, ms(rec.At), itemJSON, exJSON); err != nil {
		return 0, fmt.Errorf("store: version %s/%s: %w", rec.Source, it.Item.ItemID, err)
	}
	if len(it.Item.Raw) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO raw_items (source, item_id, hash, raw, fetched_at)
 VALUES (?, ?, ?, ?, ?)`, rec.Source, it.Item.ItemID, it.Hash, it.Item.Raw, ms(rec.At)); err != nil {
			return 0, fmt.Errorf("store: raw %s/%s: %w", rec.Source, it.Item.ItemID, err)
		}
	}
	if version == 0 {
		return notice.New, nil
	}
	return notice.Updated, nil
}
