package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/gaps"
	"github.com/gapwatch/gapwatch/notice"
)

// maxUpload bounds a gap CSV upload, as the API does.
const maxUpload = 10 << 20

// maxGapsShown bounds the gaps one page lists and draws.
const maxGapsShown = 500

// gapsForm is the gap filter as submitted.
type gapsForm struct {
	From, To, Source, Explained string
}

// gapsView is the body of the gaps page.
type gapsView struct {
	Form        gapsForm
	Error       string
	UploadErr   string
	RowErrors   []gaps.RowError
	Imported    string
	Deleted     string
	PastedCSV   string
	Sources     []string
	Months      []monthLink
	Timeline    Timeline
	Rows        []gapRow
	Total       int
	Explained   int
	Unexplained int
	Truncated   bool
}

// gapRow is a gap as the list shows it.
type gapRow struct {
	ID                    notice.GapID
	Source, Product, Note string
	Start, End            Stamp
	Duration              string
	Explained             bool
	Links                 int
	Best                  *linkView
}

// gaps serves GET /gaps: the tenant's gaps on a timeline per log source
// with the vendor windows that explain them, and the upload form.
func (h *handler) gaps(c *gin.Context) {
	t, ok := h.requireTenant(c)
	if !ok {
		return
	}
	v, status := h.gapsPage(c, t)
	if n := c.Query("imported"); n != "" {
		if _, err := strconv.Atoi(n); err == nil {
			v.Imported = n
		}
	}
	if n := c.Query("deleted"); n != "" {
		if _, err := strconv.Atoi(n); err == nil {
			v.Deleted = n
		}
	}
	h.render(c, status, "gaps", "Gaps", v)
}

// gapsPage builds the gaps page from the request's filter. Only the
// session's tenant is ever asked for.
func (h *handler) gapsPage(c *gin.Context, t notice.Tenant) (gapsView, int) {
	ctx := c.Request.Context()
	form, f, err := parseGapsFilter(c)
	v := gapsView{Form: form}
	if err != nil {
		v.Error = err.Error()
		return v, http.StatusBadRequest
	}
	all, err := h.d.Tenants.ListGaps(ctx, t.ID, notice.GapFilter{})
	if err == nil {
		for _, g := range all {
			if !slices.Contains(v.Sources, g.Source) {
				v.Sources = append(v.Sources, g.Source)
			}
		}
		slices.Sort(v.Sources)
		v.Months = monthLinks(all, v.Form)
	}
	gs, err := h.d.Tenants.ListGaps(ctx, t.ID, f)
	if err != nil {
		v.Error = "The gaps could not be loaded."
		h.log.Error("ui list gaps", "tenant", t.ID, "error", err)
		return v, http.StatusInternalServerError
	}
	if len(gs) > maxGapsShown {
		gs, v.Truncated = gs[:maxGapsShown], true
	}
	links, open, err := h.gapsLinks(ctx, t.ID, gs)
	if err != nil {
		v.Error = "The gaps' links could not be loaded."
		h.log.Error("ui gap links", "tenant", t.ID, "error", err)
		return v, http.StatusInternalServerError
	}
	v.Total = len(gs)
	for _, g := range gs {
		row := gapRowOf(g, links[g.ID])
		if row.Explained {
			v.Explained++
		} else {
			v.Unexplained++
		}
		v.Rows = append(v.Rows, row)
	}
	v.Timeline = DrawTimeline("Your gaps per log source, with the vendor windows linked to them", gapLanes(gs, links, open), h.now())
	return v, http.StatusOK
}

// parseGapsFilter reads the gap filter of the request, refusing bad
// dates, a period that ends before it starts and an unknown status, as
// the search refuses its parameters.
func parseGapsFilter(c *gin.Context) (gapsForm, notice.GapFilter, error) {
	form := gapsForm{From: strings.TrimSpace(c.Query("from")), To: strings.TrimSpace(c.Query("to")),
		Source: strings.TrimSpace(c.Query("source")), Explained: c.Query("explained")}
	f := notice.GapFilter{Source: form.Source, Limit: maxGapsShown + 1}
	var err error
	if f.From, err = api.ParseTime("from", form.From, false); err != nil {
		return form, f, err
	}
	if f.To, err = api.ParseTime("to", form.To, true); err != nil {
		return form, f, err
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return form, f, &notice.ParamError{Param: "to", Reason: "the end of the period must not be before its start"}
	}
	switch form.Explained {
	case "", "all":
	case "yes", "no":
		b := form.Explained == "yes"
		f.Explained = &b
	default:
		return form, f, &notice.ParamError{Param: "explained", Reason: "explained must be all, yes or no"}
	}
	return form, f, nil
}

