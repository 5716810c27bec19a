package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/gaps"
	"github.com/gapwatch/gapwatch/index"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

const adminKey = "test-admin-key-0123456789"

// tenantEnv is a server with the fixture notices, gap linking wired as in
// serve, and two tenants.
type tenantEnv struct {
	srv        *httptest.Server
	st         *store.Store
	follower   *index.Follower
	keyA, keyB string
}

func newTenantEnv(t *testing.T, access api.Access) *tenantEnv {
	t.Helper()
	e := newEnv(t)
	ctx := context.Background()
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	cat, _ := extract.DefaultCatalog()
	win := index.NewWindows()
	svc := gaps.NewService(e.store, win, cat, nil)
	f := index.NewFollower(ix, win, e.store, nil, nil)
	f.OnChange(svc.NoticesChanged)
	if err := f.Start(ctx, nil); err != nil {
		t.Fatal(err)
	}
	te := &tenantEnv{st: e.store, follower: f}
	if _, te.keyA, err = e.store.CreateTenant(ctx, notice.Tenant{Name: "acme", Timezone: "Europe/Paris"}); err != nil {
		t.Fatal(err)
	}
	if _, te.keyB, err = e.store.CreateTenant(ctx, notice.Tenant{Name: "globex"}); err != nil {
		t.Fatal(err)
	}
	if access.AdminKey == "" {
		access.AdminKey = adminKey
	}
	te.srv = httptest.NewServer(api.New(api.Deps{Store: e.store, Search: ix, Windows: win, Catalog: cat,
		Tenants: e.store, Gaps: svc, Access: access}))
	t.Cleanup(te.srv.Close)
	return te
}

