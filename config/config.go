package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gapwatch/gapwatch/notice"
)

// DefaultFile is read when --config is not given and the file exists.
const DefaultFile = "gapwatch.yaml"

// Config is the whole configuration.
type Config struct {
	// DataDir holds the SQLite database, the Bleve index and the outbox.
	DataDir string `yaml:"data_dir"`
	// Listen is the API's host:port.
	Listen  string        `yaml:"listen"`
	Crawler CrawlerConfig `yaml:"crawler"`
	// Catalog lists extra product catalog files merged over the built-in one.
	Catalog []string `yaml:"catalog"`
	// Sources replaces the built-in source list when set.
	Sources []SourceConfig `yaml:"sources"`
	API     APIConfig      `yaml:"api"`
	// SMTP and Digest configure the weekly digest emails.
	SMTP   SMTPConfig   `yaml:"smtp"`
	Digest DigestConfig `yaml:"digest"`
	// GCPercent is the Go garbage collector's target (GOGC) for
	// `gapwatch serve`, DefaultGCPercent unless set; the GOGC environment
	// variable wins. 100 is Go's own default.
	GCPercent int `yaml:"gc_percent"`

	file string
}

// DefaultGCPercent trades memory for latency: with Go's default of 100
// the collector ran so often under load that /api/v1/windows missed its
// p99 of 5 ms at 15,000 req/s (7.2 ms); at 400 it held it (4.5 ms), for a
// heap up to five times the live data instead of twice (docs/benchmarks.md).
const DefaultGCPercent = 400

// ApplyGC sets the collector's target from GCPercent unless the GOGC
// variable is set in env.
func (c *Config) ApplyGC(env []string) {
	for _, kv := range env {
		if strings.HasPrefix(kv, "GOGC=") {
			return
		}
	}
	debug.SetGCPercent(c.GCPercent)
}

// CrawlerConfig tunes fetching.
type CrawlerConfig struct {
	Workers      int           `yaml:"workers"`
	PerHost      int           `yaml:"per_host"`
	Timeout      time.Duration `yaml:"timeout"`
	MaxBody      ByteSize      `yaml:"max_body"`
	AllowPrivate bool          `yaml:"allow_private"`
	UserAgent    string        `yaml:"user_agent"`
}

// APIConfig configures access to the HTTP API.
type APIConfig struct {
	// PublicSearch leaves notice search open without a key (default true).
	PublicSearch *bool `yaml:"public_search"`
	// Rate and Burst are each API key's token bucket (requests/s).
	Rate  float64 `yaml:"rate"`
	Burst int     `yaml:"burst"`
	// AdminKey guards admin endpoints; it is a secret, so it comes only
	// from the environment (GAPWATCH_ADMIN_KEY), never from the file.
	AdminKey string `yaml:"-"`
}

// Public reports whether search is open without a key.
func (a APIConfig) Public() bool { return a.PublicSearch == nil || *a.PublicSearch }

// SourceConfig is one source entry. Enabled is a pointer so that an absent
// key means "enabled" while `enabled: false` disables.
type SourceConfig struct {
	Name         string            `yaml:"name"`
	Kind         notice.SourceKind `yaml:"kind"`
	URL          string            `yaml:"url"`
	Vendor       string            `yaml:"vendor"`
	Interval     time.Duration     `yaml:"interval"`
	Language     string            `yaml:"language"`
	Timezone     string            `yaml:"timezone"`
	Enabled      *bool             `yaml:"enabled"`
	FetchArticle bool              `yaml:"fetch_article"`
}

// Error is a configuration problem tied to a file and a key.
type Error struct {
	File, Key, Problem string
}

func (e *Error) Error() string {
	f := e.File
	if f == "" {
		f = "built-in defaults"
	}
	if e.Key == "" {
		return fmt.Sprintf("config %s: %s", f, e.Problem)
	}
	return fmt.Sprintf("config %s: %s: %s", f, e.Key, e.Problem)
}

