package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// keyPrefix marks gapwatch API keys so they are recognisable in secrets
// scanners and logs.
const keyPrefix = "gw_"

// newKey returns a fresh API key (256 random bits) and its hash.
func newKey() (key, hash string, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", fmt.Errorf("store: new key: %w", err)
	}
	key = keyPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return key, HashKey(key), nil
}

// HashKey is how API keys are stored: keys are 256-bit random, so a plain
// SHA-256 cannot be brute-forced, and lookups stay a single indexed read.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

const tenantCols = `id, name, email, timezone, created`

func scanTenant(r scanner) (notice.Tenant, error) {
	var t notice.Tenant
	var created int64
	if err := r.Scan(&t.ID, &t.Name, &t.Email, &t.Timezone, &created); err != nil {
		return t, err
	}
	t.Created = fromMS(created)
	return t, nil
}

// CreateTenant adds a tenant and returns its API key, which is shown once:
// only its hash is kept.
func (s *Store) CreateTenant(ctx context.Context, t notice.Tenant) (notice.Tenant, string, error) {
	if t.Timezone == "" {
		t.Timezone = "UTC"
	}
	if _, err := time.LoadLocation(t.Timezone); err != nil {
		return t, "", &notice.ParamError{Param: "timezone", Reason: fmt.Sprintf("unknown IANA zone %q", t.Timezone)}
	}
	if strings.TrimSpace(t.Name) == "" || len(t.Name) > 100 {
		return t, "", &notice.ParamError{Param: "name", Reason: "a tenant needs a name of 1 to 100 characters"}
	}
	key, hash, err := newKey()
	if err != nil {
		return t, "", err
	}
	t.Created = time.Now().UTC().Truncate(time.Millisecond)
	res, err := s.db.ExecContext(ctx, `INSERT INTO tenants (name, email, timezone, key_hash, created) VALUES (?, ?, ?, ?, ?)`,
		t.Name, t.Email, t.Timezone, hash, ms(t.Created))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return t, "", &notice.ParamError{Param: "name", Reason: fmt.Sprintf("a tenant named %q exists", t.Name)}
		}
		return t, "", fmt.Errorf("store: create tenant: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return t, "", fmt.Errorf("store: create tenant: %w", err)
	}
	t.ID = notice.TenantID(id)
	return t, key, nil
}

// Tenants lists tenants by name.
func (s *Store) Tenants(ctx context.Context) ([]notice.Tenant, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+tenantCols+` FROM tenants ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: tenants: %w", err)
	}
	defer rows.Close()
	var out []notice.Tenant
	for rows.Next() {
		t, err := scanTenant(rows)
		if err != nil {
			return nil, fmt.Errorf("store: tenants: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TenantByName returns a tenant, or notice.ErrNotFound.
func (s *Store) TenantByName(ctx context.Context, name string) (notice.Tenant, error) {
	t, err := scanTenant(s.db.QueryRowContext(ctx, `SELECT `+tenantCols+` FROM tenants WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("store: tenant %q: %w", name, notice.ErrNotFound)
	}
	return t, err
}

// TenantByKey returns the tenant an API key belongs to, or
// notice.ErrNotFound.
func (s *Store) TenantByKey(ctx context.Context, key string) (notice.Tenant, error) {
	st, err := s.stmt(ctx, `SELECT `+tenantCols+` FROM tenants WHERE key_hash = ?`)
	if err != nil {
		return notice.Tenant{}, err
	}
	t, err := scanTenant(st.QueryRowContext(ctx, HashKey(key)))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("store: tenant by key: %w", notice.ErrNotFound)
	}
	return t, err
}

// TenantKeyStamp returns the stored hash of a tenant's current API key, or
// notice.ErrNotFound. It changes whenever the key is rotated and differs
// between a deleted tenant and a new one that reuses its ID, so the web UI
// binds sign-in sessions to it and ends them when either happens.
func (s *Store) TenantKeyStamp(ctx context.Context, id notice.TenantID) (string, error) {
	var hash string
	err := s.db.QueryRowContext(ctx, `SELECT key_hash FROM tenants WHERE id = ?`, id).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: tenant %d: %w", id, notice.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("store: tenant key stamp: %w", err)
	}
	return hash, nil
}

// RotateKey gives a tenant a new API key; the old one stops working at once.
func (s *Store) RotateKey(ctx context.Context, name string) (string, error) {
	key, hash, err := newKey()
	if err != nil {
		return "", err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE tenants SET key_hash = ? WHERE name = ?`, hash, name)
	if err != nil {
		return "", fmt.Errorf("store: rotate key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", fmt.Errorf("store: tenant %q: %w", name, notice.ErrNotFound)
	}
	return key, nil
}

// DeleteTenant removes a tenant with its gaps, links and source map.
func (s *Store) DeleteTenant(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM tenants WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("store: delete tenant: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: tenant %q: %w", name, notice.ErrNotFound)
	}
	return nil
}

// SourceMap returns a tenant's own log source → product names.
func (s *Store) SourceMap(ctx context.Context, tenant notice.TenantID) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, product FROM source_map WHERE tenant_id = ?`, tenant)
	if err != nil {
		return nil, fmt.Errorf("store: source map: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var src, p string
		if err := rows.Scan(&src, &p); err != nil {
			return nil, fmt.Errorf("store: source map: %w", err)
		}
		out[src] = p
	}
	return out, rows.Err()
}

// SetSourceMap replaces a tenant's source map.
func (s *Store) SetSourceMap(ctx context.Context, tenant notice.TenantID, m map[string]string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM source_map WHERE tenant_id = ?`, tenant); err != nil {
			return fmt.Errorf("store: set source map: %w", err)
		}
		for src, p := range m {
			if _, err := tx.ExecContext(ctx, `INSERT INTO source_map (tenant_id, source, product) VALUES (?, ?, ?)`, tenant, src, p); err != nil {
				return fmt.Errorf("store: set source map: %w", err)
			}
		}
		return nil
	})
}

// TenantSettings returns a tenant's settings document (JSON).
func (s *Store) TenantSettings(ctx context.Context, tenant notice.TenantID) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT settings FROM tenants WHERE id = ?`, tenant).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: tenant %d: %w", tenant, notice.ErrNotFound)
	}
	return b, err
}

// SetTenantSettings replaces a tenant's settings document (JSON).
func (s *Store) SetTenantSettings(ctx context.Context, tenant notice.TenantID, settings []byte) error {
	_, err := s.db.ExecContext(ctx, `UPDATE tenants SET settings = ? WHERE id = ?`, settings, tenant)
	if err != nil {
		return fmt.Errorf("store: tenant settings: %w", err)
	}
	return nil
}