// gapsLinks loads the links of each gap (of the tenant t), and the notices
// of those whose windows are open.
func (h *handler) gapsLinks(ctx context.Context, t notice.TenantID, gs []notice.Gap) (map[notice.GapID][]notice.Link, map[notice.ID]notice.Notice, error) {
	ids := make([]notice.GapID, len(gs))
	for i, g := range gs {
		ids[i] = g.ID
	}
	links, err := h.d.Tenants.GapsLinks(ctx, t, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("gap links: %w", err)
	}
	var all []notice.Link
	for _, g := range gs {
		all = append(all, links[g.ID]...)
	}
	open, err := h.openNotices(ctx, all)
	if err != nil {
		return nil, nil, fmt.Errorf("linked notices: %w", err)
	}
	return links, open, nil
}

// monthLink zooms the gaps page on one month that has gaps.
type monthLink struct {
	Label, URL string
	Current    bool
}

// maxMonthLinks bounds the zoom links, keeping the latest months.
const maxMonthLinks = 12

// monthLinks lists the months with gaps, oldest first, as links that keep
// the source and status filters.
func monthLinks(gs []notice.Gap, f gapsForm) []monthLink {
	var months []time.Time
	for _, g := range gs {
		m := time.Date(g.Start.UTC().Year(), g.Start.UTC().Month(), 1, 0, 0, 0, 0, time.UTC)
		if !slices.ContainsFunc(months, m.Equal) {
			months = append(months, m)
		}
	}
	slices.SortFunc(months, func(a, b time.Time) int { return a.Compare(b) })
	months = months[max(0, len(months)-maxMonthLinks):]
	out := make([]monthLink, 0, len(months))
	for _, m := range months {
		from, to := m.Format(time.DateOnly), m.AddDate(0, 1, -1).Format(time.DateOnly)
		q := url.Values{"from": {from}, "to": {to}}
		if f.Source != "" {
			q.Set("source", f.Source)
		}
		if f.Explained != "" {
			q.Set("explained", f.Explained)
		}
		out = append(out, monthLink{Label: m.Format("Jan 2006"), URL: "/gaps?" + q.Encode(), Current: f.From == from && f.To == to})
	}
	return out
}

// gapRowOf renders a gap with its best link.
func gapRowOf(g notice.Gap, ls []notice.Link) gapRow {
	r := gapRow{ID: g.ID, Source: g.Source, Product: g.Product, Note: g.Note, Start: stampOf(g.Start), End: stampOf(g.End),
		Duration: duration(g.End.Sub(g.Start)), Explained: len(ls) > 0, Links: len(ls)}
	if len(ls) > 0 {
		best := linkViewOf(ls[0])
		r.Best = &best
	}
	return r
}

// duration renders a gap's length for people: "7 h 30 min", "2 d 6 h".
func duration(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 24*time.Hour:
		h, m := int(d.Hours()), int(d.Minutes())%60
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
	days, h := int(d.Hours())/24, int(d.Hours())%24
	if h == 0 {
		return fmt.Sprintf("%d d", days)
	}
	return fmt.Sprintf("%d d %d h", days, h)
}

