package extract

import (
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// matchCase is one entry of testdata/products/notices.yaml.
type matchCase struct {
	Name         string   `yaml:"name"`
	SourceVendor string   `yaml:"source_vendor"`
	Title        string   `yaml:"title"`
	Text         string   `yaml:"text"`
	Want         []string `yaml:"want"`
	Not          []string `yaml:"not"`
	Exact        bool     `yaml:"exact"`
}

// testCatalog loads the default catalog once per test.
func testCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := DefaultCatalog()
	if err != nil {
		t.Fatalf("DefaultCatalog: %v", err)
	}
	return c
}

func TestMatchProductsFixtures(t *testing.T) {
	c := testCatalog(t)
	data, err := os.ReadFile("testdata/products/notices.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []matchCase
	if err := yaml.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			ms := c.MatchProducts(tc.Title, tc.Text, tc.SourceVendor)
			var got []string
			for _, m := range ms {
				got = append(got, m.Product.Name)
				checkOffsets(t, tc.Title, tc.Text, m)
			}
			for _, w := range tc.Want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q; got %q", w, got)
				}
			}
			for _, n := range tc.Not {
				if slices.Contains(got, n) {
					t.Errorf("unexpected %q; got %q", n, got)
				}
			}
			if tc.Exact && len(got) != len(tc.Want) {
				t.Errorf("got %q, want exactly %q", got, tc.Want)
			}
		})
	}
}

// checkOffsets verifies that a match's offsets point at its Matched text.
func checkOffsets(t *testing.T, title, text string, m ProductMatch) {
	t.Helper()
	if m.Start < 0 {
		if !m.Inferred || m.Matched != "" || m.End != -1 {
			t.Errorf("%s: no offsets but not an unplaced inference: %+v", m.Product.Name, m)
		}
		return
	}
	src := text
	if m.InTitle {
		src = title
	}
	if m.End > len(src) || src[m.Start:m.End] != m.Matched {
		t.Errorf("%s: offsets [%d,%d) do not hold %q", m.Product.Name, m.Start, m.End, m.Matched)
	}
}

func TestMatchProductsAmbiguous(t *testing.T) {
	c := testCatalog(t)
	tests := []struct {
		name, source, title, text, want string
	}{
		{"Kubernetes on DigitalOcean", "DigitalOcean", "Kubernetes clusters unreachable", "Kubernetes API servers are unreachable.", "DigitalOcean Kubernetes"},
		{"Kubernetes on OVHcloud", "OVHcloud", "Kubernetes clusters unreachable", "Kubernetes API servers are unreachable.", "OVHcloud Managed Kubernetes Service"},
		{"Kubernetes with Google nearby", "", "Outage", "Google said Kubernetes Engine and Kubernetes clusters failed.", "Google Kubernetes Engine"},
		{"Storage with Azure in the title", "", "Azure incident in West Europe", "Customers using Storage in West Europe experienced failures.", "Azure Storage"},
		{"Copilot on GitHub", "GitHub", "Copilot degraded", "Copilot requests are failing.", "GitHub Copilot"},
		{"Copilot on Microsoft", "Microsoft", "Copilot degraded", "Copilot requests are failing.", "Microsoft 365 Copilot"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms := c.MatchProducts(tc.title, tc.text, tc.source)
			if len(ms) == 0 || ms[0].Product.Name != tc.want {
				t.Errorf("got %v, want %s first", names(ms), tc.want)
			}
		})
	}
	t.Run("no vendor context", func(t *testing.T) {
		for _, word := range []string{"Storage", "Functions", "Compute", "Access", "Workers", "Actions", "Pages", "Teams", "Sentinel"} {
			text := word + " were unavailable for two hours, customers said."
			if ms := c.MatchProducts("Outage", text, ""); len(ms) != 0 {
				t.Errorf("%q alone matched %v", word, names(ms))
			}
		}
	})
	t.Run("vendor too far away", func(t *testing.T) {
		text := "Microsoft published its results. " + strings.Repeat("Nothing related happened here at all. ", 10) + "Teams were unavailable."
		for _, m := range c.MatchProducts("News", text, "") {
			if m.Product.Name == "Microsoft Teams" {
				t.Errorf("Teams matched with the vendor %d bytes away", len(text))
			}
		}
	})
}

