package main

import (
	"io"
	"log/slog"

	"github.com/spf13/cobra"
)

// globals are the flags every command shares.
type globals struct {
	configPath string
	demo       bool
	verbose    bool
	logLevel   slog.Level
	env        []string
	stdout     io.Writer
	stderr     io.Writer
}

func newRootCmd(stdout, stderr io.Writer, env []string) *cobra.Command {
	g := &globals{env: env, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:           "gapwatch",
		Short:         "Vendor incident notices, linked to the gaps in your own logs",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&g.configPath, "config", "", "configuration file (default gapwatch.yaml if present, else built-in defaults)")
	pf.BoolVar(&g.demo, "demo", false, "use the bundled offline demo vendor world and its own data folder (data_dir/demo)")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "log debug details to stderr")
	root.AddCommand(newServeCmd(g), newCrawlCmd(g), newSourcesCmd(g), newExtractCmd(g), newReextractCmd(g), newSearchCmd(g), newReindexCmd(g), newTenantCmd(g), newGapsCmd(g), newDigestCmd(g))
	return root
}
