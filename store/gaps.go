package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

const gapCols = `id, tenant_id, source, product, vendor, start, end, note, detected, created`

func scanGap(r scanner) (notice.Gap, error) {
	var g notice.Gap
	var start, end, created int64
	var detected int
	if err := r.Scan(&g.ID, &g.Tenant, &g.Source, &g.Product, &g.Vendor, &start, &end, &g.Note, &detected, &created); err != nil {
		return g, err
	}
	g.Start, g.End, g.Created, g.Detected = fromMS(start), fromMS(end), fromMS(created), detected == 1
	return g, nil
}

// SaveGaps stores a tenant's gaps in one transaction and returns them with
// their ids. A gap already stored (same source, start and end) is not
// duplicated: the stored one is returned.
func (s *Store) SaveGaps(ctx context.Context, tenant notice.TenantID, gs []notice.Gap) ([]notice.Gap, error) {
	out := make([]notice.Gap, 0, len(gs))
	now := time.Now().UTC()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		for _, g := range gs {
			_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO gaps
 (tenant_id, source, product, vendor, start, end, note, detected, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				tenant, g.Source, g.Product, g.Vendor, ms(g.Start), ms(g.End), g.Note, boolInt(g.Detected), ms(now))
			if err != nil {
				return fmt.Errorf("store: save gap: %w", err)
			}
			saved, err := scanGap(tx.QueryRowContext(ctx, `SELECT `+gapCols+` FROM gaps
 WHERE tenant_id = ? AND source = ? AND start = ? AND end = ?`, tenant, g.Source, ms(g.Start), ms(g.End)))
			if err != nil {
				return fmt.Errorf("store: save gap: %w", err)
			}
			out = append(out, saved)
		}
		return nil
	})
	return out, err
}

