package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newSourcesCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "Show each source's crawl state",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withApp(cmd.Context(), func(a *app) error {
				states, err := a.store.Sources(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					enc := json.NewEncoder(g.stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(states)
				}
				tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "SOURCE\tKIND\tENABLED\tNOTICES\tLAST FETCH\tLAST SUCCESS\tNEXT CHECK\tERRORS\tLAST ERROR")
				for _, s := range states {
					fmt.Fprintf(tw, "%s\t%s\t%v\t%d\t%s\t%s\t%s\t%d\t%s\n", s.Source.Name, s.Source.Kind, s.Source.Enabled,
						s.State.Items, fmtTime(s.State.LastFetch), fmtTime(s.State.LastSuccess),
						fmtTime(s.State.NextCheck), s.State.ConsecutiveErrors, truncate(s.State.LastError, 160))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
