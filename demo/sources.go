package demo

import (
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// sourceInterval is how often the demo sources are checked; the data never
// changes, so the crawler's conditional GETs will mostly see 304s.
const sourceInterval = 5 * time.Minute

// sourceSpec describes one demo source relative to the world's base URL.
type sourceSpec struct {
	name     string
	kind     notice.SourceKind
	path     string // URL path on the world server; the page base for Statuspage
	vendor   string // empty for news feeds
	language string
	timezone string
	article  bool // news feed whose items carry only a summary
}

// sourceSpecs lists the demo sources: one per feed under world/.
func sourceSpecs() []sourceSpec {
	return []sourceSpec{
		{name: "demo-aws", kind: notice.KindFeed, path: "/status/aws/rss/all.rss", vendor: "AWS", language: "en", timezone: "America/Los_Angeles"},
		{name: "demo-azure", kind: notice.KindFeed, path: "/status/azure/feed.rss", vendor: "Microsoft", language: "en", timezone: "Etc/UTC"},
		{name: "demo-okta", kind: notice.KindFeed, path: "/status/okta/feed.json", vendor: "Okta", language: "en", timezone: "America/Los_Angeles"},
		{name: "demo-github", kind: notice.KindStatuspage, path: "/statuspage/github", vendor: "GitHub", language: "en", timezone: "Etc/UTC"},
		{name: "demo-datadog", kind: notice.KindStatuspage, path: "/statuspage/datadog", vendor: "Datadog", language: "en", timezone: "America/New_York"},
		{name: "demo-scaleway", kind: notice.KindFeed, path: "/statuspage/scaleway/history.rss", vendor: "Scaleway", language: "en", timezone: "Europe/Paris"},
		{name: "demo-atlassian", kind: notice.KindFeed, path: "/statuspage/atlassian/history.atom", vendor: "Atlassian", language: "en", timezone: "Etc/UTC"},
		{name: "demo-gcp", kind: notice.KindGCP, path: "/gcp/incidents.json", vendor: "Google Cloud", language: "en", timezone: "America/Los_Angeles"},
		{name: "demo-cloudflare-blog", kind: notice.KindFeed, path: "/blog/cloudflare/feed.atom", vendor: "Cloudflare", language: "en", timezone: "Etc/UTC"},
		{name: "demo-securitywire", kind: notice.KindFeed, path: "/news/securitywire/feed.rss", language: "en", timezone: "America/New_York", article: true},
		{name: "demo-byteregister", kind: notice.KindFeed, path: "/news/byteregister/headlines.atom", language: "en", timezone: "Europe/London", article: true},
		{name: "demo-lemagsecu", kind: notice.KindFeed, path: "/news/lemagsecu/rss/actualites.xml", language: "fr", timezone: "Europe/Paris", article: true},
		{name: "demo-actusecu", kind: notice.KindFeed, path: "/news/actusecu/actualites.xml", language: "fr", timezone: "Europe/Paris", article: true},
	}
}

// sources returns the demo sources with absolute URLs on base.
func sources(base string) []notice.Source {
	specs := sourceSpecs()
	out := make([]notice.Source, 0, len(specs))
	for _, s := range specs {
		out = append(out, notice.Source{
			Name:         s.name,
			Kind:         s.kind,
			URL:          base + s.path,
			Vendor:       s.vendor,
			Language:     s.language,
			Timezone:     s.timezone,
			Interval:     sourceInterval,
			Enabled:      true,
			FetchArticle: s.article,
		})
	}
	return out
}
