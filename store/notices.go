package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gapwatch/gapwatch/notice"
)

// ItemHashes returns the content hash of the latest version of every notice
// of a source, keyed by item id, so the crawler can skip extraction for
// unchanged items.
func (s *Store) ItemHashes(ctx context.Context, source string) (map[string]string, error) {
	st, err := s.stmt(ctx, `SELECT item_id, hash FROM notices WHERE source = ?`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, source)
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
	counts, errs, err := s.SaveCrawls(ctx, []notice.CrawlRecord{rec})
	if err != nil {
		return notice.CrawlCounts{}, err
	}
	return counts[0], errs[0]
}

// SaveCrawls stores several sources' crawls in one transaction (group
// commit: one commit is most of the cost of a small crawl), each inside its
// own savepoint so that a record that fails is rolled back alone and every
// source stays all-or-nothing. errs[i] is record i's error; err is an error
// of the whole transaction, in which case nothing was stored.
func (s *Store) SaveCrawls(ctx context.Context, recs []notice.CrawlRecord) (counts []notice.CrawlCounts, errs []error, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		counts, errs = make([]notice.CrawlCounts, len(recs)), make([]error, len(recs))
		for i, rec := range recs {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT crawl`); err != nil {
				return fmt.Errorf("store: savepoint: %w", err)
			}
			counts[i], errs[i] = s.saveOne(ctx, tx, rec)
			end := `RELEASE crawl`
			if errs[i] != nil {
				end = `ROLLBACK TO crawl; RELEASE crawl`
				counts[i] = notice.CrawlCounts{}
			}
			if _, err := tx.ExecContext(ctx, end); err != nil {
				return fmt.Errorf("store: savepoint: %w", err)
			}
		}
		return nil
	})
	return counts, errs, err
}

func (s *Store) saveOne(ctx context.Context, tx *sql.Tx, rec notice.CrawlRecord) (notice.CrawlCounts, error) {
	counts, err := s.saveItems(ctx, tx, rec)
	if err != nil {
		return counts, err
	}
	for u, v := range rec.Validators {
		st, err := s.txStmt(ctx, tx, `
INSERT INTO validators (url, source, etag, last_modified, body_hash) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET source = excluded.source, etag = excluded.etag,
  last_modified = excluded.last_modified, body_hash = excluded.body_hash`)
		if err != nil {
			return counts, err
		}
		if _, err := st.ExecContext(ctx, u, rec.Source, v.ETag, v.LastModified, v.BodyHash); err != nil {
			return counts, fmt.Errorf("store: save validators %s: %w", u, err)
		}
	}
	return counts, s.saveState(ctx, tx, rec)
}

// known is a stored notice's identity and latest content hash.
type known struct {
	id      notice.ID
	version int
	hash    string
}

// saveItems writes a crawl's items with statements prepared once per
// crawl; unchanged items only get their last_seen touched, in bulk.
func (s *Store) saveItems(ctx context.Context, tx *sql.Tx, rec notice.CrawlRecord) (notice.CrawlCounts, error) {
	var counts notice.CrawlCounts
	if len(rec.Items) == 0 {
		return counts, nil
	}
	existing, err := s.loadKnown(ctx, tx, rec.Source, rec.Items)
	if err != nil {
		return counts, err
	}
	w, err := s.prepareWriter(ctx, tx)
	if err != nil {
		return counts, err
	}
	defer w.close()
	var unchanged []any
	for _, it := range rec.Items {
		if it.Hash == "" {
			it.Hash = it.Item.Hash()
		}
		k, ok := existing[it.Item.ItemID]
		switch {
		case ok && k.hash == it.Hash:
			counts.Unchanged++
			unchanged = append(unchanged, k.id)
			continue
		case !it.Extracted:
			return counts, fmt.Errorf("store: %s/%s changed while it was crawled; crawl again: %w",
				rec.Source, it.Item.ItemID, notice.ErrConflict)
		case ok:
			counts.Updated++
		default:
			counts.New++
		}
		nk, err := w.write(ctx, rec, it, k)
		if err != nil {
			return counts, err
		}
		existing[it.Item.ItemID] = nk
	}
	return counts, touch(ctx, tx, rec, unchanged)
}

func (s *Store) loadKnown(ctx context.Context, tx *sql.Tx, source string, items []notice.StoredItem) (map[string]known, error) {
	// Only the record's own items are looked up, on the (source, item_id)
	// unique index: reading every notice of the source would make each
	// save cost as much as the source's whole history.
	out := make(map[string]known, len(items))
	ids := make([]any, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.Item.ItemID)
	}
	for len(ids) > 0 {
		n := min(len(ids), knownChunk)
		args := append([]any{source}, ids[:n]...)
		for len(args) < knownChunk+1 {
			args = append(args, ids[n-1]) // pad: every lookup shares one statement
		}
		if err := s.scanKnown(ctx, tx, knownQuery, args, out); err != nil {
			return nil, fmt.Errorf("store: load %s: %w", source, err)
		}
		ids = ids[n:]
	}
	return out, nil
}

// knownChunk is how many item IDs one lookup query names; a shorter last
// chunk repeats its last ID, so that one prepared statement serves all.
const knownChunk = 200

var knownQuery = `SELECT item_id, id, version, hash FROM notices WHERE source = ? AND item_id IN (?` + strings.Repeat(",?", knownChunk-1) + `)`

// scanKnown runs one lookup of loadKnown and adds its rows to out.
func (s *Store) scanKnown(ctx context.Context, tx *sql.Tx, q string, args []any, out map[string]known) error {
	st, err := s.txStmt(ctx, tx, q)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var k known
		if err := rows.Scan(&id, &k.id, &k.version, &k.hash); err != nil {
			return err
		}
		out[id] = k
	}
	return rows.Err()
}

// touch records that unchanged notices were seen again.
func touch(ctx context.Context, tx *sql.Tx, rec notice.CrawlRecord, ids []any) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := append([]any{ms(rec.At)}, ids[:n]...)
		q := `UPDATE notices SET last_seen = ? WHERE id IN (?` + strings.Repeat(",?", n-1) + `)`
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("store: touch %s: %w", rec.Source, err)
		}
		ids = ids[n:]
	}
	return nil
}

func (s *Store) saveState(ctx context.Context, tx *sql.Tx, rec notice.CrawlRecord) error {
	// A failure keeps last_success; a success clears the error streak.
	st, err := s.txStmt(ctx, tx, `UPDATE sources SET last_fetch = ?1, next_check = ?2, last_status = ?3,
 last_success = CASE WHEN ?4 THEN last_success ELSE ?1 END,
 consecutive_errors = CASE WHEN ?4 THEN consecutive_errors + 1 ELSE 0 END,
 last_error = ?5 WHERE name = ?6`)
	if err != nil {
		return err
	}
	failed := rec.Outcome == notice.OutcomeFailed
	_, err = st.ExecContext(ctx, ms(rec.At), ms(rec.NextCheck), rec.Status, failed, rec.Err, rec.Source)
	if err != nil {
		return fmt.Errorf("store: save state of %s: %w", rec.Source, err)
	}
	return nil
}

// writer holds the statements that write new notice versions.
type writer struct {
	insert, update, version, raw, change *sql.Stmt
}

func (s *Store) prepareWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{}
	for _, p := range []struct {
		dst **sql.Stmt
		q   string
	}{
		{&w.insert, `INSERT INTO notices
 (source, item_id, version, hash, first_seen, last_seen, published, vendor, title, category, item, extraction)
 VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&w.update, `UPDATE notices SET version = ?, hash = ?, last_seen = ?, published = ?,
 vendor = ?, title = ?, category = ?, item = ?, extraction = ? WHERE id = ?`},
		{&w.version, `INSERT INTO notice_versions (notice_id, version, hash, seen, item, extraction)
 VALUES (?, ?, ?, ?, ?, ?)`},
		{&w.raw, `INSERT OR IGNORE INTO raw_items (source, item_id, hash, raw, fetched_at) VALUES (?, ?, ?, ?, ?)`},
		{&w.change, `INSERT INTO changes (notice_id) VALUES (?)`},
	} {
		st, err := s.txStmt(ctx, tx, p.q)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.dst = st
	}
	return w, nil
}

