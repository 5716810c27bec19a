package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// sources serves GET /sources: each source's crawl state, for the admin.
func (h *handler) sources(c *gin.Context) {
	if !sessionOf(c).Admin {
		if _, ok := tenantOf(c); ok {
			h.errorPage(c, http.StatusForbidden, "Admins only", "Crawl state is shown to the administrator. Sign out and sign in with the admin key.")
			return
		}
		toSignin(c)
		return
	}
	states, err := h.d.Store.Sources(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	v := sourcesView{}
	for _, st := range states {
		row := sourceRow{Name: st.Source.Name, Kind: string(st.Source.Kind), Vendor: st.Source.Vendor, URL: st.Source.URL,
			Enabled: st.Source.Enabled, LastFetch: stampOf(st.State.LastFetch), LastSuccess: stampOf(st.State.LastSuccess),
			NextCheck: stampOf(st.State.NextCheck), Errors: st.State.ConsecutiveErrors, LastError: st.State.LastError,
			Status: st.State.LastStatus, Items: st.State.Items}
		switch {
		case !st.Source.Enabled:
			row.Health, row.HealthClass = "disabled", "muted"
		case st.State.ConsecutiveErrors > 0:
			row.Health, row.HealthClass = "failing", "bad"
			v.Failing++
		case st.State.LastSuccess.IsZero():
			row.Health, row.HealthClass = "not yet crawled", "muted"
		default:
			row.Health, row.HealthClass = "healthy", "good"
		}
		v.Rows = append(v.Rows, row)
	}
	h.render(c, http.StatusOK, "sources", "Sources", v)
}

// sourcesView is the body of the sources page.
type sourcesView struct {
	Rows    []sourceRow
	Failing int
}

// sourceRow is one source's state.
type sourceRow struct {
	Name, Kind, Vendor, URL           string
	Enabled                           bool
	LastFetch, LastSuccess, NextCheck Stamp
	Errors, Status, Items             int
	LastError                         string
	Health, HealthClass               string
}