// ListGaps lists a tenant's gaps, oldest first.
func (s *Store) ListGaps(ctx context.Context, tenant notice.TenantID, f notice.GapFilter) ([]notice.Gap, error) {
	q := `SELECT ` + gapCols + ` FROM gaps WHERE tenant_id = ?`
	args := []any{tenant}
	if !f.From.IsZero() {
		q += ` AND end >= ?`
		args = append(args, ms(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND start <= ?`
		args = append(args, ms(f.To))
	}
	if f.Source != "" {
		q += ` AND source = ?`
		args = append(args, f.Source)
	}
	if f.Explained != nil {
		not := "NOT "
		if *f.Explained {
			not = ""
		}
		q += ` AND ` + not + `EXISTS (SELECT 1 FROM links l WHERE l.gap_id = gaps.id)`
	}
	q += ` ORDER BY start, id`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return s.queryGaps(ctx, q, args...)
}

// GapsStamp fingerprints the stored gap set cheaply, so that gap linking
// reloads every gap only when the set changed. It is a change counter
// bumped by triggers on every insert, update and delete of a gap
// (migration 00008): count and id range could not tell a deleted gap from
// a new one that reused its ID.
func (s *Store) GapsStamp(ctx context.Context) (string, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT version FROM gaps_version WHERE id = 1`).Scan(&v)
	if err != nil {
		return "", fmt.Errorf("store: gaps stamp: %w", err)
	}
	return fmt.Sprintf("v%d", v), nil
}

// AllGaps lists every tenant's gaps, for linking a new notice against them.
func (s *Store) AllGaps(ctx context.Context) ([]notice.Gap, error) {
	return s.queryGaps(ctx, `SELECT `+gapCols+` FROM gaps ORDER BY id`)
}

func (s *Store) queryGaps(ctx context.Context, q string, args ...any) ([]notice.Gap, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: gaps: %w", err)
	}
	defer rows.Close()
	out := []notice.Gap{}
	for rows.Next() {
		g, err := scanGap(rows)
		if err != nil {
			return nil, fmt.Errorf("store: gaps: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Gap returns one of a tenant's gaps. Another tenant's gap is
// notice.ErrNotFound, exactly like a gap that does not exist.
func (s *Store) Gap(ctx context.Context, tenant notice.TenantID, id notice.GapID) (notice.Gap, error) {
	g, err := scanGap(s.db.QueryRowContext(ctx, `SELECT `+gapCols+` FROM gaps WHERE id = ? AND tenant_id = ?`, id, tenant))
	if errors.Is(err, sql.ErrNoRows) {
		return g, fmt.Errorf("store: gap %d: %w", id, notice.ErrNotFound)
	}
	return g, err
}

// DeleteGap deletes one of a tenant's gaps (and its links).
func (s *Store) DeleteGap(ctx context.Context, tenant notice.TenantID, id notice.GapID) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM gaps WHERE id = ? AND tenant_id = ?`, id, tenant)
	if err != nil {
		return fmt.Errorf("store: delete gap: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: gap %d: %w", id, notice.ErrNotFound)
	}
	return nil
}

// SetGapLinks replaces the links of a gap, keeping first_linked for links
// that still hold.
func (s *Store) SetGapLinks(ctx context.Context, gap notice.GapID, links []notice.Link) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		keep := make([]any, 0, len(links)+1)
		keep = append(keep, gap)
		for _, l := range links {
			if err := upsertLink(ctx, tx, l); err != nil {
				return err
			}
			keep = append(keep, l.Notice)
		}
		q := `DELETE FROM links WHERE gap_id = ?`
		if len(links) > 0 {
			q += ` AND notice_id NOT IN (?` + strings.Repeat(",?", len(links)-1) + `)`
		}
		if _, err := tx.ExecContext(ctx, q, keep...); err != nil {
			return fmt.Errorf("store: set gap links: %w", err)
		}
		return nil
	})
}

// SetNoticeLinks replaces the links of a notice (to gaps of every tenant),
// keeping first_linked for links that still hold: a revised window updates
// or removes links.
func (s *Store) SetNoticeLinks(ctx context.Context, id notice.ID, links []notice.Link) error {
	return s.setLinksOf(ctx, map[notice.ID][]notice.Link{id: links}, nil)
}

// SetLinksOf replaces the links of several notices, each as SetNoticeLinks
// does, in one transaction: the index follower relinks a batch of notices
// at a time. known looks up the gaps the links were computed from (the
// caller's whole gap snapshot): a link is written only while its gap still
// exists with the same tenant, source and interval, so links computed from
// a stale gap set (a gap deleted and its ID reused by another tenant's
// gap) never land on the wrong gap; and a link is removed only if its gap
// is in the snapshot and unchanged, so a gap imported since keeps the
// link its import made.
func (s *Store) SetLinksOf(ctx context.Context, byNotice map[notice.ID][]notice.Link, known func(notice.GapID) (notice.Gap, bool)) error {
	if known == nil {
		known = func(notice.GapID) (notice.Gap, bool) { return notice.Gap{}, false }
	}
	return s.setLinksOf(ctx, byNotice, known)
}

// setLinksOf is SetLinksOf; a nil gaps skips the gap checks.
func (s *Store) setLinksOf(ctx context.Context, byNotice map[notice.ID][]notice.Link, gaps func(notice.GapID) (notice.Gap, bool)) error {
	if len(byNotice) == 0 {
		return nil
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for id, links := range byNotice {
			keep := make([]any, 0, len(links)+1)
			keep = append(keep, id)
			for _, l := range links {
				if gaps != nil {
					ok, err := gapMatches(ctx, tx, l.Gap, gaps)
					if err != nil {
						return err
					}
					if !ok {
						continue
					}
				}
				if err := upsertLink(ctx, tx, l); err != nil {
					return err
				}
				keep = append(keep, l.Gap)
			}
			if gaps != nil {
				if err := dropStaleLinks(ctx, tx, id, keep[1:], gaps); err != nil {
					return err
				}
				continue
			}
			q := `DELETE FROM links WHERE notice_id = ?`
			if len(keep) > 1 {
				q += ` AND gap_id NOT IN (?` + strings.Repeat(",?", len(keep)-2) + `)`
			}
			if _, err := tx.ExecContext(ctx, q, keep...); err != nil {
				return fmt.Errorf("store: set notice links: %w", err)
			}
		}
		return nil
	})
}

// dropStaleLinks removes the notice's links that are not in keep, but only
// those to gaps the caller linked against (in gaps, unchanged since): a
// gap imported after the caller's snapshot was linked by its own import,
// and that link is not the caller's to remove.
func dropStaleLinks(ctx context.Context, tx *sql.Tx, id notice.ID, keep []any, gaps func(notice.GapID) (notice.Gap, bool)) error {
	kept := make(map[notice.GapID]bool, len(keep))
	for _, g := range keep {
		kept[g.(notice.GapID)] = true
	}
	rows, err := tx.QueryContext(ctx, `SELECT gap_id FROM links WHERE notice_id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: set notice links: %w", err)
	}
	var drop []notice.GapID
	for rows.Next() {
		var g notice.GapID
		if err := rows.Scan(&g); err != nil {
			rows.Close()
			return fmt.Errorf("store: set notice links: %w", err)
		}
		if !kept[g] {
			drop = append(drop, g)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: set notice links: %w", err)
	}
	for _, g := range drop {
		ok, err := gapMatches(ctx, tx, g, gaps)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM links WHERE notice_id = ? AND gap_id = ?`, id, g); err != nil {
			return fmt.Errorf("store: set notice links: %w", err)
		}
	}
	return nil
}

// gapMatches reports whether the stored gap id is the gap the caller
// linked against: same tenant, source and interval.
func gapMatches(ctx context.Context, tx *sql.Tx, id notice.GapID, gaps func(notice.GapID) (notice.Gap, bool)) (bool, error) {
	g, ok := gaps(id)
	if !ok {
		return false, nil
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM gaps WHERE id = ? AND tenant_id = ? AND source = ? AND start = ? AND end = ?`,
		id, g.Tenant, g.Source, ms(g.Start), ms(g.End)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: check gap %d: %w", id, err)
	}
	return true, nil
}

func upsertLink(ctx context.Context, tx *sql.Tx, l notice.Link) error {
	l.FirstLinked = time.Time{}
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("store: encode link: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO links (gap_id, notice_id, score, link, first_linked) VALUES (?, ?, ?, ?, ?)
 ON CONFLICT (gap_id, notice_id) DO UPDATE SET score = excluded.score, link = excluded.link`,
		l.Gap, l.Notice, l.Score, b, ms(time.Now().UTC()))
	if err != nil {
		return fmt.Errorf("store: save link: %w", err)
	}
	return nil
}

// GapLinks returns a gap's links, best first.
func (s *Store) GapLinks(ctx context.Context, gap notice.GapID) ([]notice.Link, error) {
	return s.queryLinks(ctx, `SELECT link, first_linked FROM links WHERE gap_id = ? ORDER BY score DESC, notice_id`, gap)
}

// linksChunk bounds the gap IDs of one GapsLinks statement.
const linksChunk = 500

// GapsLinks returns the links of the given gaps of one tenant, best first,
// by gap, in one query per linksChunk gaps: a page listing hundreds of
// gaps costs a few statements, not one per gap. Gaps of other tenants and
// gaps without links are absent from the map.
func (s *Store) GapsLinks(ctx context.Context, tenant notice.TenantID, ids []notice.GapID) (map[notice.GapID][]notice.Link, error) {
	out := make(map[notice.GapID][]notice.Link, len(ids))
	for chunk := range slices.Chunk(ids, linksChunk) {
		args := make([]any, 0, len(chunk)+1)
		args = append(args, tenant)
		for _, id := range chunk {
			args = append(args, id)
		}
		ls, err := s.queryLinks(ctx, `SELECT l.link, l.first_linked FROM links l JOIN gaps g ON g.id = l.gap_id
 WHERE g.tenant_id = ? AND l.gap_id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`) ORDER BY l.gap_id, l.score DESC, l.notice_id`, args...)
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			out[l.Gap] = append(out[l.Gap], l)
		}
	}
	return out, nil
}

// TenantNoticeLinks returns the links between a notice and one tenant's
// gaps.
func (s *Store) TenantNoticeLinks(ctx context.Context, tenant notice.TenantID, id notice.ID) ([]notice.Link, error) {
	return s.queryLinks(ctx, `SELECT l.link, l.first_linked FROM links l JOIN gaps g ON g.id = l.gap_id
 WHERE l.notice_id = ? AND g.tenant_id = ? ORDER BY l.score DESC, l.gap_id`, id, tenant)
}

func (s *Store) queryLinks(ctx context.Context, q string, args ...any) ([]notice.Link, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: links: %w", err)
	}
	defer rows.Close()
	out := []notice.Link{}
	for rows.Next() {
		var b []byte
		var first int64
		if err := rows.Scan(&b, &first); err != nil {
			return nil, fmt.Errorf("store: links: %w", err)
		}
		var l notice.Link
		if err := json.Unmarshal(b, &l); err != nil {
			return nil, fmt.Errorf("store: decode link: %w", err)
		}
		l.FirstLinked = fromMS(first)
		out = append(out, l)
	}
	return out, rows.Err()
}
