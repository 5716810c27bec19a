package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/gapwatch/gapwatch/gaps"
	"github.com/gapwatch/gapwatch/index"
)

func newReindexCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the store",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g.logLevel = slog.LevelWarn
			ctx := cmd.Context()
			a, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer a.close()
			if base := findRunning(ctx, a.cfg.DataDir); base != "" {
				return errServerHoldsIndex(base)
			}
			_, total, err := a.store.RecentNotices(ctx, 1, 0)
			if err != nil {
				return err
			}
			ix, err := index.Open(filepath.Join(a.cfg.DataDir, "index"))
			if err != nil {
				return err
			}
			a.index, a.windows = ix, index.NewWindows()
			a.follower = index.NewFollower(ix, a.windows, a.store, a.log, nil)
			// Notices whose changes no server applied reach gap linking too.
			a.gaps = gaps.NewService(a.store, a.windows, a.extractor.Catalog(), nil)
			a.follower.OnChange(a.gaps.NoticesChanged)
			progress := func(int) {}
			if f, ok := g.stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
				bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(f),
					progressbar.OptionSetDescription("indexing"), progressbar.OptionShowCount())
				progress = func(done int) { _ = bar.Set(done) }
			}
			if err := a.follower.Rebuild(ctx, progress); err != nil {
				return err
			}
			docs, err := ix.DocCount()
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "\nindex rebuilt: %d notices\n", docs)
			return nil
		},
	}
}
