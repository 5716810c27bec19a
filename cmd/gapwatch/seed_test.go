package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
