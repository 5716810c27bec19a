package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/gapwatch/gapwatch/notice"
)

func newTenantCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "tenant", Short: "Manage tenants (customers) and their API keys"}
	var email, zone string
	create := &cobra.Command{
		Use:   "create NAME",
		Short: "Create a tenant and print its API key (shown once; only a hash is kept)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withApp(cmd.Context(), func(a *app) error {
				t, key, err := a.store.CreateTenant(cmd.Context(), notice.Tenant{Name: args[0], Email: email, Timezone: zone})
				if err != nil {
					return err
				}
				fmt.Fprintf(g.stderr, "tenant %q created (id %d); its API key, shown once:\n", t.Name, t.ID)
				fmt.Fprintln(g.stdout, key)
				return nil
			})
		},
	}
	create.Flags().StringVar(&email, "email", "", "contact address (digests)")
	create.Flags().StringVar(&zone, "timezone", "UTC", "IANA time zone for times given without one")
	list := &cobra.Command{
		Use: "list", Short: "List tenants", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withApp(cmd.Context(), func(a *app) error {
				ts, err := a.store.Tenants(cmd.Context())
				if err != nil {
					return err
				}
				tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tEMAIL\tTIMEZONE\tCREATED")
				for _, t := range ts {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, t.Email, t.Timezone, fmtTime(t.Created))
				}
				return tw.Flush()
			})
		},
	}
	rotate := &cobra.Command{
		Use: "rotate-key NAME", Short: "Give a tenant a new API key (the old one stops working)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withApp(cmd.Context(), func(a *app) error {
				key, err := a.store.RotateKey(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				fmt.Fprintln(g.stdout, key)
				return nil
			})
		},
	}
	del := &cobra.Command{
		Use: "delete NAME", Short: "Delete a tenant with its gaps and links", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withApp(cmd.Context(), func(a *app) error {
				return a.store.DeleteTenant(cmd.Context(), args[0])
			})
		},
	}
	cmd.AddCommand(create, list, rotate, del)
	return cmd
}

func newGapsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "gaps", Short: "Import a tenant's log gaps and link them to notices"}
	var tenant string
	imp := &cobra.Command{
		Use:   "import --tenant NAME FILE",
		Short: "Import gaps from a CSV (source,product,start,end,note) or JSON file; all-or-nothing",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g.logLevel = slog.LevelWarn
			ctx := cmd.Context()
			body, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			a, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer a.close()
			t, err := a.store.TenantByName(ctx, tenant)
			if err != nil {
				return err
			}
			if err := a.openGaps(ctx); err != nil {
				return err
			}
			isJSON := strings.HasSuffix(strings.ToLower(args[0]), ".json")
			gs, err := a.gaps.Import(ctx, t, bytes.NewReader(body), !isJSON)
			if err != nil {
				return err
			}
			out, err := json.MarshalIndent(map[string]any{"gaps": gs}, "", "  ")
			if err != nil {
				return err
			}
			fmt.Fprintln(g.stdout, string(out))
			return nil
		},
	}
	imp.Flags().StringVar(&tenant, "tenant", "", "tenant name")
	_ = imp.MarkFlagRequired("tenant")
	cmd.AddCommand(imp)
	return cmd
}