// openNotices loads the notices of the links whose windows are open, so
// that those windows are drawn up to the notice's OpenUntil.
func (h *handler) openNotices(ctx context.Context, ls []notice.Link) (map[notice.ID]notice.Notice, error) {
	var ids []notice.ID
	for _, l := range ls {
		if l.Window.Open() && !slices.Contains(ids, l.Notice) {
			ids = append(ids, l.Notice)
		}
	}
	out := make(map[notice.ID]notice.Notice, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, err := h.d.Store.Notices(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, n := range list {
		out[n.ID] = n
	}
	return out, nil
}

// vendorItem draws a link's vendor window above the gaps, clipped to
// their range; an open window runs to its notice's OpenUntil (a notice
// missing from open is taken as published at the window's start).
func vendorItem(l notice.Link, open map[notice.ID]notice.Notice, sub int) Item {
	w := l.Window
	it := Item{Start: w.Start, End: w.End, Precision: w.Precision, Sub: sub, Class: "vwin win-" + string(w.Precision), Clip: true,
		Href: noticeHref(l.Notice), Title: l.Vendor + ": " + l.Title + " (" + windowTitle(w) + ")"}
	if w.Open() {
		n := open[l.Notice]
		it.Until = n.OpenUntil(w)
		it.Title = l.Vendor + ": " + l.Title + " (" + windowTitleUntil(w, it.Until) + ")"
	}
	return it
}

// gapLanes puts each log source on a row: linked vendor windows on top
// (clipped to the gaps' range), gaps below, explained or not.
func gapLanes(gs []notice.Gap, links map[notice.GapID][]notice.Link, open map[notice.ID]notice.Notice) []Lane {
	bySource := map[string]*Lane{}
	var order []string
	for _, g := range gs {
		ln, ok := bySource[g.Source]
		if !ok {
			ln = &Lane{Label: g.Source}
			bySource[g.Source] = ln
			order = append(order, g.Source)
		}
		end := g.End
		class, label, state := "gap unexplained", "!", "unexplained"
		if len(links[g.ID]) > 0 {
			class, label, state = "gap explained", "✓", fmt.Sprintf("explained by %d notice(s)", len(links[g.ID]))
		}
		ln.Items = append(ln.Items, Item{Start: g.Start, End: &end, Precision: notice.PrecisionMinute, Sub: 2, Class: class,
			Label: label, Href: "/gaps/" + strconv.FormatInt(int64(g.ID), 10),
			Title: fmt.Sprintf("%s gap %s → %s: %s", g.Source, g.Start.UTC().Format("2006-01-02 15:04 UTC"), g.End.UTC().Format("2006-01-02 15:04 UTC"), state)})
		for _, l := range links[g.ID] {
			if slices.ContainsFunc(ln.Items, func(it Item) bool { return it.Href == noticeHref(l.Notice) && it.Start.Equal(l.Window.Start) }) {
				continue
			}
			ln.Items = append(ln.Items, vendorItem(l, open, 1))
		}
	}
	slices.Sort(order)
	lanes := make([]Lane, 0, len(order))
	for _, s := range order {
		lanes = append(lanes, *bySource[s])
	}
	return lanes
}

// noticeHref is a notice page's path.
func noticeHref(id notice.ID) string { return "/notices/" + strconv.FormatInt(int64(id), 10) }

// upload serves POST /gaps: a CSV file (or pasted rows) imported for the
// session's tenant, all-or-nothing; bad rows are listed as the API lists
// them.
func (h *handler) upload(c *gin.Context) {
	t, ok := h.requireTenant(c)
	if !ok {
		return
	}
	var r io.Reader
	pasted := strings.TrimSpace(c.PostForm("rows"))
	if f, _, err := c.Request.FormFile("file"); err == nil {
		defer f.Close()
		r = f
	} else if pasted != "" {
		r = strings.NewReader(pasted + "\n")
	}
	if r == nil {
		h.uploadFailed(c, t, http.StatusBadRequest, "Choose a CSV file or paste rows to import.", nil, pasted)
		return
	}
	gs, err := h.d.Gaps.Import(c.Request.Context(), t, r, true)
	var ie *gaps.ImportError
	switch {
	case errors.As(err, &ie):
		h.uploadFailed(c, t, http.StatusBadRequest, "Nothing was imported: fix every row listed below and upload again.", ie.Rows, pasted)
	case errors.Is(err, notice.ErrInvalid):
		h.uploadFailed(c, t, http.StatusBadRequest, err.Error(), nil, pasted)
	case err != nil:
		h.fail(c, err)
	default:
		c.Redirect(http.StatusSeeOther, "/gaps?imported="+strconv.Itoa(len(gs)))
	}
}

// uploadFailed shows the gaps page with the upload's errors.
func (h *handler) uploadFailed(c *gin.Context, t notice.Tenant, status int, msg string, rows []gaps.RowError, pasted string) {
	v, _ := h.gapsPage(c, t)
	v.UploadErr, v.RowErrors, v.PastedCSV = msg, rows, pasted
	h.render(c, status, "gaps", "Gaps", v)
}
