package digest

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Rendered is a digest written out as an email: subject, HTML body and the
// plain-text alternative carrying the same facts.
type Rendered struct {
	Subject string `json:"subject"`
	HTML    string `json:"html"`
	Text    string `json:"text"`
}

// Renderer holds the parsed templates; it is safe for concurrent use.
type Renderer struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

// NewRenderer parses the embedded templates.
func NewRenderer() (*Renderer, error) {
	join := func(xs []string) string { return strings.Join(xs, ", ") }
	h, err := htmltemplate.New("digest.html.tmpl").Funcs(htmltemplate.FuncMap{"join": join}).
		ParseFS(templateFS, "templates/digest.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("digest: parse html template: %w", err)
	}
	t, err := texttemplate.New("digest.txt.tmpl").Funcs(texttemplate.FuncMap{"join": join}).
		ParseFS(templateFS, "templates/digest.txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("digest: parse text template: %w", err)
	}
	return &Renderer{html: h, text: t}, nil
}

// view adds what the templates ask of a digest.
type view struct {
	Digest
	Empty bool
}

// Render writes a digest as HTML and plain text.
func (r *Renderer) Render(d Digest) (Rendered, error) {
	v := view{Digest: d, Empty: d.Empty()}
	var hb, tb bytes.Buffer
	if err := r.html.Execute(&hb, v); err != nil {
		return Rendered{}, fmt.Errorf("digest: render html: %w", err)
	}
	if err := r.text.Execute(&tb, v); err != nil {
		return Rendered{}, fmt.Errorf("digest: render text: %w", err)
	}
	return Rendered{Subject: d.Subject, HTML: hb.String(), Text: tb.String()}, nil
}
