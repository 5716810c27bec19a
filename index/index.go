package index

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/gapwatch/gapwatch/notice"
)

// ErrClosed is returned by every method of a closed Index.
var ErrClosed = errors.New("index: closed")

// versionKey is the Bleve internal key under which the mapping version of a
// complete index is stored. It is written only once the index holds every
// notice (after a rebuild), so an interrupted rebuild is redone.
const versionKey = "gapwatch_mapping_version"

// Index is the full-text index of notices, one Bleve document per notice
// (its latest version) with the notice's decimal ID as document ID. It is
// safe for concurrent use; Rebuild swaps the underlying index under a lock.
type Index struct {
	dir string
	// rebuildMu serialises rebuilds.
	rebuildMu sync.Mutex

	mu           sync.RWMutex
	bi           bleve.Index
	needsRebuild bool
	// facets is bi's facet dictionary; writeMu serialises the batches
	// that may add codes to it.
	facets  *facetDict
	writeMu sync.Mutex
	// failed receives Bleve's background write errors (see durable.go).
	failed chan error

	// cache holds recent answers (nil: off); gen counts writes, which
	// invalidate them (see cache.go). cacheHits counts answers served
	// from it.
	cache     *lru.Cache[string, cachedResult]
	gen       atomic.Uint64
	cacheHits atomic.Int64
}

// Open opens the index in dir, creating it when missing. An index that is
// corrupt, incomplete or built with another MappingVersion is deleted and
// recreated empty, and NeedsRebuild then reports true: the caller rebuilds
// it from the store.
func Open(dir string) (*Index, error) {
	ix := &Index{dir: dir}
	ix.cache, _ = lru.New[string, cachedResult](DefaultResultCache) // a positive size never fails
	ix.register()
	bi, err := bleve.OpenUsing(dir, runtimeConfig())
	if err == nil {
		v, verr := bi.GetInternal([]byte(versionKey))
		if verr == nil && string(v) == MappingVersion {
			if ix.facets, err = loadFacetDict(bi); err == nil {
				ix.bi = bi
				return ix, nil
			}
		}
		_ = bi.Close() // the index is discarded just below
	}
	if err := ix.recreate(); err != nil {
		ix.unregister()
		return nil, err
	}
	return ix, nil
}

// recreate deletes the index folder and creates an empty index there.
func (ix *Index) recreate() error {
	if err := checkRemovable(ix.dir); err != nil {
		return err
	}
	if err := os.RemoveAll(ix.dir); err != nil {
		return fmt.Errorf("index: remove %s: %w", ix.dir, err)
	}
	bi, err := bleve.NewUsing(ix.dir, buildMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, runtimeConfig())
	if err != nil {
		return fmt.Errorf("index: create %s: %w", ix.dir, err)
	}
	ix.bi, ix.needsRebuild, ix.facets = bi, true, newFacetDict()
	ix.changed()
	return nil
}

// checkRemovable refuses to delete anything but a missing path, an empty
// folder or a folder holding a Bleve index, so that a misconfigured index
// path never wipes unrelated files.
func checkRemovable(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("index: %s: %w", dir, err)
	case len(entries) == 0:
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		return fmt.Errorf("index: %s is not empty and holds no index; refusing to delete it", dir)
	}
	return nil
}

// NeedsRebuild reports whether the index was (re)created empty by Open or
// an earlier Rebuild did not finish, so the caller should Rebuild it from
// the store.
func (ix *Index) NeedsRebuild() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.needsRebuild
}

// Index upserts notices in one Bleve batch: each replaces the document of
// the same ID.
func (ix *Index) Index(ns []notice.Notice) error {
	if len(ns) == 0 {
		return nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bi == nil {
		return ErrClosed
	}
	if err := ix.applyBatch(ix.bi.NewBatch(), ns); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

// applyBatch adds ns to b and applies it, with the facet dictionary when
// the notices add to it. The caller holds ix.mu (read).
func (ix *Index) applyBatch(b *bleve.Batch, ns []notice.Notice) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	added := false
	for _, n := range ns {
		d := newDocument(n)
		var more bool
		d.Facets, more = ix.facets.encode(d.Facets)
		added = added || more
		if err := b.Index(docID(n.ID), d); err != nil {
			return fmt.Errorf("notice %d: %w", n.ID, err)
		}
	}
	if added {
		if err := ix.facets.save(b); err != nil {
			return err
		}
	}
	err := ix.bi.Batch(b)
	ix.changed() // even a failed batch may have changed the index
	if err != nil {
		return fmt.Errorf("batch of %d: %w", len(ns), err)
	}
	return nil
}

// Delete removes the documents of the given notices; unknown IDs are
// ignored.
func (ix *Index) Delete(ids ...notice.ID) error {
	if len(ids) == 0 {
		return nil
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bi == nil {
		return ErrClosed
	}
	b := ix.bi.NewBatch()
	for _, id := range ids {
		b.Delete(docID(id))
	}
	err := ix.bi.Batch(b)
	ix.changed()
	if err != nil {
		return fmt.Errorf("index: delete %d notices: %w", len(ids), err)
	}
	return nil
}

// DocCount returns the number of indexed notices.
func (ix *Index) DocCount() (uint64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bi == nil {
		return 0, ErrClosed
	}
	n, err := ix.bi.DocCount()
	if err != nil {
		return 0, fmt.Errorf("index: count: %w", err)
	}
	return n, nil
}

// Close closes the index; later calls of any method return ErrClosed,
// except Close, which does nothing.
func (ix *Index) Close() error {
	ix.mu.Lock()
	bi := ix.bi
	ix.bi = nil
	ix.mu.Unlock() // searches fail with ErrClosed rather than wait for the disk
	if bi == nil {
		return nil
	}
	defer ix.unregister()
	// Persist what is searchable, so a clean restart replays nothing.
	flush := bi.NewBatch()
	flush.SetInternal([]byte(closedKey), []byte{1})
	err := ix.durable(bi, flush)
	if cerr := bi.Close(); cerr != nil {
		err = errors.Join(err, cerr)
	}
	if err != nil {
		return fmt.Errorf("index: close: %w", err)
	}
	return nil
}

// closedKey is written by Close to flush the index to disk.
const closedKey = "gapwatch_closed"
