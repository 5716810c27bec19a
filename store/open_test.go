package store

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
)

// TestConcurrentOpen opens a new database file from several goroutines at
// once (as two processes starting together would): every Open must
// succeed and the schema must be complete.
func TestConcurrentOpen(t *testing.T) {
	ctx := context.Background()
	for round := range 3 {
		p := filepath.Join(t.TempDir(), "gapwatch.db")
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i := range errs {
			wg.Go(func() {
				s, err := Open(ctx, p)
				if err == nil {
					err = s.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("round %d opener %d: %v", round, i, err)
			}
		}
		s, err := Open(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.GapsStamp(ctx); err != nil {
			t.Errorf("round %d: latest migration missing: %v", round, err)
		}
		s.Close()
	}
}
