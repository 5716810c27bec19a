// Package htmltext turns HTML fragments from feeds and status pages into
// readable plain text, so that notices are indexed, matched and shown as
// text rather than as markup.
package htmltext

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// lineElements start a new line where they open and close, so that list
// items, table rows and divisions do not run into each other.
var lineElements = map[atom.Atom]bool{
	atom.Div: true, atom.Li: true, atom.Tr: true, atom.Dt: true, atom.Dd: true,
	atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Main: true,
	atom.Figcaption: true, atom.Address: true, atom.Caption: true,
}

// paragraphElements are separated from what surrounds them by a blank line.
var paragraphElements = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Table: true, atom.Blockquote: true,
	atom.Pre: true, atom.Hr: true, atom.Section: true, atom.Article: true, atom.Figure: true,
}

// skippedElements hold no readable text: their whole content is dropped.
var skippedElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Title: true, atom.Iframe: true, atom.Svg: true, atom.Object: true,
}

// Text returns the readable plain text of an HTML fragment: tags dropped,
// entities decoded, block elements (p, br, div, li, h1-6, tr …) turned into
// line breaks, script and style dropped, runs of spaces collapsed and at most
// one blank line kept between paragraphs. As in a browser, newlines in the
// source are plain spaces except inside <pre>. It never fails: malformed
// markup is read the way browsers read it.
func Text(fragment string) string {
	w := &textWriter{}
	z := html.NewTokenizer(strings.NewReader(fragment))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return normalize(w.b.String())
		case html.TextToken:
			w.text(string(z.Text()))
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			w.tag(atom.Lookup(name), true, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			w.tag(atom.Lookup(name), false, false)
		}
	}
}

// textWriter accumulates text and the breaks that tags imply.
type textWriter struct {
	b    strings.Builder
	skip int // depth inside skipped elements
	pre  int // depth inside <pre>
}

// text appends a text token; outside <pre> its newlines are spaces.
func (w *textWriter) text(s string) {
	if w.skip > 0 {
		return
	}
	if w.pre == 0 {
		s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	}
	w.b.WriteString(s)
}

// tag applies the effect of an opening (open) or closing tag.
func (w *textWriter) tag(a atom.Atom, open, selfClosing bool) {
	switch {
	case skippedElements[a]:
		if open && !selfClosing {
			w.skip++
		} else if !open && w.skip > 0 {
			w.skip--
		}
	case w.skip > 0:
	case a == atom.Br:
		w.b.WriteByte('\n')
	case paragraphElements[a]:
		if a == atom.Pre && open {
			w.pre++
		} else if a == atom.Pre && w.pre > 0 {
			w.pre--
		}
		w.breaks(2)
	case lineElements[a]:
		w.breaks(1)
	case a == atom.Td || a == atom.Th:
		w.b.WriteByte(' ')
	}
}

// breaks makes the text end with at least n newlines (ignoring trailing
// spaces), so that adjacent block elements do not stack blank lines.
func (w *textWriter) breaks(n int) {
	tail := w.b.String()
	tail = tail[len(strings.TrimRight(tail, " \t\r\n")):]
	have := strings.Count(tail, "\n")
	for ; have < n; have++ {
		w.b.WriteByte('\n')
	}
}

// normalize collapses horizontal whitespace inside each line, trims every
// line and keeps at most one empty line between non-empty ones.
func normalize(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, line := range lines {
		line = collapseSpaces(line)
		if line == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// collapseSpaces turns every run of whitespace (including no-break spaces
// and tabs) into one space and trims the ends.
func collapseSpaces(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff'
	}), " ")
}

// tagPattern finds things that look like an HTML tag or comment.
var tagPattern = regexp.MustCompile(`<(/?[A-Za-z][A-Za-z0-9]*)[\s/>]|<!--`)

// entityPattern finds HTML character references (&amp; &#39; &#x27;).
var entityPattern = regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// LooksLikeHTML reports whether s appears to contain markup: a tag of a
// known HTML element, a comment, or a character reference. Plain text that
// merely uses "<" or "&" (such as "latency < 5 ms" or "AT&T") is not HTML,
// so it is kept as is instead of being mangled by an HTML parser.
func LooksLikeHTML(s string) bool {
	for _, m := range entityPattern.FindAllString(s, -1) {
		if html.UnescapeString(m) != m {
			return true
		}
	}
	for _, m := range tagPattern.FindAllStringSubmatch(s, -1) {
		if m[0] == "<!--" {
			return true
		}
		name := strings.ToLower(strings.TrimPrefix(m[1], "/"))
		if atom.Lookup([]byte(name)) != 0 {
			return true
		}
	}
	return false
}
