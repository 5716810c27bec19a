package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/notice"
)

// gapView is the body of a gap's page.
type gapView struct {
	Gap      gapRow
	Vendor   string
	Detected bool
	Created  Stamp
	Links    []linkView
	Timeline Timeline
}

// tenantGap reads the signed-in tenant and the :id of a gap address;
// false (after a sign-in redirect or a 404 page) when either is missing.
func (h *handler) tenantGap(c *gin.Context) (notice.Tenant, notice.GapID, bool) {
	t, ok := h.requireTenant(c)
	if !ok {
		return t, 0, false
	}
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		h.errorPage(c, http.StatusNotFound, "Not found", "Gap addresses end with a positive number.")
		return t, 0, false
	}
	return t, notice.GapID(id), true
}

// deleteGap serves POST /gaps/:id/delete: the tenant removes one of its
// gaps (an import mistake, a gap explained on its side), and its links go
// with it. Another tenant's gap is not found, exactly like a missing one.
func (h *handler) deleteGap(c *gin.Context) {
	t, id, ok := h.tenantGap(c)
	if !ok {
		return
	}
	if err := h.d.Tenants.DeleteGap(c.Request.Context(), t.ID, id); err != nil {
		h.fail(c, err)
		return
	}
	if h.d.Gaps != nil {
		h.d.Gaps.GapsChanged()
	}
	c.Redirect(http.StatusSeeOther, "/gaps?deleted="+strconv.FormatInt(int64(id), 10))
}

// gap serves GET /gaps/:id. Another tenant's gap is not found, exactly
// like a missing one.
func (h *handler) gap(c *gin.Context) {
	t, id, ok := h.tenantGap(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	g, err := h.d.Tenants.Gap(ctx, t.ID, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	byGap, err := h.d.Tenants.GapsLinks(ctx, t.ID, []notice.GapID{g.ID})
	if err != nil {
		h.fail(c, err)
		return
	}
	ls := byGap[g.ID]
	v := gapView{Gap: gapRowOf(g, ls), Vendor: g.Vendor, Detected: g.Detected, Created: stampOf(g.Created)}
	end := g.End
	class := "gap unexplained"
	if len(ls) > 0 {
		class = "gap explained"
	}
	lanes := []Lane{{Label: "Gap: " + g.Source, Items: []Item{{Start: g.Start, End: &end, Precision: notice.PrecisionMinute,
		Class: class, Title: "Your gap in " + g.Source}}}}
	open, err := h.openNotices(ctx, ls)
	if err != nil {
		h.fail(c, err)
		return
	}
	for _, l := range ls {
		v.Links = append(v.Links, linkViewOf(l))
		lanes = append(lanes, Lane{Label: l.Vendor + ": " + l.Title, Items: []Item{vendorItem(l, open, 0)}})
	}
	v.Timeline = DrawTimeline("This gap and the vendor windows that overlap it", lanes, h.now())
	h.render(c, http.StatusOK, "gap", "Gap in "+g.Source, v)
}
