package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/gapwatch/gapwatch/crawler"
)

func newCrawlCmd(g *globals) *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "crawl",
		Short: "Run one crawl cycle over every enabled source (or one) and print a summary",
		Long: `Run one crawl cycle. The last line is meant for scripts:
  sources: 6 ok, 0 not modified, 9 failed; notices: 198 new, 0 updated, 5 unchanged
The exit status is non-zero only when every source failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g.logLevel = slog.LevelError // progress lines say the rest
			a, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer a.close()
			sources, err := a.enabledSources(source)
			if err != nil {
				return err
			}
			if err := a.store.UpsertSources(cmd.Context(), sources); err != nil {
				return err
			}
			onResult := progress(g, len(sources))
			sum := a.crawler.Crawl(cmd.Context(), sources, onResult)
			fmt.Fprintln(g.stdout, sum.String())
			if len(sources) > 0 && sum.Failed == len(sources) {
				return exitCode(1)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&source, "source", "", "crawl only this source (even if disabled)")
	return cmd
}

// progress reports each finished source: a progress bar on a terminal,
// plain lines otherwise, always on stderr so stdout stays scriptable.
func progress(g *globals, total int) func(crawler.Result) {
	if f, ok := g.stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription("crawling"), progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish())
		return func(r crawler.Result) {
			bar.Describe(r.Source)
			_ = bar.Add(1)
		}
	}
	done := 0
	return func(r crawler.Result) {
		done++
		line := fmt.Sprintf("[%d/%d] %s: %s", done, total, r.Source, r.Outcome)
		if r.Err != nil {
			line += ": " + r.Err.Error()
		} else if r.Outcome == "ok" {
			line += fmt.Sprintf(" (%s)", r.Counts)
		}
		fmt.Fprintln(g.stderr, line)
	}
}
