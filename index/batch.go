package index

import (
	"context"
	"fmt"

	"github.com/gapwatch/gapwatch/notice"
)

// RebuildBatchSize is how many notices Rebuild writes per Bleve batch: large
// enough to amortise segment creation, small enough to bound memory.
const RebuildBatchSize = 1000

// Rebuild empties the index and indexes every notice each yields, in
// batches of RebuildBatchSize, calling progress (if not nil) with the
// running count after each batch. each is shaped like store.EachNotice bound
// to a context: it calls its argument for every notice and stops at the
// first error. The index is marked complete (NeedsRebuild false, mapping
// version stored) only when every notice is in; an interrupted rebuild is
// redone on the next Open. Searches during a rebuild see a partial index.
func (ix *Index) Rebuild(ctx context.Context, each func(func(notice.Notice) error) error, progress func(done int)) error {
	ix.rebuildMu.Lock()
	defer ix.rebuildMu.Unlock()
	if err := ix.reset(); err != nil {
		return err
	}
	batch := make([]notice.Notice, 0, RebuildBatchSize)
	done := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := ix.Index(batch); err != nil {
			return err
		}
		done += len(batch)
		batch = batch[:0]
		if progress != nil {
			progress(done)
		}
		return nil
	}
	err := each(func(n notice.Notice) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch = append(batch, n)
		if len(batch) == RebuildBatchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("index: rebuild: %w", err)
	}
	return ix.markComplete()
}

// reset closes the current index and recreates it empty.
func (ix *Index) reset() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.bi == nil {
		return ErrClosed
	}
	bi := ix.bi
	ix.bi = nil
	if err := bi.Close(); err != nil {
		return fmt.Errorf("index: rebuild: close: %w", err)
	}
	return ix.recreate()
}

// markComplete stores the mapping version, so the next Open keeps the
// index, and clears NeedsRebuild.
func (ix *Index) markComplete() error {
	ix.mu.RLock()
	bi := ix.bi
	var err error
	if bi == nil {
		err = ErrClosed
	} else {
		b := bi.NewBatch()
		b.SetInternal([]byte(versionKey), []byte(MappingVersion))
		err = ix.durable(bi, b)
	}
	ix.mu.RUnlock()
	if err != nil {
		return fmt.Errorf("index: rebuild: store mapping version: %w", err)
	}
	ix.mu.Lock()
	ix.needsRebuild = false
	ix.mu.Unlock()
	return nil
}
