package index

import (
	"context"
	"encoding/binary"
	"fmt"
	"log/slog"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// watermarkKey is the Bleve internal key holding the last store change
// applied to the index.
var watermarkKey = []byte("gapwatch_change_watermark")

// Watermark returns the last store change sequence applied to the index
// (0 for a new or rebuilt-from-nothing index).
func (ix *Index) Watermark() (int64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bi == nil {
		return 0, ErrClosed
	}
	b, err := ix.bi.GetInternal(watermarkKey)
	if err != nil {
		return 0, fmt.Errorf("index: watermark: %w", err)
	}
	if len(b) != 8 {
		return 0, nil
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}

// SetWatermark records, durably, that store changes up to seq are in the
// index.
func (ix *Index) SetWatermark(seq int64) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bi == nil {
		return ErrClosed
	}
	b := ix.bi.NewBatch()
	b.SetInternal(watermarkKey, watermarkBytes(seq))
	if err := ix.durable(ix.bi, b); err != nil {
		return fmt.Errorf("index: set watermark: %w", err)
	}
	return nil
}

// IndexUpTo indexes ns and records, in the same batch, that store changes
// up to seq are in the index: a crash keeps both or neither.
func (ix *Index) IndexUpTo(ns []notice.Notice, seq int64) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bi == nil {
		return ErrClosed
	}
	b := ix.bi.NewBatch()
	b.SetInternal(watermarkKey, watermarkBytes(seq))
	if err := ix.applyBatch(b, ns); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

func watermarkBytes(seq int64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(seq))
	return b[:]
}

// ChangeLog is what a Follower reads from the store.
type ChangeLog interface {
	Changes(ctx context.Context, after int64, limit int) ([]notice.ID, int64, error)
	LastChange(ctx context.Context) (int64, error)
	Notices(ctx context.Context, ids []notice.ID) ([]notice.Notice, error)
	EachNotice(ctx context.Context, fn func(notice.Notice) error) error
}

// Follower keeps the search index and the window lookup up to date with
// the store's change log, in batches. Because it follows the log rather
// than the crawler, writes made by another process (a CLI crawl while the
// server runs) reach the index too.
type Follower struct {
	ix      *Index
	win     *Windows
	log     ChangeLog
	logger  *slog.Logger
	observe func(batch int, took time.Duration, lag int64)
	changed []func(context.Context, []notice.Notice) error
}

// OnChange registers fn to be told of every batch of new or changed
// notices after the index and windows have them (gap linking uses it).
func (f *Follower) OnChange(fn func(context.Context, []notice.Notice) error) {
	f.changed = append(f.changed, fn)
}

// NewFollower returns a follower of log feeding ix and win. observe (may
// be nil) is told each batch's size, duration and the remaining lag.
func NewFollower(ix *Index, win *Windows, log ChangeLog, logger *slog.Logger, observe func(int, time.Duration, int64)) *Follower {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if observe == nil {
		observe = func(int, time.Duration, int64) {}
	}
	return &Follower{ix: ix, win: win, log: log, logger: logger, observe: observe}
}

// Start brings both views up to date: a full rebuild of both when the
// index needs one (new, deleted, other mapping version), else the
// in-memory windows from the store; then the changes since the index's
// watermark.
func (f *Follower) Start(ctx context.Context, progress func(done int)) error {
	if f.ix.NeedsRebuild() {
		if err := f.Rebuild(ctx, progress); err != nil {
			return err
		}
	} else if err := f.win.Rebuild(func(fn func(notice.Notice) error) error { return f.log.EachNotice(ctx, fn) }); err != nil {
		return fmt.Errorf("index: windows: %w", err)
	}
	_, err := f.Sync(ctx)
	return err
}

// Rebuild rebuilds the index and the windows from the store in one read of
// it, sets the index's watermark to the change log's end as it was before
// the rebuild began (changes made meanwhile are applied again by the next
// Sync: upserts are idempotent), then shows every notice to the change
// hooks, in batches: changes that were in the log but never applied before
// the index was lost (a deleted index folder) must still reach gap
// linking.
func (f *Follower) Rebuild(ctx context.Context, progress func(done int)) error {
	last, err := f.log.LastChange(ctx)
	if err != nil {
		return err
	}
	err = f.win.Rebuild(func(toWindows func(notice.Notice) error) error {
		return f.ix.Rebuild(ctx, func(toIndex func(notice.Notice) error) error {
			return f.log.EachNotice(ctx, func(n notice.Notice) error {
				if err := toWindows(n); err != nil {
					return err
				}
				return toIndex(n)
			})
		}, progress)
	})
	if err != nil {
		return err
	}
	if err := f.ix.SetWatermark(last); err != nil {
		return err
	}
	return f.tellAll(ctx)
}

// tellAll shows every stored notice to the change hooks, RebuildBatchSize
// at a time, once the index and the windows have them.
func (f *Follower) tellAll(ctx context.Context) error {
	if len(f.changed) == 0 {
		return nil
	}
	batch := make([]notice.Notice, 0, RebuildBatchSize)
	flush := func() error {
		for _, fn := range f.changed {
			if err := fn(ctx, batch); err != nil {
				return err
			}
		}
		batch = batch[:0]
		return nil
	}
	err := f.log.EachNotice(ctx, func(n notice.Notice) error {
		if batch = append(batch, n); len(batch) == RebuildBatchSize {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("index: rebuild: change hooks: %w", err)
	}
	return nil
}

// Sync applies every pending change and returns how many notices it
// updated.
func (f *Follower) Sync(ctx context.Context) (int, error) {
	seq, err := f.ix.Watermark()
	if err != nil {
		return 0, err
	}
	total := 0
	for {
		start := time.Now()
		ids, next, err := f.log.Changes(ctx, seq, 1000)
		if err != nil || len(ids) == 0 {
			return total, err
		}
		ns, err := f.log.Notices(ctx, ids)
		if err != nil {
			return total, err
		}
		f.win.PutAll(ns)
		for _, fn := range f.changed {
			if err := fn(ctx, ns); err != nil {
				return total, err
			}
		}
		// The watermark moves with the documents, after the windows and
		// the change hooks have them: a failure above replays the batch.
		if err := f.ix.IndexUpTo(ns, next); err != nil {
			return total, err
		}
		seq = next
		total += len(ns)
		last, _ := f.log.LastChange(ctx)
		f.observe(len(ns), time.Since(start), last-seq)
	}
}

// Run syncs every interval until ctx ends; errors are logged and retried.
func (f *Follower) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n, err := f.Sync(ctx); err != nil {
			if ctx.Err() == nil {
				f.logger.Error("index sync", "error", err)
			}
		} else if n > 0 {
			f.logger.Debug("index synced", "notices", n)
		}
	}
}
