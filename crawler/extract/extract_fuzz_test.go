package extract

import (
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// FuzzExtract runs the whole extractor: it must never panic, every window
// it returns must be valid, every product must have a name, and the
// category must be a known one.
func FuzzExtract(f *testing.F) {
	for _, path := range noticeFixtures(f) {
		n := loadNoticeFixture(f, path)
		f.Add(n.Title, n.Text, n.SourceVendor, n.Language, n.Published.Unix(), n.HTML, n.Maintenance, "")
	}
	f.Add("<b>Incident with Actions</b>", "<p>Since 10:00 UTC <em>Actions</em> jobs are delayed.</p>", "GitHub", "", int64(1728986400), true, false, "Actions,Pages")
	f.Add("", "", "", "", int64(0), false, false, "")
	f.Add("Wartung", "Am Samstag von 01:00 bis 03:00 Uhr MEZ", "", "de", int64(-1), false, true, ",")
	cat := testCatalog(f)
	ex := New(cat)
	f.Fuzz(func(t *testing.T, title, text, vendor, lang string, pubSec int64, html, maint bool, components string) {
		in := Input{Title: title, Text: text, SourceVendor: vendor, Language: lang, HTML: html, Maintenance: maint}
		if pubSec > 0 && pubSec < 1<<33 {
			in.Published = time.Unix(pubSec, 0).UTC()
			// A structured window derived from the inputs exercises the merge.
			in.Windows = []notice.Window{{Start: in.Published.Add(-time.Hour), End: notice.TimePtr(in.Published), Precision: notice.PrecisionMinute, Origin: notice.OriginStructured}}
		}
		for _, c := range strings.Split(components, ",") {
			if strings.TrimSpace(c) != "" {
				in.Products = append(in.Products, notice.ProductRef{Name: c})
			}
		}
		out := ex.Extract(in)
		for _, w := range out.Windows {
			if err := w.Validate(); err != nil {
				t.Fatalf("invalid window %+v: %v", w, err)
			}
		}
		for _, p := range out.Products {
			if strings.TrimSpace(p.Name) == "" {
				t.Fatalf("product without a name: %+v", out.Products)
			}
		}
		if out.Category != "" && !out.Category.Valid() {
			t.Fatalf("unknown category %q", out.Category)
		}
		if out.Version != Version {
			t.Fatalf("version %q", out.Version)
		}
	})
}
