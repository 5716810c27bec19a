package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// findChromium returns the browser to drive. Without one the browser tests
// skip locally, but fail in CI (CI set), where .ci/run installs Chromium.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium found, and CI is set: .ci/run must install it (apt-get install chromium)")
	}
	t.Skip("no Chromium found: apt-get install chromium")
	return ""
}

// startBrowser starts one headless Chromium for the test. It may only talk
// to the test server on 127.0.0.1: no proxy, every host name resolves to
// nothing, and the background services that phone home are off.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := findChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	return ctx
}

// tab is one page in a fresh browser context (its own cookies), watching
// for JavaScript dialogs, which no page of gapwatch ever opens.
type tab struct {
	ctx     context.Context
	base    string
	dialogs atomic.Int32
}

func newTab(t *testing.T, browser context.Context, base string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tb := &tab{base: base}
	err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			tb.dialogs.Add(1)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	tb.ctx = ctx
	return tb
}

// do runs steps with a time limit.
func (tb *tab) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// eval returns the value of a JavaScript expression on the page.
func eval[T any](t *testing.T, tb *tab, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// text is the visible text of the first element matching sel.
func (tb *tab) text(t *testing.T, sel string) string {
	t.Helper()
	return eval[string](t, tb, `(document.querySelector(`+strconv.Quote(sel)+`) || {innerText: ""}).innerText`)
}

// count is how many elements match sel.
func (tb *tab) count(t *testing.T, sel string) int {
	t.Helper()
	return eval[int](t, tb, `document.querySelectorAll(`+strconv.Quote(sel)+`).length`)
}

// shot saves a full-page screenshot (under GAPWATCH_SCREENSHOT_DIR when
// set, to keep them) and logs its path.
func (tb *tab) shot(t *testing.T, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("GAPWATCH_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// signIn signs the tab in with key through the sign-in form.
func (tb *tab) signIn(t *testing.T, key, wantName string) {
	t.Helper()
	tb.do(t, chromedp.Navigate(tb.base+"/gaps"), chromedp.WaitVisible(chromedp.ID("key")),
		chromedp.SendKeys(chromedp.ID("key"), key), chromedp.Click(chromedp.CSS("#signin-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("who")))
	if got := tb.text(t, "#who"); got != wantName {
		t.Fatalf("signed in as %q, want %q", got, wantName)
	}
}

// TestBrowser drives Chromium through the UI: search and open a notice,
// narrow by a facet, upload and see gaps on the timeline, tenant
// isolation, and a hostile title.
func TestBrowser(t *testing.T) {
	browser := startBrowser(t)
	w := newWorld(t)
	var gapURL string

	t.Run("french phrase search opens the notice", func(t *testing.T) {
		tb := newTab(t, browser, w.srv.URL)
		tb.do(t, chromedp.Navigate(w.srv.URL+"/"), chromedp.SendKeys(chromedp.ID("q"), "journaux de sécurité"),
			chromedp.Click(chromedp.CSS(".searchbar button")),
			// the first page lists every notice: wait for the search's own
			// page, whose hits have the words marked
			chromedp.WaitVisible(chromedp.CSS("ol.hits li.hit mark")))
		if n := tb.count(t, "ol.hits li.hit"); n < 1 || n > 2 {
			t.Fatalf("%d results for the French phrase", n)
		}
		first := tb.text(t, "ol.hits li.hit h2")
		if !strings.Contains(first, "journaux de sécurité") || tb.count(t, "ol.hits li.hit mark") == 0 {
			t.Fatalf("first result %q lacks the highlighted phrase", first)
		}
		tb.shot(t, "search-fr")
		tb.do(t, chromedp.Click(chromedp.CSS("ol.hits li.hit h2 a")), chromedp.WaitVisible(chromedp.ID("notice-title")))
		if got := tb.text(t, "#notice-title"); got != "Microsoft a perdu des journaux de sécurité de ses clients" {
			t.Fatalf("notice title %q", got)
		}
		products := tb.text(t, "#products")
		if !strings.Contains(products, "Microsoft Entra ID") || !strings.Contains(products, "Microsoft Sentinel") || !strings.Contains(products, "matched “Entra ID”") {
			t.Fatalf("products table %q", products)
		}
		if ev := tb.text(t, ".evidence"); !strings.Contains(ev, "Entre le 2 et le 19 septembre 2024") {
			t.Fatalf("evidence %q", ev)
		}
		if n := tb.count(t, "svg.tl rect.bar.win.win-day"); n != 1 {
			t.Fatalf("%d day-window bars in the timeline", n)
		}
		if n := tb.count(t, "time[data-localized]"); n == 0 {
			t.Fatal("no date was shown in the viewer's zone")
		}
		tb.shot(t, "notice-fr")
	})

	t.Run("facet narrows the results", func(t *testing.T) {
		tb := newTab(t, browser, w.srv.URL)
		tb.do(t, chromedp.Navigate(w.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("result-count")))
		all := eval[int](t, tb, `+document.getElementById("result-count").dataset.total`)
		tb.do(t, chromedp.Click(chromedp.CSS(`input[name=vendor][value="GitHub"]`)),
			chromedp.WaitVisible(chromedp.ID("clear-filters")))
		if loc := eval[string](t, tb, "location.search"); !strings.Contains(loc, "vendor=GitHub") {
			t.Fatalf("the facet did not submit the search: %q", loc)
		}
		got := eval[int](t, tb, `+document.getElementById("result-count").dataset.total`)
		if got != 2 || all <= got || tb.count(t, "ol.hits li.hit") != 2 {
			t.Fatalf("GitHub facet: %d of %d results", got, all)
		}
		if v := eval[[]string](t, tb, `[...document.querySelectorAll("ol.hits .vendor")].map(e => e.innerText)`); len(v) != 2 || v[0] != "GitHub" || v[1] != "GitHub" {
			t.Fatalf("vendors after filtering: %q", v)
		}
		if !eval[bool](t, tb, `document.querySelector('input[name=vendor][value="GitHub"]').checked`) {
			t.Fatal("the chosen facet is not kept checked")
		}
		if !eval[bool](t, tb, `document.activeElement === document.querySelector('input[name=vendor][value="GitHub"]')`) {
			t.Fatalf("focus is on %q after the reload, not on the changed checkbox", eval[string](t, tb, "document.activeElement.outerHTML"))
		}
		eval[bool](t, tb, `(function () { var el = document.getElementById("from"); el.value = "2024-01-01";
			return el.dispatchEvent(new Event("change", {bubbles: true})); })()`)
		time.Sleep(500 * time.Millisecond) // a submission would have navigated by now
		if loc := eval[string](t, tb, "location.search"); strings.Contains(loc, "from=2024") {
			t.Fatalf("changing a date submitted the search: %q", loc)
		}
		tb.shot(t, "facet-github")
	})

	t.Run("a phone shows the results before the filters", func(t *testing.T) {
		tb := newTab(t, browser, w.srv.URL)
		top := func(sel string) float64 {
			return eval[float64](t, tb, `document.querySelector(`+strconv.Quote(sel)+`).getBoundingClientRect().top`)
		}
		linkShown := func() bool { return eval[bool](t, tb, `document.querySelector(".to-filters a").offsetParent !== null`) }
		tb.do(t, chromedp.EmulateViewport(1200, 900), chromedp.Navigate(w.srv.URL+"/?q=logs"), chromedp.WaitVisible(chromedp.CSS("ol.hits li.hit")))
		if top("#results") != top("#filters") || linkShown() {
			t.Fatalf("on a wide screen the filters and results are not side by side (%v, %v), or the filters link shows", top("#results"), top("#filters"))
		}
		tb.do(t, chromedp.EmulateViewport(390, 844), chromedp.Navigate(w.srv.URL+"/?q=logs"), chromedp.WaitVisible(chromedp.CSS("ol.hits li.hit")))
		if r, f := top("#results"), top("#filters"); r >= f {
			t.Fatalf("on a phone the results start at %v, below the filters at %v", r, f)
		}
		if !linkShown() {
			t.Fatal("no link to the filters on a phone")
		}
		tb.shot(t, "search-phone")
	})

	t.Run("tenant uploads gaps and sees them linked", func(t *testing.T) {
		tb := newTab(t, browser, w.srv.URL)
		tb.signIn(t, w.keyA, "acme")
		csvPath, _ := filepath.Abs("testdata/gaps.csv")
		tb.do(t, chromedp.SetUploadFiles(chromedp.ID("file"), []string{csvPath}),
			chromedp.Click(chromedp.CSS("#upload-form button[type=submit]")), chromedp.WaitVisible(chromedp.ID("imported")))
		if a, b := tb.text(t, "#n-explained"), tb.text(t, "#n-unexplained"); a != "1" || b != "1" {
			t.Fatalf("explained %s, unexplained %s; want 1 and 1", a, b)
		}
		for sel, want := range map[string]int{"svg.tl rect.gap.explained": 1, "svg.tl rect.gap.unexplained": 1} {
			if n := tb.count(t, sel); n != want {
				t.Fatalf("%d × %s, want %d", n, sel, want)
			}
		}
		if n := tb.count(t, "svg.tl rect.vwin"); n < 1 {
			t.Fatal("no vendor window overlaid on the timeline")
		}
		if row := tb.text(t, "#gap-table tr.is-explained"); !strings.Contains(row, "SigninLogs") || !strings.Contains(row, "✓ explained") {
			t.Fatalf("explained row %q", row)
		}
		tb.shot(t, "gaps-tenant-a")
		tb.do(t, chromedp.Click(chromedp.CSS("#gap-table tr.is-explained a[href^='/gaps/']")), chromedp.WaitVisible(chromedp.ID("gap-title")))
		gapURL = eval[string](t, tb, "location.href")
		links := tb.text(t, "#links")
		if !strings.Contains(links, "Microsoft a perdu des journaux") || !strings.Contains(links, "exact match") {
			t.Fatalf("gap links %q", links)
		}
		tb.shot(t, "gap-tenant-a")
	})

	t.Run("another tenant does not see the gap", func(t *testing.T) {
		if gapURL == "" {
			t.Skip("needs the upload subtest")
		}
		tb := newTab(t, browser, w.srv.URL)
		tb.signIn(t, w.keyB, "globex")
		table := tb.text(t, "#gap-table")
		if strings.Contains(table, "SigninLogs") || !strings.Contains(table, "CloudTrail") {
			t.Fatalf("tenant B's gaps: %q", table)
		}
		ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
		defer cancel()
		resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(gapURL))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 404 || tb.text(t, "h1") != "Not found" {
			t.Fatalf("tenant B on A's gap: %d %q", resp.Status, tb.text(t, "h1"))
		}
		tb.shot(t, "gap-tenant-b-404")
	})

	t.Run("times shift to the viewer's zone, UTC stays in the title", func(t *testing.T) {
		tb := newTab(t, browser, w.srv.URL)
		if _, err := chromedp.Call(tb.ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Kolkata"}); err != nil {
			t.Fatal(err)
		}
		tb.do(t, chromedp.Navigate(w.srv.URL+"/notices/"+strconv.FormatInt(int64(w.ids["aws-ec2"]), 10)),
			chromedp.WaitVisible(chromedp.ID("notice-title")))
		const sel = `time[datetime="2024-06-04T09:00:00Z"]`
		if !eval[bool](t, tb, `document.querySelector(`+strconv.Quote(sel)+`).hasAttribute("data-localized")`) {
			t.Fatal("the published time was not localised")
		}
		text := tb.text(t, sel)
		title := eval[string](t, tb, `document.querySelector(`+strconv.Quote(sel)+`).title`)
		if !strings.Contains(text, "14:30") || strings.Contains(text, "09:00") || title != "2024-06-04 09:00 UTC" {
			t.Fatalf("09:00 UTC in Asia/Kolkata shows %q (title %q), want 14:30 with the UTC title", text, title)
		}
	})

	t.Run("script title renders as text", func(t *testing.T) {
		tb := newTab(t, browser, w.srv.URL)
		tb.do(t, chromedp.Navigate(w.srv.URL+"/notices/"+strconv.FormatInt(int64(w.ids["xss"]), 10)),
			chromedp.WaitVisible(chromedp.ID("notice-title")))
		const title = "<script>alert(1)</script> outage"
		if got := tb.text(t, "#notice-title"); got != title {
			t.Fatalf("h1 %q", got)
		}
		if dt := eval[string](t, tb, "document.title"); !strings.Contains(dt, title) {
			t.Fatalf("document.title %q", dt)
		}
		if n := tb.count(t, "script:not([src]), img[src=x], b, i"); n != 0 {
			t.Fatalf("%d elements injected from the notice", n)
		}
		tb.do(t, chromedp.Navigate(w.srv.URL+"/?q=outage"), chromedp.WaitVisible(chromedp.CSS("ol.hits")))
		if !strings.Contains(tb.text(t, "ol.hits"), title) {
			t.Fatal("results do not show the title as text")
		}
		if n := tb.dialogs.Load(); n != 0 {
			t.Fatalf("%d JavaScript dialogs opened", n)
		}
		tb.shot(t, "script-title")
	})
}
