package index

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWaitDurable(t *testing.T) {
	diskFull := errors.New("disk full")
	ok, failed := make(chan error, 1), make(chan error, 1)
	ok <- nil
	if err := waitDurable(ok, failed, time.Second); err != nil {
		t.Fatalf("persisted: %v", err)
	}
	failed <- diskFull
	if err := waitDurable(make(chan error), failed, time.Second); !errors.Is(err, diskFull) {
		t.Fatalf("background failure: err %v, want disk full", err)
	}
	if err := waitDurable(make(chan error), make(chan error), 10*time.Millisecond); err == nil || !strings.Contains(err.Error(), "not written") {
		t.Fatalf("timeout: err %v", err)
	}
}

// TestAsyncErrorsReachTheirIndex: Bleve's background write errors go to
// the index open at that folder only (not to one whose name shares a
// prefix), and stop once it is closed.
func TestAsyncErrorsReachTheirIndex(t *testing.T) {
	root := t.TempDir()
	a, err := Open(filepath.Join(root, "index"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(filepath.Join(root, "index2"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	routeAsyncError(errors.New("persist failed"), filepath.Join(root, "index", "store"))
	select {
	case err := <-a.failed:
		if err.Error() != "persist failed" {
			t.Fatalf("got %v", err)
		}
	default:
		t.Fatal("the index at the failing path was not told")
	}
	select {
	case err := <-b.failed:
		t.Fatalf("another index was told: %v", err)
	default:
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	routeAsyncError(errors.New("late"), filepath.Join(root, "index", "store"))
	if len(a.failed) != 0 {
		t.Fatal("a closed index still receives errors")
	}
}
