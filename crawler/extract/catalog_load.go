package extract

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// catalogFS holds the built-in product catalog, one YAML file per vendor
// family, so that adding a product is a data change, not a code change.
//
//go:embed catalog/*.yaml
var catalogFS embed.FS

// catalogFile is the YAML layout of a catalog file.
type catalogFile struct {
	Vendors []vendorEntry `yaml:"vendors"`
}

// vendorEntry is a vendor as written in a catalog file.
type vendorEntry struct {
	Name     string         `yaml:"name"`
	Aliases  []string       `yaml:"aliases"`
	Company  string         `yaml:"company"`
	Platform string         `yaml:"platform"`
	Products []productEntry `yaml:"products"`
	// origin is the file that last changed the entry, for error messages.
	origin string
}

// productEntry is a product as written in a catalog file.
type productEntry struct {
	Name       string   `yaml:"name"`
	Family     string   `yaml:"family"`
	Aliases    []string `yaml:"aliases"`
	Former     []string `yaml:"former"`
	Ambiguous  []string `yaml:"ambiguous"`
	LogSources []string `yaml:"log_sources"`
	Platform   bool     `yaml:"platform"`
	Incidental bool     `yaml:"incidental"`
	// origin is the file the entry (or its last override) came from, for
	// error messages.
	origin string
}

// DefaultCatalog parses the embedded catalog. Parsing and compiling the
// matcher take tens of milliseconds, so callers build one Catalog and keep
// it; a Catalog is safe for concurrent use.
func DefaultCatalog() (*Catalog, error) {
	return LoadCatalog()
}

// LoadCatalog parses the embedded catalog and merges the given user files
// over it, in order. A file has the embedded files' layout:
//
//	vendors:
//	  - name: Acme Cloud            # canonical vendor name
//	    aliases: [Acme]             # other names of the vendor
//	    company: Acme Group         # vendors of one owner give each other context
//	    platform: Acme Platform     # reported when no product is named
//	    products:
//	      - name: Acme Object Store
//	        aliases: [AOS]
//	        former: [Acme Buckets]
//	        ambiguous: [Buckets]    # count only with Acme named nearby
//	        family: Acme Platform
//	        log_sources: [AcmeStoreAudit_CL]
//	        platform: false         # the vendor's umbrella offering
//	        incidental: false       # status page, support portal…
//
// A user vendor whose name or alias matches an existing vendor adds its
// aliases and products to it; a user product whose name matches an existing
// product of that vendor replaces each list and text field the user sets
// (flags can only be turned on). The merged catalog is validated: errors
// name the file and entry and wrap notice.ErrInvalid.
func LoadCatalog(extraFiles ...string) (*Catalog, error) {
	var merged []vendorEntry
	names, err := fs.Glob(catalogFS, "catalog/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("extract: catalog: %w", err)
	}
	sort.Strings(names)
	for _, n := range names {
		data, err := catalogFS.ReadFile(n)
		if err != nil {
			return nil, fmt.Errorf("extract: catalog %s: %w", n, err)
		}
		if merged, err = mergeFile(merged, n, data); err != nil {
			return nil, err
		}
	}
	for _, n := range extraFiles {
		data, err := os.ReadFile(n)
		if err != nil {
			return nil, fmt.Errorf("extract: catalog %s: %w", n, err)
		}
		if merged, err = mergeFile(merged, n, data); err != nil {
			return nil, err
		}
	}
	return newCatalog(merged)
}

// mergeFile parses one catalog file and merges it into vs.
func mergeFile(vs []vendorEntry, name string, data []byte) ([]vendorEntry, error) {
	var f catalogFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("extract: catalog %s: %w", name, err)
	}
	if len(f.Vendors) == 0 {
		return nil, fmt.Errorf("extract: catalog %s: no vendors", name)
	}
	for i, v := range f.Vendors {
		if strings.TrimSpace(v.Name) == "" {
			return nil, fmt.Errorf("extract: catalog %s: vendor #%d has no name", name, i+1)
		}
		v.origin = name
		for j := range v.Products {
			v.Products[j].origin = name
		}
		k := findVendorEntry(vs, v)
		if k < 0 {
			vs = append(vs, v)
			continue
		}
		vs[k] = mergeVendor(vs[k], v)
	}
	return vs, nil
}

// findVendorEntry returns the index of the entry in vs whose name or alias
// matches v's name or an alias, or -1.
func findVendorEntry(vs []vendorEntry, v vendorEntry) int {
	keys := map[string]bool{foldString(v.Name): true}
	for _, a := range v.Aliases {
		keys[foldString(a)] = true
	}
	for i, e := range vs {
		if keys[foldString(e.Name)] {
			return i
		}
		for _, a := range e.Aliases {
			if keys[foldString(a)] {
				return i
			}
		}
	}
	return -1
}

// mergeVendor merges the user entry u over the existing entry e.
func mergeVendor(e, u vendorEntry) vendorEntry {
	e.Aliases = appendNew(e.Aliases, u.Aliases...)
	if u.Name != e.Name {
		e.Aliases = appendNew(e.Aliases, u.Name)
	}
	if u.Company != "" {
		e.Company = u.Company
	}
	e.origin = u.origin
	if u.Platform != "" {
		e.Platform = u.Platform
	}
	e.Products = slices.Clone(e.Products)
	for _, p := range u.Products {
		i := slices.IndexFunc(e.Products, func(q productEntry) bool { return foldString(q.Name) == foldString(p.Name) })
		if i < 0 {
			e.Products = append(e.Products, p)
			continue
		}
		e.Products[i] = overrideProduct(e.Products[i], p)
	}
	return e
}

// overrideProduct replaces each field of e that u sets.
func overrideProduct(e, u productEntry) productEntry {
	if u.Family != "" {
		e.Family = u.Family
	}
	for _, f := range []struct{ dst, src *[]string }{
		{&e.Aliases, &u.Aliases}, {&e.Former, &u.Former}, {&e.Ambiguous, &u.Ambiguous}, {&e.LogSources, &u.LogSources},
	} {
		if len(*f.src) > 0 {
			*f.dst = *f.src
		}
	}
	e.Platform = e.Platform || u.Platform
	e.Incidental = e.Incidental || u.Incidental
	e.origin = u.origin
	return e
}

// appendNew appends the items of add not already in s (folded).
func appendNew(s []string, add ...string) []string {
	for _, a := range add {
		if !slices.ContainsFunc(s, func(x string) bool { return foldString(x) == foldString(a) }) {
			s = append(s, a)
		}
	}
	return s
}
