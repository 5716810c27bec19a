package main

import (
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
				var seen, changed int
				err := a.store.EachNotice(cmd.Context(), func(n notice.Notice) error {
					seen++
					ex := a.extractor.ExtractItem(n.Item)
					if reflect.DeepEqual(ex, n.Extraction) {
						return nil
					}
					changed++
					return a.store.SetExtraction(cmd.Context(), n.ID, ex, time.Now().UTC())
				})
				if err != nil {
					return err
				}
				fmt.Fprintf(g.stdout, "notices: %d read, %d changed\n", seen, changed)
				return nil
			})
		},
	}
}
