// Package web serves gapwatch's browser UI next to the HTTP API: notice
// search with facets and highlights, a notice's page with its versions,
// evidence and a server-drawn SVG timeline of its affected windows, a
// tenant's gaps on a timeline with the vendor windows that explain them, a
// gap CSV upload, and the sources' crawl state for the admin.
//
// Pages are rendered with html/template (so all notice text, which comes
// from the internet, is escaped) and work without JavaScript; a small
// embedded script only rewrites dates into the viewer's zone and submits
// facet checkbox changes at once. Every page, error pages included, is sent
// with a Content-Security-Policy that forbids inline scripts and styles.
// Sign-in takes a tenant's API key (or the admin key), checks it the way
// the API does and keeps a signed, HttpOnly, SameSite=Strict session
// cookie bound to that credential: rotating the key, deleting the tenant
// or changing the admin key ends the session. Every form carries a CSRF
// token tied to the session. When the API's search is private, so are the
// search and notice pages.
package web
