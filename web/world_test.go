package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/gaps"
	"github.com/gapwatch/gapwatch/index"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
	"github.com/gapwatch/gapwatch/web"
)

const adminKey = "test-admin-key-0123456789abcdef"

// sessionKey signs the test worlds' sessions, so that a second server
// over the same store accepts the first one's cookies.
const sessionKey = "test-session-key-0123456789abcdef-0123"

// world is a running gapwatch (API and UI) over a real store, index and
// gap service, loaded with the fixture notices and two tenants.
type world struct {
	srv        *httptest.Server
	st         *store.Store
	deps       api.Deps
	keyA, keyB string
	tenantB    notice.Tenant
	ids        map[string]notice.ID // notice IDs by item ID
}

// worldConfig varies a test world: the API's access settings, and
// wrappers around the store as the UI sees it (to inject failures).
type worldConfig struct {
	access  func(*api.Access)
	store   func(api.Store) api.Store
	tenants func(*store.Store) api.TenantStore
}

// fixture is one notice of testdata/*.json.
type fixture struct {
	Item       notice.Item       `json:"item"`
	Extraction notice.Extraction `json:"extraction"`
}

func loadFixtures(t *testing.T, name string) []fixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var fs []fixture
	if err := json.Unmarshal(b, &fs); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return fs
}

// save stores fixtures as crawled items, one crawl each, so a repeated
// item ID becomes a new version.
func save(t *testing.T, st *store.Store, fs []fixture, at time.Time) {
	t.Helper()
	for _, f := range fs {
		it := f.Item
		it.Source = "s"
		ex := f.Extraction
		ex.Version = "test-1"
		rec := notice.CrawlRecord{Source: "s", At: at, Outcome: notice.OutcomeOK,
			Items: []notice.StoredItem{{Item: it, Hash: it.Hash(), Extraction: ex, Extracted: true}}}
		if _, err := st.SaveCrawl(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
	}
}

// newWorld builds the test world, with extra notices if given, and serves
// it on loopback.
func newWorld(t *testing.T, extra ...fixture) *world {
	t.Helper()
	return newWorldWith(t, worldConfig{}, extra...)
}

// newWorldWith is newWorld with a configuration.
func newWorldWith(t *testing.T, cfg worldConfig, extra ...fixture) *world {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	src := notice.Source{Name: "s", Kind: notice.KindFeed, URL: "https://s.example.test/feed", Interval: time.Minute, Enabled: true, Vendor: ""}
	if err := st.SyncSources(ctx, []notice.Source{src}); err != nil {
		t.Fatal(err)
	}
	save(t, st, loadFixtures(t, "notices.json"), time.Date(2025, 3, 10, 8, 5, 0, 0, time.UTC))
	save(t, st, loadFixtures(t, "revisions.json"), time.Date(2025, 3, 10, 9, 30, 0, 0, time.UTC))
	save(t, st, extra, time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC))
	ix, err := index.Open(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	cat, err := extract.DefaultCatalog()
	if err != nil {
		t.Fatal(err)
	}
	win := index.NewWindows()
	svc := gaps.NewService(st, win, cat, nil)
	f := index.NewFollower(ix, win, st, nil, nil)
	f.OnChange(svc.NoticesChanged)
	if err := f.Start(ctx, nil); err != nil {
		t.Fatal(err)
	}
	w := &world{st: st, ids: map[string]notice.ID{}}
	if _, w.keyA, err = st.CreateTenant(ctx, notice.Tenant{Name: "acme", Timezone: "Europe/Paris"}); err != nil {
		t.Fatal(err)
	}
	if w.tenantB, w.keyB, err = st.CreateTenant(ctx, notice.Tenant{Name: "globex"}); err != nil {
		t.Fatal(err)
	}
	bGaps := "source,product,start,end,note\nCloudTrail,AWS CloudTrail,2024-06-04T07:00:00Z,2024-06-04T07:30:00Z,globex trail\n"
	if _, err := svc.Import(ctx, w.tenantB, strings.NewReader(bGaps), true); err != nil {
		t.Fatal(err)
	}
	err = st.EachNotice(ctx, func(n notice.Notice) error {
		w.ids[n.Item.ItemID] = n.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w.deps = api.Deps{Store: st, Search: ix, Windows: win, Catalog: cat, Tenants: st, Gaps: svc,
		Access: api.Access{AdminKey: adminKey}}
	if cfg.access != nil {
		cfg.access(&w.deps.Access)
	}
	if cfg.store != nil {
		w.deps.Store = cfg.store(st)
	}
	if cfg.tenants != nil {
		w.deps.Tenants = cfg.tenants(st)
	}
	w.srv = w.serve(t, w.deps)
	return w
}

// serve starts another server (API and UI) over deps, with the world's
// session key.
func (w *world) serve(t *testing.T, deps api.Deps) *httptest.Server {
	t.Helper()
	r := api.New(deps)
	if err := web.Register(r, deps, web.Options{SessionKey: []byte(sessionKey)}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

// client is a cookie-keeping visitor that does not follow redirects.
type client struct {
	w *world
	c *http.Client
}

func (w *world) client() *client {
	j, err := cookiejar.New(nil) // it sends Secure cookies to loopback, as browsers do
	if err != nil {
		panic(err)
	}
	return &client{w: w, c: &http.Client{Jar: j,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is a fetched page.
type response struct {
	status int
	header http.Header
	body   string
}

func (c *client) do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (c *client) get(t *testing.T, path string) response {
	t.Helper()
	return c.getFrom(t, c.w.srv, path)
}

// getFrom fetches path from another server of the world; the cookie jar
// keys cookies by host, not port, so the client's session goes along.
func (c *client) getFrom(t *testing.T, srv *httptest.Server, path string) response {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	return c.do(t, req)
}

func (c *client) post(t *testing.T, path string, form url.Values) response {
	t.Helper()
	req, _ := http.NewRequest("POST", c.w.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(t, req)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the form token from a page the client fetches.
func (c *client) csrf(t *testing.T, path string) string {
	t.Helper()
	p := c.get(t, path)
	m := csrfRe.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no CSRF token on %s (%d)", path, p.status)
	}
	return m[1]
}

// signIn signs the client in with key and checks the redirect.
func (c *client) signIn(t *testing.T, key string) {
	t.Helper()
	tok := c.csrf(t, "/signin")
	p := c.post(t, "/signin", url.Values{"csrf": {tok}, "key": {key}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d %s", p.status, p.body)
	}
}