// Load reads the configuration. An empty path reads DefaultFile when it
// exists and otherwise uses built-in defaults. Environment overrides from
// env (usually os.Environ) are applied before validation.
func Load(path string, env []string) (*Config, error) {
	cfg := &Config{}
	explicit := path != ""
	if !explicit {
		path = DefaultFile
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		cfg.file = path
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
			return nil, &Error{File: path, Problem: err.Error()}
		}
	case explicit || !errors.Is(err, os.ErrNotExist):
		return nil, &Error{File: path, Problem: err.Error()}
	}
	if err := applyEnv(cfg, env); err != nil {
		return nil, err
	}
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		switch {
		case !ok:
		case k == "GAPWATCH_ADMIN_KEY":
			cfg.API.AdminKey = v
		case k == "GAPWATCH_SMTP_PASSWORD":
			cfg.SMTP.Password = v
		case k == "GAPWATCH_DIGEST_SECRET":
			cfg.Digest.Secret = v
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// File returns the path the configuration was read from, or "".
func (c *Config) File() string { return c.file }

// Validate fills defaults and checks every section.
func (c *Config) Validate() error {
	if c.DataDir == "" {
		c.DataDir = "./data"
	}
	if c.Listen == "" {
		c.Listen = "127.0.0.1:8080"
	}
	if _, port, err := net.SplitHostPort(c.Listen); err != nil || port == "" {
		return &Error{File: c.file, Key: "listen", Problem: fmt.Sprintf("%q is not host:port (e.g. 127.0.0.1:8080)", c.Listen)}
	}
	if err := c.Crawler.validate(c.file); err != nil {
		return err
	}
	switch {
	case c.GCPercent == 0:
		c.GCPercent = DefaultGCPercent
	case c.GCPercent < 0:
		return &Error{File: c.file, Key: "gc_percent", Problem: "must be positive (Go's own default is 100)"}
	}
	if c.API.Rate < 0 || c.API.Burst < 0 {
		return &Error{File: c.file, Key: "api.rate", Problem: "rate and burst must not be negative"}
	}
	if c.API.AdminKey != "" && len(c.API.AdminKey) < 16 {
		return &Error{File: "environment", Key: "GAPWATCH_ADMIN_KEY", Problem: "use at least 16 characters"}
	}
	if err := c.SMTP.validate(c.file); err != nil {
		return err
	}
	if err := c.Digest.validate(c.file, c.Listen); err != nil {
		return err
	}
	if c.Sources == nil {
		def, err := DefaultSources()
		if err != nil {
			return err
		}
		c.Sources = def
	}
	seen := map[string]bool{}
	for i := range c.Sources {
		key := fmt.Sprintf("sources[%d]", i)
		if err := c.Sources[i].validate(); err != nil {
			return &Error{File: c.file, Key: key + "." + err.Key, Problem: err.Problem}
		}
		if seen[c.Sources[i].Name] {
			return &Error{File: c.file, Key: key + ".name", Problem: fmt.Sprintf("duplicate source name %q", c.Sources[i].Name)}
		}
		seen[c.Sources[i].Name] = true
	}
	return nil
}

func (cc *CrawlerConfig) validate(file string) error {
	def := func(v *int, d int, key string) error {
		if *v == 0 {
			*v = d
		}
		if *v < 0 {
			return &Error{File: file, Key: "crawler." + key, Problem: "must be positive"}
		}
		return nil
	}
	if err := def(&cc.Workers, 16, "workers"); err != nil {
		return err
	}
	if err := def(&cc.PerHost, 2, "per_host"); err != nil {
		return err
	}
	if cc.Timeout == 0 {
		cc.Timeout = 20 * time.Second
	}
	if cc.Timeout < 0 {
		return &Error{File: file, Key: "crawler.timeout", Problem: "must be positive"}
	}
	if cc.MaxBody == 0 {
		cc.MaxBody = 10 << 20
	}
	if cc.MaxBody < 0 {
		return &Error{File: file, Key: "crawler.max_body", Problem: "must be positive"}
	}
	return nil
}

// Source converts the entry to the domain type.
func (sc SourceConfig) Source() notice.Source {
	enabled := sc.Enabled == nil || *sc.Enabled
	return notice.Source{Name: sc.Name, Kind: sc.Kind, URL: sc.URL, Vendor: sc.Vendor,
		Language: sc.Language, Timezone: sc.Timezone, Interval: sc.Interval,
		Enabled: enabled, FetchArticle: sc.FetchArticle}
}

// DomainSources returns the configured sources as domain values.
func (c *Config) DomainSources() []notice.Source {
	out := make([]notice.Source, len(c.Sources))
	for i, sc := range c.Sources {
		out[i] = sc.Source()
	}
	return out
}
