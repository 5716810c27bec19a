package demo

import (
	"testing"
	"testing/fstest"
)

func TestAcceptsGzip(t *testing.T) {
	for _, c := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"deflate, gzip;q=1.0, *;q=0.5", true},
		{"br", false},
		{"x-gzip", true},
		{"*", true},
		{"gzip;q=0", false},
		{"gzip; q=0.0, *", false},
		{"*;q=0, gzip", true},
		{"identity", false},
	} {
		t.Run(c.header, func(t *testing.T) {
			if got := acceptsGzip(c.header); got != c.want {
				t.Errorf("acceptsGzip(%q) = %v, want %v", c.header, got, c.want)
			}
		})
	}
}

func TestContentType(t *testing.T) {
	for _, c := range []struct {
		name, data, want string
	}{
		{"a.rss", `<?xml version="1.0" encoding="UTF-8"?><rss/>`, "application/rss+xml; charset=UTF-8"},
		{"a.xml", `<?xml version='1.0' encoding='ISO-8859-1'?><rss/>`, "application/rss+xml; charset=ISO-8859-1"},
		{"a.xml", `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>`, "application/atom+xml; charset=utf-8"},
		{"a.xml", `<urlset/>`, "application/xml; charset=utf-8"},
		{"a.atom", `<feed/>`, "application/atom+xml; charset=utf-8"},
		{"feed.json", `{"version": "https://jsonfeed.org/version/1.1"}`, "application/feed+json; charset=utf-8"},
		{"incidents.json", `[]`, "application/json; charset=utf-8"},
		{"a.htm", `<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1" />`, "text/html; charset=iso-8859-1"},
		{"a.html", `<meta charset="utf-8">`, "text/html; charset=utf-8"},
		{"gaps.csv", "a,b\n", "text/csv; charset=utf-8"},
		{"README.md", "# x", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := contentType(c.name, []byte(c.data)); got != c.want {
				t.Errorf("contentType(%q) = %q, want %q", c.name, got, c.want)
			}
		})
	}
}

func TestBuildSiteAndLookup(t *testing.T) {
	fsys := fstest.MapFS{
		"news/_layout.html":               {Data: []byte("<title>{{TITLE}} | Site</title><nav>menu</nav>{{ARTICLE}}<footer>f</footer>")},
		"news/a/story.html":               {Data: []byte(`<article><h1 class="t">Big <em>news</em></h1><a href="{{WORLD}}/x">x</a></article>`)},
		"news/2025/01/02/slug/index.html": {Data: []byte("<h1>Slug</h1>")},
		"plain.html":                      {Data: []byte("<h1>Plain</h1>")},
		"feed.rss":                        {Data: []byte(`<rss><link>{{WORLD}}/</link></rss>`)},
		"notes.md":                        {Data: []byte("not served")},
		"news/_hidden.rss":                {Data: []byte("<rss/>")},
	}
	s, err := buildSite(fsys, "http://127.0.0.1:1")
	if err != nil {
		t.Fatalf("buildSite: %v", err)
	}
	for _, c := range []struct {
		path, want string // want "" means not found
	}{
		{"/news/a/story", `<title>Big news | Site</title><nav>menu</nav><article><h1 class="t">Big <em>news</em></h1><a href="http://127.0.0.1:1/x">x</a></article><footer>f</footer>`},
		{"/news/a/story.html", `<title>Big news | Site</title><nav>menu</nav><article><h1 class="t">Big <em>news</em></h1><a href="http://127.0.0.1:1/x">x</a></article><footer>f</footer>`},
		{"/news/2025/01/02/slug/", "<title>Slug | Site</title><nav>menu</nav><h1>Slug</h1><footer>f</footer>"},
		{"/plain.html", "<h1>Plain</h1>"},
		{"/feed.rss", "<rss><link>http://127.0.0.1:1/</link></rss>"},
		{"//feed.rss", "<rss><link>http://127.0.0.1:1/</link></rss>"},
		{"/notes.md", ""},
		{"/news/_layout.html", ""},
		{"/news/_hidden.rss", ""},
		{"/news/a/", ""},
	} {
		t.Run(c.path, func(t *testing.T) {
			res, ok := s.lookup(c.path)
			switch {
			case c.want == "" && ok:
				t.Errorf("found %q, want not found", res.body)
			case c.want != "" && !ok:
				t.Error("not found")
			case ok && string(res.body) != c.want:
				t.Errorf("body %q, want %q", res.body, c.want)
			}
		})
	}
}
