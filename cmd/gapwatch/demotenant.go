package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/gapwatch/gapwatch/demo"
	"github.com/gapwatch/gapwatch/notice"
)

// demoTenant is the tenant `serve --demo` sets up with the bundled gaps.
const demoTenant = "demo"

// setupDemo gives the demo a tenant with the bundled gaps (linked to the
// demo notices) and an admin key, and prints both keys: the demo tenant's
// key is rotated at every start since keys are shown only once.
func (a *app) setupDemo(ctx context.Context, g *globals) error {
	if a.cfg.API.AdminKey == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		a.cfg.API.AdminKey = "demo-admin-" + hex.EncodeToString(b[:])
	}
	t, err := a.store.TenantByName(ctx, demoTenant)
	var key string
	switch {
	case errors.Is(err, notice.ErrNotFound):
		t, key, err = a.store.CreateTenant(ctx, notice.Tenant{Name: demoTenant, Email: "soc@demo.gapwatch.test", Timezone: "Europe/Paris"})
	case err == nil:
		key, err = a.store.RotateKey(ctx, demoTenant)
	}
	if err != nil {
		return fmt.Errorf("demo tenant: %w", err)
	}
	gs, err := a.gaps.Import(ctx, t, bytes.NewReader(demo.TenantGapsCSV()), true)
	if err != nil {
		return fmt.Errorf("demo gaps: %w", err)
	}
	fmt.Fprintf(g.stdout, "demo tenant %q: %d gaps; API key: %s\n", demoTenant, len(gs), key)
	fmt.Fprintf(g.stdout, "admin key: %s\n", a.cfg.API.AdminKey)
	return nil
}
