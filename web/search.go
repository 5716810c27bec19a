package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/notice"
)

// pageSize is how many results a search page shows.
const pageSize = 20

// searchForm is the search as submitted, echoed back into the form.
type searchForm struct {
	Q, From, To, Sort string
	Vendors           []string
	Products          []string
	Categories        []string
	Years             []string
	Page              int
}

// selected reports whether a facet value is among the chosen ones.
func (f searchForm) selected(facet, value string) bool {
	switch facet {
	case "vendor":
		return slices.Contains(f.Vendors, value)
	case "product":
		return slices.Contains(f.Products, value)
	case "category":
		return slices.Contains(f.Categories, value)
	case "year":
		return slices.Contains(f.Years, value)
	}
	return false
}

// Filtered reports whether any filter is set, to offer clearing them.
func (f searchForm) Filtered() bool {
	return len(f.Vendors)+len(f.Products)+len(f.Categories)+len(f.Years) > 0 || f.From != "" || f.To != ""
}

// listValues reads a repeatable parameter, also comma-separated, like the
// API does.
func listValues(v url.Values, name string) []string {
	var out []string
	for _, s := range v[name] {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// parseSearch validates the search parameters as the API does, naming the
// parameter at fault.
func (h *handler) parseSearch(v url.Values) (notice.Query, searchForm, error) {
	f := searchForm{Q: strings.TrimSpace(v.Get("q")), From: strings.TrimSpace(v.Get("from")), To: strings.TrimSpace(v.Get("to")),
		Sort: v.Get("sort"), Vendors: listValues(v, "vendor"), Products: listValues(v, "product"),
		Categories: listValues(v, "category"), Years: listValues(v, "year"), Page: 1}
	q := notice.Query{Text: f.Q, Vendors: f.Vendors, Facets: true, Size: pageSize, Page: 1}
	var err error
	if p := v.Get("page"); p != "" {
		n, perr := strconv.Atoi(p)
		if perr != nil || n < 1 || n > 10000 {
			return q, f, &notice.ParamError{Param: "page", Reason: "page must be an integer from 1 to 10000"}
		}
		q.Page, f.Page = n, n
	}
	if q.From, err = api.ParseTime("from", f.From, false); err != nil {
		return q, f, err
	}
	if q.To, err = api.ParseTime("to", f.To, true); err != nil {
		return q, f, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return q, f, &notice.ParamError{Param: "to", Reason: "the end of the affected period must not be before its start"}
	}
	if err := api.ParseSearchFilters(&q, f.Products, f.Categories, f.Years, f.Sort, h.d.Catalog); err != nil {
		return q, f, err
	}
	return q, f, nil
}

// found is one page of a search: the hits in order with their notices.
type found struct {
	total  int
	hits   []notice.SearchHit
	byID   map[notice.ID]notice.Notice
	facets map[string][]notice.FacetCount
}

// runSearch runs q. With years chosen, the year facet comes from the same
// search without them, so that the other years stay offered.
func (h *handler) runSearch(ctx context.Context, q notice.Query) (found, error) {
	res, err := h.d.Search.Search(ctx, q)
	if err != nil {
		return found{}, err
	}
	if len(q.Years) > 0 {
		all := q
		all.Years, all.Page, all.Size = nil, 1, 1
		allRes, err := h.d.Search.Search(ctx, all)
		if err != nil {
			return found{}, err
		}
		if res.Facets != nil {
			res.Facets["year"] = allRes.Facets["year"]
		}
	}
	byID, err := h.load(ctx, res.Hits)
	return found{total: res.Total, hits: res.Hits, byID: byID, facets: res.Facets}, err
}

// load fetches the notices of hits from the store.
func (h *handler) load(ctx context.Context, hits []notice.SearchHit) (map[notice.ID]notice.Notice, error) {
	ids := make([]notice.ID, len(hits))
	for i, hit := range hits {
		ids[i] = hit.ID
	}
	list, err := h.d.Store.Notices(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[notice.ID]notice.Notice, len(list))
	for _, n := range list {
		byID[n.ID] = n
	}
	return byID, nil
}

// searchView is the body of the search page.
type searchView struct {
	Form searchForm
	// SortShown is the order the results are in, for the sort menu:
	// published when there is neither text nor a chosen order.
	SortShown string
	Error     string
	Total     int
	Results   []resultView
	Facets    []facetGroup
	Page      int
	Pages     int
	PrevURL   string
	NextURL   string
	ClearURL  string
	FirstShow int
	LastShow  int
}

// resultView is one search result.
type resultView struct {
	ID        notice.ID
	Title     string
	TitleHL   template.HTML
	Vendor    string
	Category  notice.Category
	Published Stamp
	Products  []string
	Fragments []template.HTML
	Window    *WindowView
	More      int
}

// search serves GET /: the search form, results, facets and pages.
func (h *handler) search(c *gin.Context) {
	if !h.requireReader(c) {
		return
	}
	v := c.Request.URL.Query()
	q, form, err := h.parseSearch(v)
	sv := searchView{Form: form, Page: form.Page, SortShown: sortShown(form)}
	if err != nil {
		sv.Error = err.Error()
		h.render(c, http.StatusBadRequest, "search", "Search", sv)
		return
	}
	res, err := h.runSearch(c.Request.Context(), q)
	if err != nil {
		var pe *notice.ParamError
		if errors.As(err, &pe) {
			sv.Error = pe.Error()
			h.render(c, http.StatusBadRequest, "search", "Search", sv)
			return
		}
		h.fail(c, err)
		return
	}
	sv.Total = res.total
	for _, hit := range res.hits {
		if n, ok := res.byID[hit.ID]; ok {
			sv.Results = append(sv.Results, resultOf(n, hit))
		}
	}
	sv.Facets = facetGroups(res.facets, form)
	sv.Pages = (res.total + pageSize - 1) / pageSize
	if form.Page > 1 && form.Page > sv.Pages {
		h.pastLastPage(c, v, form.Page, sv.Pages)
		return
	}
	if len(sv.Results) > 0 {
		sv.FirstShow = (form.Page-1)*pageSize + 1
		sv.LastShow = sv.FirstShow + len(sv.Results) - 1
	}
	if form.Page > 1 {
		sv.PrevURL = withPage(v, form.Page-1)
	}
	if form.Page < sv.Pages {
		sv.NextURL = withPage(v, form.Page+1)
	}
	sv.ClearURL = "/?" + url.Values{"q": {form.Q}}.Encode()
	title := "Search"
	if form.Q != "" {
		title = form.Q + " – search"
	}
	h.render(c, http.StatusOK, "search", title, sv)
}

// sortShown is the sort menu's choice: the one asked for, else the
// default ("": relevance with words, newest published without), which
// stays the default when words are typed next.
func sortShown(f searchForm) string { return f.Sort }

// pastLastPage answers a page number past the last one (an old link, a
// search whose results shrank) with a readable 404 that links to the last
// page, or to the search itself when nothing matches any more.
func (h *handler) pastLastPage(c *gin.Context, v url.Values, page, pages int) {
	ev := errorView{Status: http.StatusNotFound, Link: withPage(v, 1), LinkText: "Back to the search"}
	ev.Detail = fmt.Sprintf("This search has no results any more, so it has no page %d.", page)
	if pages > 0 {
		ev.Link, ev.LinkText = withPage(v, pages), fmt.Sprintf("Go to the last page (%d)", pages)
		ev.Detail = fmt.Sprintf("This search has %d page(s) of results; page %d is past the last one.", pages, page)
	}
	h.render(c, http.StatusNotFound, "error", "No such page", ev)
	c.Abort()
}

// withPage is the current search's URL on another page.
func withPage(v url.Values, page int) string {
	c := url.Values{}
	for k, vs := range v {
		c[k] = slices.Clone(vs)
	}
	c.Set("page", strconv.Itoa(page))
	return "/?" + c.Encode()
}

// resultOf renders a hit.
func resultOf(n notice.Notice, hit notice.SearchHit) resultView {
	r := resultView{ID: n.ID, Title: n.Item.Title, Vendor: vendorOf(n), Category: n.Extraction.Category,
		Published: stampOf(n.Item.Published)}
	seen := map[string]bool{}
	for _, p := range n.Extraction.Products {
		if !seen[p.Name] {
			seen[p.Name] = true
			r.Products = append(r.Products, p.Name)
		}
	}
	if ws := n.Extraction.Windows; len(ws) > 0 {
		w := windowStamps(ws[0])
		r.Window, r.More = &w, len(ws)-1
	}
	fields := make([]string, 0, len(hit.Highlights))
	for k := range hit.Highlights {
		fields = append(fields, k)
	}
	slices.Sort(fields)
	for _, k := range fields {
		for _, frag := range hit.Highlights[k] {
			if strings.HasPrefix(k, "title") {
				r.TitleHL = highlight(frag)
			} else if len(r.Fragments) < 3 {
				r.Fragments = append(r.Fragments, highlight(frag))
			}
		}
	}
	return r
}
