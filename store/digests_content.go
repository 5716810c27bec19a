package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// NoticeChanges returns the notices that got a version or a new
// extraction (`gapwatch reextract`) in (since, until], each with the
// extraction it had at since (nil for notices first seen in the period),
// so a digest can say what changed.
func (s *Store) NoticeChanges(ctx context.Context, since, until time.Time) ([]notice.NoticeChange, error) {
	// The extraction at since is that of the latest version seen by then,
	// as it read before any re-extraction after since.
	rows, err := s.db.QueryContext(ctx, `WITH base AS (
 SELECT n.id AS nid, (SELECT MAX(v.version) FROM notice_versions v WHERE v.notice_id = n.id AND v.seen <= :since) AS prev_version
 FROM notices n
 WHERE EXISTS (SELECT 1 FROM notice_versions v WHERE v.notice_id = n.id AND v.seen > :since AND v.seen <= :until)
 OR EXISTS (SELECT 1 FROM reextractions r WHERE r.notice_id = n.id AND r.at > :since AND r.at <= :until))
 SELECT `+noticeCols+`, COALESCE(
 (SELECT r.previous FROM reextractions r WHERE r.notice_id = nid AND r.version = prev_version AND r.at > :since ORDER BY r.at, r.rowid LIMIT 1),
 (SELECT v.extraction FROM notice_versions v WHERE v.notice_id = nid AND v.version = prev_version))
 FROM base JOIN notices ON notices.id = nid
 ORDER BY notices.id`, sql.Named("since", ms(since)), sql.Named("until", ms(until)))
	if err != nil {
		return nil, fmt.Errorf("store: notice changes: %w", err)
	}
	defer rows.Close()
	var out []notice.NoticeChange
	for rows.Next() {
		var prev []byte
		n, err := scanNotice(withExtra(rows, &prev))
		if err != nil {
			return nil, fmt.Errorf("store: notice changes: %w", err)
		}
		c := notice.NoticeChange{Notice: n}
		if prev != nil {
			var ex notice.Extraction
			if err := json.Unmarshal(prev, &ex); err != nil {
				return nil, fmt.Errorf("store: notice changes: decode %d: %w", n.ID, err)
			}
			c.Previous = &ex
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// extraScanner appends destinations to a scanner, for queries that select
// a record's columns and then some.
type extraScanner struct {
	r     scanner
	extra []any
}

func withExtra(r scanner, extra ...any) scanner { return extraScanner{r, extra} }

func (e extraScanner) Scan(dest ...any) error { return e.r.Scan(append(dest, e.extra...)...) }

// TenantGapLinks returns all of a tenant's gaps with their links (best
// first), oldest gap first, in two queries.
func (s *Store) TenantGapLinks(ctx context.Context, tenant notice.TenantID) ([]notice.GapLinks, error) {
	gs, err := s.ListGaps(ctx, tenant, notice.GapFilter{})
	if err != nil {
		return nil, err
	}
	links, err := s.queryLinks(ctx, `SELECT l.link, l.first_linked FROM links l JOIN gaps g ON g.id = l.gap_id
 WHERE g.tenant_id = ? ORDER BY l.gap_id, l.score DESC, l.notice_id`, tenant)
	if err != nil {
		return nil, err
	}
	byGap := map[notice.GapID][]notice.Link{}
	for _, l := range links {
		byGap[l.Gap] = append(byGap[l.Gap], l)
	}
	out := make([]notice.GapLinks, len(gs))
	for i, g := range gs {
		out[i] = notice.GapLinks{Gap: g, Links: byGap[g.ID]}
	}
	return out, nil
}
