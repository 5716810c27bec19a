package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/notice"
)

// assets holds the page templates and the static files.
//
//go:embed templates/*.html static
var assets embed.FS

// pageNames are the page templates; each defines "content" and is
// rendered inside layout.html.
var pageNames = []string{"search", "notice", "gaps", "gap", "signin", "sources", "error"}

// templates are the parsed pages.
type templates struct {
	pages map[string]*template.Template
	// assets maps a static file name to its cache-busting URL.
	assets map[string]string
}

// parseTemplates parses every page with the layout and shared partials.
func parseTemplates() (*templates, error) {
	t := &templates{pages: map[string]*template.Template{}, assets: map[string]string{}}
	for _, name := range pageNames {
		p, err := template.New(name).Funcs(t.funcs()).ParseFS(assets,
			"templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		t.pages[name] = p
	}
	return t, nil
}

// funcs are the template helpers; none returns unescaped input text.
func (t *templates) funcs() template.FuncMap {
	return template.FuncMap{
		"asset":    func(name string) string { return t.assets[name] },
		"stamp":    stampOf,
		"day":      dayStampOf,
		"hl":       highlight,
		"pct":      func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
		"join":     strings.Join,
		"window":   windowStamps,
		"add":      func(a, b int) int { return a + b },
		"facetOpt": func(name string, o facetOption) facetOptView { return facetOptView{Name: name, Opt: o} },
		"add1":     func(a, b float64) float64 { return a + b },
		"mod":      func(a, b int) int { return a % b },
		"f":        func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) },
	}
}

// view is what every page template receives.
type view struct {
	Title  string
	Nav    string
	Tenant *notice.Tenant
	Admin  bool
	CSRF   string
	Path   string
	Body   any
}

// render executes a page into a buffer (so a template error becomes a
// clean 500) and writes it with the status.
func (h *handler) render(c *gin.Context, status int, page, title string, body any) {
	s := sessionOf(c)
	v := view{Title: title, Nav: page, Admin: s.Admin, CSRF: h.sess.csrfToken(s), Path: c.Request.URL.RequestURI(), Body: body}
	if t, ok := tenantOf(c); ok {
		v.Tenant = &t
	}
	var buf bytes.Buffer
	if err := h.tmpl.pages[page].ExecuteTemplate(&buf, "layout", v); err != nil {
		h.log.Error("render page", "page", page, "error", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error"))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// markTag matches the highlight tags the index puts around matched terms.
var markTag = regexp.MustCompile(`</?mark>`)

// highlight renders a search fragment: only balanced <mark> tags survive;
// the text between them is unescaped once and escaped again, so a fragment
// can never carry markup from the notice whatever the index did.
func highlight(frag string) template.HTML {
	var b strings.Builder
	open := false
	last := 0
	for _, m := range markTag.FindAllStringIndex(frag, -1) {
		b.WriteString(template.HTMLEscapeString(html.UnescapeString(frag[last:m[0]])))
		last = m[1]
		opening := frag[m[0]+1] != '/'
		if opening && !open {
			b.WriteString("<mark>")
		} else if !opening && open {
			b.WriteString("</mark>")
		}
		open = opening
	}
	b.WriteString(template.HTMLEscapeString(html.UnescapeString(frag[last:])))
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String()) // built from escaped text and fixed tags only
}

// static serves the embedded CSS and JS with long cache lifetimes; pages
// link them with a content hash in the query, so a new build is fetched.
type static struct {
	files     fs.FS
	versioned map[string]string
}

// newStatic hashes every static file for its versioned URL.
func newStatic() (*static, error) {
	sub, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static: %w", err)
	}
	s := &static{files: sub, versioned: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		s.versioned[p] = "/static/" + p + "?v=" + hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static: %w", err)
	}
	return s, nil
}

// serve answers GET /static/*file.
func (s *static) serve(c *gin.Context) {
	name := strings.TrimPrefix(path.Clean(c.Param("file")), "/")
	b, err := fs.ReadFile(s.files, name)
	if err != nil {
		c.Status(http.StatusNotFound)
		return
	}
	ctype := "application/octet-stream"
	switch path.Ext(name) {
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".js":
		ctype = "text/javascript; charset=utf-8"
	case ".svg":
		ctype = "image/svg+xml"
	}
	c.Header("X-Content-Type-Options", "nosniff")
	if c.Query("v") != "" {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "public, max-age=300")
	}
	c.Data(http.StatusOK, ctype, b)
}
