package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/notice"
)

// noticeView is the body of a notice's page.
type noticeView struct {
	ID                 notice.ID
	Title, Vendor, URL string
	// URLText is a source address that is not http(s): shown as text,
	// never as a link.
	URLText             string
	Source, Language    string
	Category            notice.Category
	Status              string
	Published, LastSeen Stamp
	FirstSeen           Stamp
	Text, Summary       string
	Products            []productView
	Windows             []WindowView
	HasOpen             bool
	Timeline            Timeline
	Versions            []versionView
	Links               []linkView
	Extractor           string
}

// productView is a product with how it was matched.
type productView struct {
	Name, Vendor, How string
}

// versionView is one stored revision and what changed from the one
// before.
type versionView struct {
	Version int
	Seen    Stamp
	Changes []string
	Current bool
}

// notice serves GET /notices/:id.
func (h *handler) notice(c *gin.Context) {
	if !h.requireReader(c) {
		return
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		h.errorPage(c, http.StatusNotFound, "Not found", "Notice addresses end with a positive number.")
		return
	}
	ctx := c.Request.Context()
	n, err := h.d.Store.Notice(ctx, notice.ID(id))
	if err != nil {
		h.fail(c, err)
		return
	}
	versions, err := h.d.Store.Versions(ctx, n.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	var links []notice.Link
	if t, ok := tenantOf(c); ok {
		if links, err = h.d.Tenants.TenantNoticeLinks(ctx, t.ID, n.ID); err != nil {
			h.fail(c, err)
			return
		}
	}
	v := noticeView{ID: n.ID, Title: n.Item.Title, Vendor: vendorOf(n), Source: n.Item.Source,
		Language: n.Extraction.Language, Category: n.Extraction.Category, Status: n.Item.Status,
		Published: stampOf(n.Item.Published), FirstSeen: stampOf(n.FirstSeen), LastSeen: stampOf(n.LastSeen),
		Text: n.Item.Text, Summary: n.Item.Summary, Extractor: n.Extraction.Version}
	if v.Text == "" {
		v.Text = v.Summary
	}
	if webURL(n.Item.URL) {
		v.URL = n.Item.URL
	} else {
		v.URLText = n.Item.URL
	}
	for _, p := range n.Extraction.Products {
		v.Products = append(v.Products, productView{Name: p.Name, Vendor: p.Vendor, How: matchedHow(p.Matched)})
	}
	for _, w := range n.Extraction.Windows {
		v.Windows = append(v.Windows, windowStamps(w))
		v.HasOpen = v.HasOpen || w.Open()
	}
	var gs []notice.Gap
	if t, ok := tenantOf(c); ok {
		if v.Links, gs, err = h.linkedGaps(ctx, t.ID, links); err != nil {
			h.fail(c, err)
			return
		}
	}
	v.Timeline = DrawTimeline("Affected windows of this notice", noticeLanes(n, gs), h.now())
	v.Versions = versionViews(versions)
	h.render(c, http.StatusOK, "notice", n.Item.Title, v)
}

// linkedGaps loads the tenant's gaps that links point to, each once, and
// the links to show. A gap deleted since the links were read is skipped
// with its links, rather than failing the page.
func (h *handler) linkedGaps(ctx context.Context, tenant notice.TenantID, links []notice.Link) ([]linkView, []notice.Gap, error) {
	var views []linkView
	var gs []notice.Gap
	missing := map[notice.GapID]bool{}
	for _, l := range links {
		if missing[l.Gap] {
			continue
		}
		if !slices.ContainsFunc(gs, func(g notice.Gap) bool { return g.ID == l.Gap }) {
			g, err := h.d.Tenants.Gap(ctx, tenant, l.Gap)
			if errors.Is(err, notice.ErrNotFound) {
				missing[l.Gap] = true
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			gs = append(gs, g)
		}
		views = append(views, linkViewOf(l))
	}
	return views, gs, nil
}

// webURL reports whether a source address may be a link: an absolute
// http or https URL with a host. Anything else (javascript:, data:,
// relative paths) is shown as text.
func webURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

// matchedHow says in words how a product was found.
func matchedHow(m string) string {
	switch m {
	case "":
		return "extracted from the text"
	case "structured":
		return "named by the source's structured fields"
	}
	return "matched “" + m + "” in the text"
}

// noticeLanes are a notice's windows, one lane each, and the viewer's
// gaps it explains. An open window is drawn up to the notice's OpenUntil,
// the horizon gap linking assumes.
func noticeLanes(n notice.Notice, gs []notice.Gap) []Lane {
	var lanes []Lane
	for i, w := range n.Extraction.Windows {
		it := Item{Start: w.Start, End: w.End, Precision: w.Precision, Class: "win win-" + string(w.Precision), Title: windowTitle(w)}
		if w.Open() {
			it.Until = n.OpenUntil(w)
			it.Title = windowTitleUntil(w, it.Until)
			it.Label = "ongoing, assumed until " + untilText(w, it.Until)
		}
		lanes = append(lanes, Lane{Label: fmt.Sprintf("Window %d · %s", i+1, w.Precision), Items: []Item{it}})
	}
	for _, g := range gs {
		end := g.End
		lanes = append(lanes, Lane{Label: "Your gap: " + g.Source, Items: []Item{{
			Start: g.Start, End: &end, Precision: notice.PrecisionMinute, Class: "gap explained",
			Title: fmt.Sprintf("Gap in %s, %s → %s", g.Source, g.Start.UTC().Format("2006-01-02 15:04 UTC"), g.End.UTC().Format("2006-01-02 15:04 UTC")),
			Href:  "/gaps/" + strconv.FormatInt(int64(g.ID), 10),
		}}})
	}
	return lanes
}

// windowTitle is a window's tooltip: its bounds in UTC and precision.
func windowTitle(w notice.Window) string {
	layout := "2006-01-02 15:04 UTC"
	if w.Precision == notice.PrecisionDay {
		layout = "2006-01-02"
	}
	end := "ongoing"
	if w.End != nil {
		end = w.End.UTC().Format(layout)
	}
	return fmt.Sprintf("%s → %s (%s precision)", w.Start.UTC().Format(layout), end, w.Precision)
}

// windowTitleUntil is windowTitle for an open window drawn up to until.
func windowTitleUntil(w notice.Window, until time.Time) string {
	if !w.Open() {
		return windowTitle(w)
	}
	return fmt.Sprintf("%s → ongoing, assumed until %s (%s precision)", startText(w), untilText(w, until), w.Precision)
}

// startText is a window's start in UTC, to its precision.
func startText(w notice.Window) string {
	if w.Precision == notice.PrecisionDay {
		return w.Start.UTC().Format(time.DateOnly)
	}
	return w.Start.UTC().Format("2006-01-02 15:04 UTC")
}

// untilText is the assumed end of an open window in UTC, to its
// precision.
func untilText(w notice.Window, until time.Time) string {
	if w.Precision == notice.PrecisionDay {
		return until.UTC().Format(time.DateOnly)
	}
	return until.UTC().Format("2006-01-02 15:04 UTC")
}

// versionViews lists versions newest first, each with what changed.
func versionViews(vs []notice.Version) []versionView {
	sorted := slices.Clone(vs)
	slices.SortFunc(sorted, func(a, b notice.Version) int { return a.Version - b.Version })
	out := make([]versionView, 0, len(sorted))
	for i, v := range sorted {
		vv := versionView{Version: v.Version, Seen: stampOf(v.Seen), Current: i == len(sorted)-1}
		if i == 0 {
			vv.Changes = []string{"First seen."}
		} else {
			vv.Changes = versionChanges(sorted[i-1], v)
		}
		out = append(out, vv)
	}
	slices.Reverse(out)
	return out
}

// versionChanges says what differs between two versions of a notice.
func versionChanges(prev, cur notice.Version) []string {
	var out []string
	a, b := prev.Item, cur.Item
	if a.Title != b.Title {
		out = append(out, fmt.Sprintf("Title changed from “%s” to “%s”.", a.Title, b.Title))
	}
	if a.Status != b.Status {
		out = append(out, fmt.Sprintf("Status changed from “%s” to “%s”.", orNone(a.Status), orNone(b.Status)))
	}
	if wa, wb := windowsText(prev.Extraction.Windows), windowsText(cur.Extraction.Windows); wa != wb {
		out = append(out, fmt.Sprintf("Affected windows changed from %s to %s.", wa, wb))
	}
	if pa, pb := productSet(prev.Extraction), productSet(cur.Extraction); !slices.Equal(pa, pb) {
		if add := minus(pb, pa); len(add) > 0 {
			out = append(out, "Products added: "+strings.Join(add, ", ")+".")
		}
		if del := minus(pa, pb); len(del) > 0 {
			out = append(out, "Products removed: "+strings.Join(del, ", ")+".")
		}
	}
	if prev.Extraction.Category != cur.Extraction.Category {
		out = append(out, fmt.Sprintf("Category changed from %s to %s.", orNone(string(prev.Extraction.Category)), orNone(string(cur.Extraction.Category))))
	}
	if a.Text != b.Text {
		out = append(out, fmt.Sprintf("Text revised (%d → %d characters).", len([]rune(a.Text)), len([]rune(b.Text))))
	}
	if a.URL != b.URL {
		out = append(out, "Link changed.")
	}
	if len(out) == 0 {
		out = append(out, "Republished without a visible change.")
	}
	return out
}

// orNone names an empty value.
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// windowsText renders windows compactly for change lines.
func windowsText(ws []notice.Window) string {
	if len(ws) == 0 {
		return "none"
	}
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = windowTitle(w)
	}
	return strings.Join(parts, "; ")
}

// productSet lists an extraction's product names, sorted.
func productSet(ex notice.Extraction) []string {
	var out []string
	for _, p := range ex.Products {
		if !slices.Contains(out, p.Name) {
			out = append(out, p.Name)
		}
	}
	slices.Sort(out)
	return out
}

// minus is a without b.
func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// linkView is a gap–notice link as pages show it.
type linkView struct {
	Gap                      notice.GapID
	Notice                   notice.ID
	Title, Vendor, Product   string
	Match                    notice.MatchKind
	Category                 notice.Category
	Coverage, WindowCoverage float64
	Score                    string
	Explanation, Evidence    string
	Window                   WindowView
	FirstLinked              Stamp
}

// linkViewOf renders a link.
func linkViewOf(l notice.Link) linkView {
	return linkView{Gap: l.Gap, Notice: l.Notice, Title: l.Title, Vendor: l.Vendor, Product: l.Product, Match: l.Match,
		Category: l.Category, Coverage: l.Coverage, WindowCoverage: l.WindowCoverage, Score: strconv.FormatFloat(l.Score, 'f', 2, 64),
		Explanation: l.Explanation, Evidence: l.Evidence, Window: windowStamps(l.Window), FirstLinked: stampOf(l.FirstLinked)}
}
