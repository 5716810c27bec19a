package config

import (
	_ "embed"
	"fmt"
	"net/url"
	"regexp"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gapwatch/gapwatch/notice"
)

//go:embed default_sources.yaml
var defaultSourcesYAML []byte

// DefaultSources returns the built-in list of real public vendor status
// feeds and security news feeds used when the configuration names none.
func DefaultSources() ([]SourceConfig, error) {
	var doc struct {
		Sources []SourceConfig `yaml:"sources"`
	}
	if err := yaml.Unmarshal(defaultSourcesYAML, &doc); err != nil {
		return nil, &Error{File: "default_sources.yaml", Problem: err.Error()}
	}
	return doc.Sources, nil
}

var sourceName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

func (sc *SourceConfig) validate() *Error {
	switch {
	case !sourceName.MatchString(sc.Name):
		return &Error{Key: "name", Problem: fmt.Sprintf("%q must be 1-64 lower-case letters, digits, '.', '_' or '-'", sc.Name)}
	case !sc.Kind.Valid():
		return &Error{Key: "kind", Problem: fmt.Sprintf("unknown kind %q (want feed, statuspage or gcp)", sc.Kind)}
	}
	u, err := url.Parse(sc.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &Error{Key: "url", Problem: fmt.Sprintf("%q is not an absolute http(s) URL", sc.URL)}
	}
	if sc.Interval == 0 {
		sc.Interval = 5 * time.Minute
		if sc.Vendor == "" {
			sc.Interval = 30 * time.Minute
		}
	}
	if sc.Interval < 30*time.Second {
		return &Error{Key: "interval", Problem: fmt.Sprintf("%s is shorter than the 30s minimum (be polite to vendors)", sc.Interval)}
	}
	if sc.Timezone != "" {
		if _, err := time.LoadLocation(sc.Timezone); err != nil {
			return &Error{Key: "timezone", Problem: fmt.Sprintf("unknown IANA time zone %q", sc.Timezone)}
		}
	}
	if sc.Kind != notice.KindFeed && sc.FetchArticle {
		return &Error{Key: "fetch_article", Problem: "only feed sources link to articles"}
	}
	return nil
}
