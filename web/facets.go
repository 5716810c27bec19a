package web

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gapwatch/gapwatch/notice"
)

// facetGroup is one facet's checkboxes: the first few, and More behind a
// disclosure.
type facetGroup struct {
	Name, Label string
	Options     []facetOption
	More        []facetOption
}

// facetShown is how many values of a facet show before "more".
const facetShown = 8

// facetOptView pairs an option with its facet's name for the template.
type facetOptView struct {
	Name string
	Opt  facetOption
}

// facetOption is one facet value with its count.
type facetOption struct {
	Value   string
	Count   int
	Checked bool
	ID      string
}

// facetGroups turns the index's facets into checkbox groups, keeping
// chosen values that no longer match so they can be unchecked.
func facetGroups(facets map[string][]notice.FacetCount, f searchForm) []facetGroup {
	defs := []struct{ name, label string }{{"vendor", "Vendor"}, {"product", "Product"}, {"category", "Category"}, {"year", "Year published"}}
	var out []facetGroup
	for _, d := range defs {
		g := facetGroup{Name: d.name, Label: d.label}
		have := map[string]bool{}
		for i, fc := range facets[d.name] {
			have[fc.Value] = true
			g.Options = append(g.Options, facetOption{Value: fc.Value, Count: fc.Count, Checked: f.selected(d.name, fc.Value),
				ID: "f-" + d.name + "-" + strconv.Itoa(i)})
		}
		for _, v := range map[string][]string{"vendor": f.Vendors, "product": f.Products, "category": f.Categories, "year": f.Years}[d.name] {
			if !have[v] {
				g.Options = append(g.Options, facetOption{Value: v, Checked: true, ID: "f-" + d.name + "-" + strconv.Itoa(len(g.Options))})
			}
		}
		if d.name == "year" {
			slices.SortFunc(g.Options, func(a, b facetOption) int { return strings.Compare(b.Value, a.Value) })
		}
		if len(g.Options) > facetShown {
			g.Options, g.More = splitChecked(g.Options)
		}
		if len(g.Options) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// splitChecked keeps the first facetShown values and every checked one in
// view, and puts the rest behind "more".
func splitChecked(opts []facetOption) (shown, more []facetOption) {
	for i, o := range opts {
		if i < facetShown || o.Checked {
			shown = append(shown, o)
		} else {
			more = append(more, o)
		}
	}
	return shown, more
}
