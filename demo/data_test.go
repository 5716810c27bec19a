package demo_test

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/demo"
	"github.com/mmcdole/gofeed"
	"golang.org/x/text/encoding/charmap"
)

func TestArticleLinksResolve(t *testing.T) {
	w := startWorld(t)
	articles := 0
	for _, s := range w.Sources {
		if !s.FetchArticle {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			_, body := fetchOK(t, s.URL)
			feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("parse feed: %v", err)
			}
			summaryOnly := 0
			for _, it := range feed.Items {
				resp, page := fetchOK(t, it.Link)
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("%s: Content-Type %q, want text/html", it.Link, ct)
				}
				html := decodeBody(t, resp, page)
				if !strings.Contains(html, "<h1") || !strings.Contains(html, it.Title) {
					t.Errorf("%s: page lacks the item's title %q in an <h1>", it.Link, it.Title)
				}
				if !strings.Contains(html, "<footer") && !strings.Contains(html, `id="pied-de-page"`) {
					t.Errorf("%s: page has no site chrome around the article", it.Link)
				}
				if it.Content == "" {
					summaryOnly++
					if len(html) < 4*len(it.Description)+2000 {
						t.Errorf("%s: article page (%d bytes) is not much longer than the summary", it.Link, len(html))
					}
				}
				articles++
			}
			if summaryOnly == 0 {
				t.Error("no summary-only item: the feed never needs FetchArticle")
			}
		})
	}
	if articles < 10 {
		t.Errorf("%d article pages, want at least 10", articles)
	}
}

// servedFiles lists the world files a client can fetch, by URL path.
func servedFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	err := fs.WalkDir(demo.Files(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "_") || path.Ext(p) == ".md" {
			return err
		}
		out = append(out, "/"+p)
		return nil
	})
	if err != nil {
		t.Fatalf("walk world: %v", err)
	}
	return out
}

// xmlNamespaces are URLs that appear in documents as identifiers, never
// fetched.
var xmlNamespaces = []string{
	"http://www.w3.org/2005/Atom",
	"http://purl.org/rss/1.0/modules/content/",
	"http://purl.org/dc/elements/1.1/",
	"https://jsonfeed.org/version/1.1",
	"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd",
	"http://www.w3.org/1999/xhtml",
}

func TestEveryLinkStaysOnTheWorld(t *testing.T) {
	w := startWorld(t)
	urlRE := regexp.MustCompile(`https?://[^\s"'<>\\)]+`)
	files := servedFiles(t)
	if len(files) < 30 {
		t.Fatalf("only %d served files", len(files))
	}
	for _, p := range files {
		_, body := fetchOK(t, w.URL+p)
		if bytes.Contains(body, []byte("{{")) {
			t.Errorf("%s: unreplaced template placeholder", p)
		}
	next:
		for _, u := range urlRE.FindAllString(string(body), -1) {
			if strings.HasPrefix(u, w.URL+"/") || u == w.URL {
				continue
			}
			for _, ns := range xmlNamespaces {
				if u == ns {
					continue next
				}
			}
			t.Errorf("%s: URL %s leaves the loopback world", p, u)
		}
	}
}

func TestRequiredPhrases(t *testing.T) {
	var all strings.Builder
	fsys := demo.Files()
	for _, p := range servedFiles(t) {
		data, err := fs.ReadFile(fsys, strings.TrimPrefix(p, "/"))
		if err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
		if strings.HasPrefix(p, "/news/actusecu/") {
			if data, err = charmap.ISO8859_1.NewDecoder().Bytes(data); err != nil {
				t.Fatalf("decode %s: %v", p, err)
			}
		}
		all.Write(data)
		all.WriteByte('\n')
	}
	text := strings.ToLower(all.String())
	for _, phrase := range []string{
		"entre le 2 et le 19 septembre",
		"du 2 au 19 septembre",
		"from september 2 to september 19, 2024",
		"between 19:00 utc on 2 september 2024 and 15:00 utc on 19 september 2024",
		"between 08:51 utc on 14 march 2024 and 15:30 utc on 15 march 2024",
		"between 12:15 pm and 12:21 pm pdt",
		"from 10:21 to 13:05 pdt on june 12",
		"between 11:43 pm pdt on june 3 and 1:12 am pdt on june 4",
		"dans la nuit du 9 au 10 mars",
		"00h47",
		"data-var=&apos;date&apos;&gt; 9&lt;/var&gt;", // space-padded day in a Statuspage history.rss stamp
		"microsoft entra id", "microsoft sentinel", "microsoft defender for cloud", "microsoft purview", "microsoft intune",
	} {
		if !strings.Contains(text, phrase) {
			t.Errorf("no notice contains %q", phrase)
		}
	}
}

func TestTenantGapsCSV(t *testing.T) {
	rows, err := csv.NewReader(bytes.NewReader(demo.TenantGapsCSV())).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v", err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "source,product,start,end,note" {
		t.Fatalf("header %v, want source,product,start,end,note", rows[:min(len(rows), 1)])
	}
	gaps := rows[1:]
	if len(gaps) < 6 || len(gaps) > 8 {
		t.Errorf("%d gaps, want 6 to 8", len(gaps))
	}
	sept2 := time.Date(2024, 9, 2, 0, 0, 0, 0, time.UTC)
	sept20 := time.Date(2024, 9, 20, 0, 0, 0, 0, time.UTC)
	inSeptember := map[string]bool{}
	for i, g := range gaps {
		start, err1 := time.Parse(time.RFC3339, g[2])
		end, err2 := time.Parse(time.RFC3339, g[3])
		if err1 != nil || err2 != nil || !strings.HasSuffix(g[2], "Z") || !strings.HasSuffix(g[3], "Z") {
			t.Errorf("row %d: times %q %q are not RFC 3339 UTC", i+1, g[2], g[3])
			continue
		}
		if !end.After(start) || g[0] == "" || g[1] == "" {
			t.Errorf("row %d: %v is not a well-formed gap", i+1, g)
		}
		if !start.Before(sept2) && !end.After(sept20) {
			inSeptember[g[0]] = true
		}
	}
	for _, table := range []string{"SigninLogs", "AuditLogs", "SecurityAlert"} {
		if !inSeptember[table] {
			t.Errorf("no %s gap inside 2–19 September 2024", table)
		}
	}
}
