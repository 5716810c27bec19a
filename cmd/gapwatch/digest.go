package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/digest"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

// The SQLite store is what the digest service reads and records; the
// assertion sits here, where both are wired, because store does not import
// digest.
var _ digest.Store = (*store.Store)(nil)

// catalogNames resolves subscription names through the product catalog.
type catalogNames struct{ c *extract.Catalog }

func (n catalogNames) Product(s string) (string, bool) {
	p, ok := n.c.Lookup(s)
	return p.Name, ok
}

func (n catalogNames) Vendor(s string) (string, bool) { return n.c.CanonicalVendor(s) }

// openDigest wires the digest service: SMTP when configured, else .eml
// files in data_dir/outbox; the unsubscribe key from the environment or
// data_dir/digest.key.
func (a *app) openDigest() (*digest.Service, error) {
	key, err := digest.LoadOrCreateKey(a.cfg.Digest.Secret, filepath.Join(a.cfg.DataDir, "digest.key"))
	if err != nil {
		return nil, err
	}
	signer, err := digest.NewSigner(key)
	if err != nil {
		return nil, err
	}
	var sender digest.Sender = digest.Outbox{Dir: filepath.Join(a.cfg.DataDir, "outbox")}
	from := "gapwatch@localhost"
	if s := a.cfg.SMTP; s.Enabled() {
		sender = digest.NewSMTPSender(digest.SMTPConfig{Host: s.Host, Port: s.Port, TLS: s.TLS, User: s.User, Password: s.Password})
		from = s.From
	}
	return digest.NewService(digest.Options{Store: a.store, Sender: sender, Signer: signer,
		Resolver: catalogNames{a.extractor.Catalog()}, From: from, BaseURL: a.cfg.Digest.BaseURL, Logger: a.log, Settle: digest.DefaultSettle,
		Observe: func(outcome string) { a.metrics.Digests.WithLabelValues(outcome).Inc() }})
}

func newDigestCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "digest", Short: "Preview, send and follow the weekly digest emails"}
	var tenant string
	var html bool
	withTenant := func(run func(ctx context.Context, a *app, svc *digest.Service, t notice.Tenant) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, _ []string) error {
			g.logLevel = slog.LevelWarn
			ctx := cmd.Context()
			a, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer a.close()
			svc, err := a.openDigest()
			if err != nil {
				return err
			}
			t, err := a.store.TenantByName(ctx, tenant)
			if err != nil {
				return err
			}
			return run(ctx, a, svc, t)
		}
	}
	preview := &cobra.Command{
		Use: "preview --tenant NAME [--html]", Short: "Print the tenant's next digest (text, or HTML) without sending or recording it",
		Args: cobra.NoArgs,
		RunE: withTenant(func(ctx context.Context, _ *app, svc *digest.Service, t notice.Tenant) error {
			d, r, err := svc.Preview(ctx, t)
			if err != nil {
				return err
			}
			if d.Empty() {
				fmt.Fprintln(g.stderr, "nothing changed since the last digest: none would be sent unless all_quiet is set")
			}
			fmt.Fprintf(g.stderr, "Subject: %s\n", r.Subject)
			if html {
				fmt.Fprint(g.stdout, r.HTML)
			} else {
				fmt.Fprint(g.stdout, r.Text)
			}
			return nil
		}),
	}
	preview.Flags().BoolVar(&html, "html", false, "print the HTML part instead of the text")
	send := &cobra.Command{
		Use: "send --tenant NAME", Short: "Send the tenant's digest now (for the period since its last one) and record it",
		Args: cobra.NoArgs,
		RunE: withTenant(func(ctx context.Context, a *app, svc *digest.Service, t notice.Tenant) error {
			rec, err := svc.SendNow(ctx, t)
			if err != nil {
				return err
			}
			where := "via " + a.cfg.SMTP.Host
			if !a.cfg.SMTP.Enabled() {
				where = "to " + filepath.Join(a.cfg.DataDir, "outbox")
			}
			fmt.Fprintf(g.stdout, "sent %q %s\n", rec.Subject, where)
			return nil
		}),
	}
	for _, c := range []*cobra.Command{preview, send} {
		c.Flags().StringVar(&tenant, "tenant", "", "tenant name")
		_ = c.MarkFlagRequired("tenant")
	}
	cmd.AddCommand(preview, send, newDigestStatusCmd(g))
	return cmd
}

func newDigestStatusCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: "status", Short: "Each tenant's digest schedule, next send time and last period (state, attempts, last error)",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g.logLevel = slog.LevelWarn
			ctx := cmd.Context()
			a, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer a.close()
			rows, err := digestStatus(ctx, a, time.Now())
			if err != nil {
				return err
			}
			if asJSON {
				b, err := json.MarshalIndent(map[string]any{"digests": rows}, "", "  ")
				if err != nil {
					return err
				}
				fmt.Fprintln(g.stdout, string(b))
				return nil
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TENANT\tENABLED\tSCHEDULE\tNEXT\tLAST PERIOD END\tSTATE\tATTEMPTS\tLAST ERROR")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%v\t%s\t%s\t%s\t%s\t%d\t%s\n", r.Tenant, r.Enabled, r.Schedule, fmtTime(r.Next),
					fmtTime(r.Last.End), orDash(string(r.Last.State)), r.Last.Attempts, orDash(r.Last.LastError))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// digestStatusRow is one tenant's line of `gapwatch digest status`.
type digestStatusRow struct {
	Tenant   string              `json:"tenant"`
	Enabled  bool                `json:"enabled"`
	Schedule string              `json:"schedule"`
	Next     time.Time           `json:"next_send"`
	Last     notice.DigestRecord `json:"last"`
}

func digestStatus(ctx context.Context, a *app, now time.Time) ([]digestStatusRow, error) {
	ts, err := a.store.Tenants(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]digestStatusRow, 0, len(ts))
	for _, t := range ts {
		sub, err := a.store.Subscription(ctx, t)
		if err != nil {
			return nil, err
		}
		loc := digest.Location(t, sub)
		r := digestStatusRow{Tenant: t.Name, Enabled: sub.Enabled,
			Schedule: fmt.Sprintf("%s %02d:00 %s", sub.Weekday, sub.Hour, loc)}
		if sub.Enabled {
			r.Next = digest.NextSlot(now, sub.Weekday, sub.Hour, loc)
		}
		r.Last, err = a.store.LastDigest(ctx, t.ID)
		if err != nil && !errors.Is(err, notice.ErrNotFound) {
			return nil, err
		}
		if r.Last.State == notice.DigestStateFailed {
			r.Next = r.Last.NextAttempt
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