func TestMatchProductsCaseRules(t *testing.T) {
	c := testCatalog(t)
	tests := []struct {
		name, text string
		want       bool
	}{
		{"acronym upper", "EC2 instances failed to launch.", true},
		{"acronym lower", "the ec2 instances failed to launch.", false},
		{"capitalised word", "Outlook could not send mail.", true},
		{"common word", "The outlook for recovery is poor and mail failed.", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "AWS"
			if strings.Contains(strings.ToLower(tc.text), "outlook") {
				src = "Microsoft"
			}
			got := len(c.MatchProducts("Incident", tc.text, src)) > 0 && !c.MatchProducts("Incident", tc.text, src)[0].Inferred
			if got != tc.want {
				t.Errorf("matched = %v, want %v (%v)", got, tc.want, names(c.MatchProducts("Incident", tc.text, src)))
			}
		})
	}
}

func TestDetectVendor(t *testing.T) {
	c := testCatalog(t)
	tests := []struct{ name, source, title, text, want string }{
		{"source wins", "Amazon Web Services", "Azure and GCP mentioned", "Azure, Azure, GCP.", "AWS"},
		{"source not in catalog", "Staffbase", "Media server", "", "Staffbase"},
		{"title weighs more", "", "Cloudflare outage", "AWS and Google were fine. AWS said so.", "Cloudflare"},
		{"product names the vendor", "", "Gmail down", "Users could not send mail.", "Google Workspace"},
		{"statuspage title", "", "Indexing Delay - Incident Report for Mezmo Status Page", "Logs were delayed.", "Mezmo"},
		{"statuspage title unknown vendor", "", "Login failures - Incident Report for Foocorp", "", "Foocorp"},
		{"none", "", "Weather report", "Sunny.", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.DetectVendor(tc.title, tc.text, tc.source); got != tc.want {
				t.Errorf("DetectVendor = %q, want %q", got, tc.want)
			}
		})
	}
}

// names lists the product names of matches.
func names(ms []ProductMatch) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Product.Name)
	}
	return out
}

func FuzzMatchProducts(f *testing.F) {
	c := testCatalog(f)
	f.Add("Azure AD outage", "Teams, Outlook and EC2 were down.", "Microsoft")
	f.Add("", "클라우드플레어 장애. ＡＷＳ", "")
	f.Add("x - Incident Report for ", "- a:\n- b", "?")
	f.Fuzz(func(t *testing.T, title, text, source string) {
		for _, m := range c.MatchProducts(title, text, source) {
			checkOffsets(t, title, text, m)
		}
		c.DetectVendor(title, text, source)
		Classify(title, text, source, false)
		DetectLanguage(text)
	})
}

// benchNotice returns a 2 KB English status notice for benchmarks.
func benchNotice() string {
	const para = "Between 14:05 and 16:40 UTC on 3 March, a subset of customers using Azure Front Door, Azure App Service and Microsoft Entra ID experienced elevated error rates and latency. Azure Storage and Azure SQL Database were not impacted. Engineers rolled back a configuration change. "
	return strings.Repeat(para, 2048/len(para)+1)[:2048]
}

func BenchmarkMatchProducts(b *testing.B) {
	c := testCatalog(b)
	text := benchNotice()
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.MatchProducts("Azure Front Door - Post Incident Review", text, "Microsoft")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notices/s")
}

// BenchmarkMatchProductsBaseline folds the same notice without matching,
// so the matcher's own cost is the difference.
func BenchmarkMatchProductsBaseline(b *testing.B) {
	text := benchNotice()
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		fold("Azure Front Door - Post Incident Review")
		fold(text)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "notices/s")
}

func TestMatchProductsConcurrent(t *testing.T) {
	c := testCatalog(t)
	text := benchNotice()
	want := names(c.MatchProducts("Azure Front Door incident", text, "Microsoft"))
	done := make(chan []string)
	for i := 0; i < 4; i++ {
		go func() {
			var got []string
			for j := 0; j < 20; j++ {
				got = names(c.MatchProducts("Azure Front Door incident", text, "Microsoft"))
			}
			done <- got
		}()
	}
	for i := 0; i < 4; i++ {
		if got := <-done; !slices.Equal(got, want) {
			t.Errorf("concurrent result %v, want %v", got, want)
		}
	}
}
