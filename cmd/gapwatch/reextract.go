package main

import (
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/spf13/cobra"

	"github.com/gapwatch/gapwatch/notice"
)

func newReextractCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "reextract",
		Short: "Run the current extractor again over stored notices (after it improved)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withApp(cmd.Context(), func(a *app) error {
				var seen, changed, revised int
				err := a.store.EachNotice(cmd.Context(), func(n notice.Notice) error {
					seen++
					ex := a.extractor.ExtractItem(n.Item)
					if reflect.DeepEqual(ex, n.Extraction) {
						return nil
					}
					err := a.store.SetExtraction(cmd.Context(), n.ID, n.Version, ex, time.Now().UTC())
					switch {
					case errors.Is(err, notice.ErrConflict):
						// A crawl stored a new version (extracted by the
						// current extractor) after this one was read.
						revised++
						return nil
					case err != nil:
						return err
					}
					changed++
					return nil
				})
				if err != nil {
					return err
				}
				fmt.Fprintf(g.stdout, "notices: %d read, %d changed", seen, changed)
				if revised > 0 {
					fmt.Fprintf(g.stdout, ", %d revised by a crawl meanwhile (left as the crawl read them)", revised)
				}
				fmt.Fprintln(g.stdout)
				return nil
			})
		},
	}
}
