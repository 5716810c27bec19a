package index

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// durableTimeout bounds how long a durable write waits for the disk when
// Bleve reports neither success nor failure.
const durableTimeout = 2 * time.Minute

// asyncErrorCallback names gapwatch's handler in Bleve's registry of
// background-error callbacks (a failed persist or merge).
const asyncErrorCallback = "gapwatch-index"

// openIndexes routes Bleve's background errors to the Index open at the
// failing path. Bleve's callback registry is process-wide and read when an
// index opens, so the routing is process-wide too.
var openIndexes sync.Map // cleaned dir → *Index

func init() {
	scorch.RegistryAsyncErrorCallbacks[asyncErrorCallback] = routeAsyncError
}

// routeAsyncError hands err to the index whose folder holds path.
func routeAsyncError(err error, path string) {
	path = filepath.Clean(path)
	openIndexes.Range(func(k, v any) bool {
		if dir := k.(string); path == dir || strings.HasPrefix(path, dir+string(filepath.Separator)) {
			v.(*Index).asyncFailed(err)
		}
		return true
	})
}

// runtimeConfig is how the index is opened: batches return once their
// documents are searchable, without waiting for the disk (unsafe_batch).
// Waiting made every batch wait for an fsync, idling the follower more
// than half of the time. The index is derived: the change watermark rides
// in the same batch as the documents it covers, so a crash only loses
// batches that are replayed from the store, and the points that must
// survive (the mapping version, an explicit watermark, Close) wait for the
// disk (see durable). Background write errors reach asyncFailed.
func runtimeConfig() map[string]any {
	return map[string]any{"unsafe_batch": true, "asyncErrorCallbackName": asyncErrorCallback}
}

// register makes ix the receiver of its folder's background errors.
func (ix *Index) register() {
	ix.failed = make(chan error, 1)
	openIndexes.Store(filepath.Clean(ix.dir), ix)
}

// unregister stops routing background errors to ix.
func (ix *Index) unregister() { openIndexes.Delete(filepath.Clean(ix.dir)) }

// asyncFailed records a background write error for a waiting durable call;
// one pending error is enough to fail it.
func (ix *Index) asyncFailed(err error) {
	select {
	case ix.failed <- err:
	default:
	}
}

// durable applies b and waits until it (and everything before it) is on
// disk, or until Bleve reports that writing failed, or durableTimeout.
// Bleve keeps retrying a failed write and never calls back for it, so
// waiting for the callback alone could hang for ever.
func (ix *Index) durable(bi bleve.Index, b *bleve.Batch) error {
	done := make(chan error, 1)
	b.SetPersistedCallback(func(err error) { done <- err })
	if err := bi.Batch(b); err != nil {
		return err
	}
	return waitDurable(done, ix.failed, durableTimeout)
}

// waitDurable waits for the persisted callback (done), a background write
// error (failed) or the timeout.
func waitDurable(done, failed <-chan error, timeout time.Duration) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case err := <-failed:
		return fmt.Errorf("index: writing to disk: %w", err)
	case <-t.C:
		return errors.New("index: not written to disk after " + timeout.String())
	}
}