func (w *writer) close() {
	for _, st := range []*sql.Stmt{w.insert, w.update, w.version, w.raw, w.change} {
		if st != nil {
			st.Close()
		}
	}
}

// write stores a new notice (k zero) or a new version of k.
func (w *writer) write(ctx context.Context, rec notice.CrawlRecord, it notice.StoredItem, k known) (known, error) {
	itemJSON, err := json.Marshal(it.Item)
	if err != nil {
		return k, fmt.Errorf("store: encode item %s: %w", it.Item.ItemID, err)
	}
	exJSON, err := json.Marshal(it.Extraction)
	if err != nil {
		return k, fmt.Errorf("store: encode extraction %s: %w", it.Item.ItemID, err)
	}
	ex := it.Extraction
	if k.version == 0 {
		res, err := w.insert.ExecContext(ctx, rec.Source, it.Item.ItemID, it.Hash, ms(rec.At), ms(rec.At),
			ms(it.Item.Published), ex.Vendor, it.Item.Title, string(ex.Category), itemJSON, exJSON)
		if err != nil {
			return k, fmt.Errorf("store: insert %s/%s: %w", rec.Source, it.Item.ItemID, err)
		}
		n, err := res.LastInsertId()
		if err != nil {
			return k, fmt.Errorf("store: insert %s/%s: %w", rec.Source, it.Item.ItemID, err)
		}
		k.id = notice.ID(n)
	} else if _, err := w.update.ExecContext(ctx, k.version+1, it.Hash, ms(rec.At), ms(it.Item.Published),
		ex.Vendor, it.Item.Title, string(ex.Category), itemJSON, exJSON, k.id); err != nil {
		return k, fmt.Errorf("store: update %s/%s: %w", rec.Source, it.Item.ItemID, err)
	}
	k.version++
	k.hash = it.Hash
	if _, err := w.version.ExecContext(ctx, k.id, k.version, it.Hash, ms(rec.At), itemJSON, exJSON); err != nil {
		return k, fmt.Errorf("store: version %s/%s: %w", rec.Source, it.Item.ItemID, err)
	}
	if _, err := w.change.ExecContext(ctx, k.id); err != nil {
		return k, fmt.Errorf("store: log change %s/%s: %w", rec.Source, it.Item.ItemID, err)
	}
	if len(it.Item.Raw) > 0 {
		if _, err := w.raw.ExecContext(ctx, rec.Source, it.Item.ItemID, it.Hash, it.Item.Raw, ms(rec.At)); err != nil {
			return k, fmt.Errorf("store: raw %s/%s: %w", rec.Source, it.Item.ItemID, err)
		}
	}
	return k, nil
}
