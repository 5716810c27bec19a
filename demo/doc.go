// Package demo serves gapwatch's bundled offline "vendor world": a loopback
// HTTP server with sample vendor status feeds (RSS, Atom, JSON Feed,
// Statuspage API v2, Statuspage history feeds, Google Cloud incidents.json),
// English and French security news feeds with full article pages, and a demo
// tenant's log gaps that those notices explain.
//
// `gapwatch serve --demo` starts a World, configures its Sources and crawls
// them with the real crawler, so a newcomer sees notices within seconds
// without network access. The notices are illustrative: they are written in
// the style of real vendor communications and news, and some describe real
// incidents, but they are not the vendors' or publishers' own text and some
// details are invented.
//
// The data lives in world/ and is embedded in the binary. Files are served
// at their path under world/, with three rules: "{{WORLD}}" in a file is
// replaced by the server's base URL (so every link stays on the server);
// names starting with "_" are not served, and an HTML file is wrapped in the
// nearest _layout.html above it (site chrome for the readability
// extractor to strip); an extensionless URL is served from the same path
// plus ".html", and a URL ending in "/" from its index.html.
package demo