func (te *tenantEnv) do(t *testing.T, method, path, key, ctype, body string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, te.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

const seedCSV = "source,product,start,end,note\nSigninLogs,,2024-09-03 00:00,2024-09-18 00:00,hole in sign-ins\n"

func TestSeedCaseLinkedAndIsolated(t *testing.T) {
	te := newTenantEnv(t, api.Access{})
	code, body, _ := te.do(t, "POST", "/api/v1/gaps", te.keyA, "text/csv", seedCSV)
	if code != 201 {
		t.Fatalf("import: %d %s", code, body)
	}
	var imp api.GapsResponse
	json.Unmarshal(body, &imp)
	if len(imp.Gaps) != 1 || imp.Gaps[0].Product != "Microsoft Entra ID" {
		t.Fatalf("imported %+v", imp.Gaps)
	}
	id := imp.Gaps[0].ID
	path := "/api/v1/gaps/" + itoa(int64(id))
	code, body, _ = te.do(t, "GET", path, te.keyA, "", "")
	var got struct {
		Gap   notice.Gap    `json:"gap"`
		Links []notice.Link `json:"links"`
	}
	json.Unmarshal(body, &got)
	if code != 200 || len(got.Links) == 0 {
		t.Fatalf("gap: %d %s", code, body)
	}
	best := got.Links[0]
	if best.Match != notice.MatchExact || best.Coverage < 0.999 || best.Explanation == "" || best.FirstLinked.IsZero() {
		t.Fatalf("best link %+v", best)
	}
	// Every tenant endpoint, probed with the other tenant's key.
	for _, p := range []struct{ method, path string }{{"GET", path}, {"DELETE", path}} {
		if code, _, _ := te.do(t, p.method, p.path, te.keyB, "", ""); code != 404 {
			t.Fatalf("%s %s with tenant B: %d, want 404", p.method, p.path, code)
		}
	}
	if code, body, _ := te.do(t, "GET", "/api/v1/gaps", te.keyB, "", ""); code != 200 || strings.Contains(string(body), "SigninLogs") {
		t.Fatalf("tenant B lists A's gaps: %s", body)
	}
	code, body, _ = te.do(t, "GET", "/api/v1/notices/"+itoa(int64(best.Notice)), te.keyB, "", "")
	if code != 200 || strings.Contains(string(body), "linked_gaps") {
		t.Fatalf("tenant B sees A's links on the notice: %s", body)
	}
	code, body, _ = te.do(t, "GET", "/api/v1/notices/"+itoa(int64(best.Notice)), te.keyA, "", "")
	if code != 200 || !strings.Contains(string(body), "linked_gaps") {
		t.Fatalf("tenant A does not see its links on the notice: %s", body)
	}
	if code, body, _ := te.do(t, "GET", "/api/v1/source-map", te.keyB, "", ""); code != 200 || strings.Contains(string(body), "Signin") {
		t.Fatalf("source map: %s", body)
	}
	// Unexplained filter.
	if _, body, _ := te.do(t, "GET", "/api/v1/gaps?explained=false", te.keyA, "", ""); strings.Contains(string(body), "SigninLogs") {
		t.Fatalf("explained gap listed as unexplained: %s", body)
	}
	if code, _, _ := te.do(t, "DELETE", path, te.keyA, "", ""); code != 204 {
		t.Fatalf("delete own gap: %d", code)
	}
}

func TestGapImportRejectsBadRows(t *testing.T) {
	te := newTenantEnv(t, api.Access{})
	csv := "source,product,start,end,note\nSigninLogs,,2024-09-03 00:00,2024-09-01 00:00,backwards\n,,2024-09-03 00:00,2024-09-04 00:00,no source\nAuditLogs,,yesterday,2024-09-04 00:00,bad time\nAuditLogs,,2024-09-05 00:00,2024-09-06 00:00,good\n"
	code, body, _ := te.do(t, "POST", "/api/v1/gaps", te.keyA, "text/csv", csv)
	if code != 400 || !strings.Contains(string(body), `"line":2`) || !strings.Contains(string(body), `"line":3`) || !strings.Contains(string(body), `"line":4`) {
		t.Fatalf("bad rows: %d %s", code, body)
	}
	if _, body, _ := te.do(t, "GET", "/api/v1/gaps", te.keyA, "", ""); strings.Contains(string(body), "AuditLogs") {
		t.Fatalf("a rejected import stored rows: %s", body)
	}
	if code, _, _ := te.do(t, "POST", "/api/v1/gaps", te.keyA, "application/xml", "<x/>"); code != 415 {
		t.Fatalf("xml: %d", code)
	}
}

func TestAuthAdminAndKeys(t *testing.T) {
	te := newTenantEnv(t, api.Access{PrivateSearch: true, Rate: 1, Burst: 3})
	if code, _, h := te.do(t, "GET", "/api/v1/gaps", "", "", ""); code != 401 || h.Get("WWW-Authenticate") == "" {
		t.Fatalf("no key: %d", code)
	}
	if code, _, _ := te.do(t, "GET", "/api/v1/gaps", "gw_wrong", "", ""); code != 401 {
		t.Fatalf("bad key: %d", code)
	}
	if code, _, _ := te.do(t, "GET", "/api/v1/notices", "", "", ""); code != 401 {
		t.Fatalf("private search without key: %d", code)
	}
	if code, _, _ := te.do(t, "GET", "/api/v1/sources", te.keyA, "", ""); code != 401 {
		t.Fatalf("tenant on admin endpoint: %d", code)
	}
	code, body, _ := te.do(t, "POST", "/api/v1/tenants/acme/rotate-key", adminKey, "", "")
	var rot struct{ Key string }
	json.Unmarshal(body, &rot)
	if code != 200 || rot.Key == "" {
		t.Fatalf("rotate: %d %s", code, body)
	}
	if code, _, _ := te.do(t, "GET", "/api/v1/gaps", te.keyA, "", ""); code != 401 {
		t.Fatalf("old key after rotation: %d", code)
	}
	// Rate limit: burst 3 at 1/s, then 429 with Retry-After.
	var last int
	var h http.Header
	for i := 0; i < 5; i++ {
		last, _, h = te.do(t, "GET", "/api/v1/gaps", rot.Key, "", "")
	}
	if last != 429 || h.Get("Retry-After") == "" {
		t.Fatalf("rate limit: %d %v", last, h)
	}
}

// TestGapLinkedWhenNoticeArrives: a gap imported before its notice gets
// linked when the notice arrives, and a revised window drops the link.
func TestGapLinkedWhenNoticeArrives(t *testing.T) {
	te := newTenantEnv(t, api.Access{})
	ctx := context.Background()
	csv := "source,product,start,end,note\nCloudTrail,,2025-03-18T13:15:00Z,2025-03-18T14:00:00Z,\n"
	code, body, _ := te.do(t, "POST", "/api/v1/gaps", te.keyA, "text/csv", csv)
	var imp api.GapsResponse
	json.Unmarshal(body, &imp)
	if code != 201 || len(imp.Gaps) != 1 {
		t.Fatalf("import %d %s", code, body)
	}
	links := func() []notice.Link {
		ls, err := te.st.GapLinks(ctx, imp.Gaps[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return ls
	}
	if len(links()) != 0 {
		t.Fatal("linked before any notice")
	}
	save := func(start, end string) {
		it := notice.Item{Source: "s", ItemID: "aws-cloudtrail", Title: "Delayed CloudTrail events", Published: at("2025-03-18T18:00:00Z")}
		ex := notice.Extraction{Vendor: "AWS", Category: notice.CategoryDataLoss, Version: "test",
			Products: []notice.ProductRef{{Name: "AWS CloudTrail", Vendor: "AWS"}},
			Windows:  []notice.Window{{Start: at(start), End: ptr(end), Precision: notice.PrecisionMinute, Evidence: "between ..."}}}
		if _, err := te.st.SaveCrawl(ctx, notice.CrawlRecord{Source: "s", At: time.Now(), Outcome: notice.OutcomeOK,
			Items: []notice.StoredItem{{Item: it, Hash: it.Hash() + start, Extraction: ex, Extracted: true}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := te.follower.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	save("2025-03-18T13:12:00Z", "2025-03-18T16:47:00Z")
	if ls := links(); len(ls) != 1 || ls[0].Match != notice.MatchExact {
		t.Fatalf("after the notice arrived: %+v", ls)
	}
	save("2025-03-19T13:12:00Z", "2025-03-19T16:47:00Z")
	if ls := links(); len(ls) != 0 {
		t.Fatalf("a revised window kept the link: %+v", ls)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// telemetryCSV is two weeks of hourly counts for a business-hours source:
// busy on weekdays, silent at weekends, plus a five-hour outage on
// Wednesday 2024-09-11 from 09:00 UTC.
func telemetryCSV() string {
	var b strings.Builder
	b.WriteString("timestamp,source,count\n")
	start := time.Date(2024, 9, 2, 0, 0, 0, 0, time.UTC) // a Monday
	for h := 0; h < 14*24; h++ {
		at := start.Add(time.Duration(h) * time.Hour)
		n := 1000
		if wd := at.Weekday(); wd == time.Saturday || wd == time.Sunday {
			n = 0
		}
		if !at.Before(time.Date(2024, 9, 11, 9, 0, 0, 0, time.UTC)) && at.Before(time.Date(2024, 9, 11, 14, 0, 0, 0, time.UTC)) {
			n = 0
		}
		b.WriteString(at.Format(time.RFC3339) + ",SigninLogs," + strconv.Itoa(n) + "\n")
	}
	return b.String()
}

func TestTelemetryQuietWeekend(t *testing.T) {
	te := newTenantEnv(t, api.Access{})
	quiet := `{"detect": {"quiet": [{"source": "SigninLogs", "weekdays": ["sat", "sun"], "from_hour": 0, "to_hour": 24, "zone": "UTC"}]}}`
	if code, body, _ := te.do(t, "PUT", "/api/v1/settings", te.keyA, "application/json", quiet); code != 200 {
		t.Fatalf("settings: %d %s", code, body)
	}
	detect := func(key string) []notice.Gap {
		code, body, _ := te.do(t, "POST", "/api/v1/telemetry", key, "text/csv", telemetryCSV())
		if code != 201 {
			t.Fatalf("telemetry: %d %s", code, body)
		}
		var r api.GapsResponse
		json.Unmarshal(body, &r)
		return r.Gaps
	}
	withQuiet := detect(te.keyA)
	if len(withQuiet) != 1 || !withQuiet[0].Detected || withQuiet[0].Start != time.Date(2024, 9, 11, 9, 0, 0, 0, time.UTC) ||
		withQuiet[0].End != time.Date(2024, 9, 11, 14, 0, 0, 0, time.UTC) || withQuiet[0].Product != "Microsoft Entra ID" {
		t.Fatalf("with weekends quiet: %+v", withQuiet)
	}
	if without := detect(te.keyB); len(without) < 2 {
		t.Fatalf("without the quiet rule the weekend lulls should be gaps too: %+v", without)
	}
	bad := `{"detect": {"quiet": [{"from_hour": 30, "to_hour": 2}]}}`
	if code, body, _ := te.do(t, "PUT", "/api/v1/settings", te.keyA, "application/json", bad); code != 400 || !strings.Contains(string(body), `"param":"detect"`) {
		t.Fatalf("bad settings: %d %s", code, body)
	}
}
