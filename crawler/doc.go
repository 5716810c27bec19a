// Package crawler turns vendor sources into stored notices: it fetches
// (conditional GET, body caps, timeouts, per-host politeness, an SSRF guard
// at dial time), parses each format (feeds, Statuspage API v2, Google Cloud
// incidents.json) into domain items, runs extraction on what changed, and
// saves each source's crawl atomically together with its fetch state.
package crawler
