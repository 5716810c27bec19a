package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// seedAcme crawls the demo world into a new data folder, creates tenant
// acme and imports its SigninLogs gap of 3–18 September 2024.
func seedAcme(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, errOut, err := run(t, dir, "crawl", "--demo"); err != nil {
		t.Fatalf("crawl: %v\n%s", err, errOut)
	}
	if _, _, err := run(t, dir, "tenant", "create", "acme", "--demo"); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "gaps.csv")
	os.WriteFile(csv, []byte("source,product,start,end,note\nSigninLogs,,2024-09-03T00:00:00Z,2024-09-18T00:00:00Z,\n"), 0o600)
	if _, _, err := run(t, dir, "gaps", "import", "--tenant", "acme", csv, "--demo"); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestSeedCaseEndToEnd: French news saying Microsoft lost logs "entre le 2
// et le 19 septembre", crawled and extracted for real, explains a tenant's
// SigninLogs gap of 3–18 September 2024: Entra ID, exact match, 100%.
func TestSeedCaseEndToEnd(t *testing.T) {
	dir := seedAcme(t)
	g := &globals{env: []string{"GAPWATCH_DATA_DIR=" + dir}, demo: true, stdout: os.Stdout, stderr: os.Stderr}
	err := g.withApp(context.Background(), func(a *app) error {
		ten, err := a.store.TenantByName(context.Background(), "acme")
		if err != nil {
			return err
		}
		gs, err := a.store.ListGaps(context.Background(), ten.ID, notice.GapFilter{})
		if err != nil || len(gs) != 1 || gs[0].Product != "Microsoft Entra ID" {
			t.Fatalf("gaps = %+v, %v", gs, err)
		}
		links, err := a.store.GapLinks(context.Background(), gs[0].ID)
		if err != nil {
			return err
		}
		for _, l := range links {
			n, err := a.store.Notice(context.Background(), l.Notice)
			if err != nil {
				return err
			}
			if n.Extraction.Language == "fr" && strings.Contains(l.Window.Evidence, "19 septembre") &&
				l.Match == notice.MatchExact && l.Product == "Microsoft Entra ID" && l.Coverage == 1 {
				return nil
			}
		}
		t.Fatalf("no exact, full-coverage link to a French notice: %+v", links)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReindexRelinks: links lost or never computed (changes a lost index
// never applied) come back with `gapwatch reindex`.
func TestReindexRelinks(t *testing.T) {
	dir := seedAcme(t)
	g := &globals{env: []string{"GAPWATCH_DATA_DIR=" + dir}, demo: true, stdout: os.Stdout, stderr: os.Stderr}
	links := func(clear bool) int {
		n := 0
		err := g.withApp(context.Background(), func(a *app) error {
			ten, err := a.store.TenantByName(context.Background(), "acme")
			if err != nil {
				return err
			}
			gs, err := a.store.ListGaps(context.Background(), ten.ID, notice.GapFilter{})
			if err != nil || len(gs) != 1 {
				t.Fatalf("gaps = %+v, %v", gs, err)
			}
			ls, err := a.store.GapLinks(context.Background(), gs[0].ID)
			n = len(ls)
			if clear {
				for _, l := range ls {
					if err := a.store.SetNoticeLinks(context.Background(), l.Notice, nil); err != nil {
						return err
					}
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := links(true)
	if before == 0 || links(false) != 0 {
		t.Fatalf("setup: %d links before clearing, want some, then none", before)
	}
	if out, errOut, err := run(t, dir, "reindex", "--demo"); err != nil {
		t.Fatalf("reindex: %v %s %s", err, out, errOut)
	}
	if after := links(false); after != before {
		t.Fatalf("after reindex %d links, want %d", after, before)
	}
}

// TestReextract: `gapwatch reextract` puts back what the current extractor
// reads where a stored reading differs, and the digest's changes show the
// reading it replaced.
func TestReextract(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, err := run(t, dir, "crawl", "--demo"); err != nil {
		t.Fatalf("crawl: %v\n%s", err, errOut)
	}
	g := &globals{env: []string{"GAPWATCH_DATA_DIR=" + dir}, demo: true, stdout: os.Stdout, stderr: os.Stderr}
	ctx := context.Background()
	var id notice.ID
	var current notice.Extraction
	err := g.withApp(ctx, func(a *app) error {
		n, err := a.store.Notice(ctx, 1)
		if err != nil {
			return err
		}
		id, current = n.ID, n.Extraction
		old := n.Extraction
		old.Windows, old.Version = nil, "an older extractor"
		return a.store.SetExtraction(ctx, n.ID, n.Version, old, time.Now().UTC())
	})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // the changes below start after the setup's
	start := time.Now().UTC()
	out, errOut, err := run(t, dir, "reextract", "--demo")
	if err != nil || !strings.Contains(out, " 1 changed") {
		t.Fatalf("reextract: %v %q %s", err, out, errOut)
	}
	err = g.withApp(ctx, func(a *app) error {
		n, err := a.store.Notice(ctx, id)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(n.Extraction, current) {
			t.Errorf("after reextract: %+v, want %+v", n.Extraction, current)
		}
		changes, err := a.store.NoticeChanges(ctx, start.Add(-time.Millisecond), time.Now().UTC().Add(time.Second))
		if err != nil {
			return err
		}
		if len(changes) != 1 || changes[0].Notice.ID != id || changes[0].Previous == nil || changes[0].Previous.Version != "an older extractor" {
			t.Errorf("changes of the period: %+v", changes)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
