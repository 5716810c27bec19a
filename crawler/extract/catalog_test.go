package extract

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gapwatch/gapwatch/notice"
)

func TestDefaultCatalogCoverage(t *testing.T) {
	c := testCatalog(t)
	if n := len(c.Vendors()); n < 25 {
		t.Errorf("%d vendors, want at least 25", n)
	}
	if n := len(c.Products()); n < 300 {
		t.Errorf("%d products, want at least 300", n)
	}
	for _, v := range []string{"Microsoft", "AWS", "Google Cloud", "Google Workspace", "Cloudflare", "GitHub", "Atlassian",
		"Okta", "Slack", "Zoom", "Salesforce", "CrowdStrike", "Fastly", "Akamai", "Oracle Cloud", "IBM Cloud", "OVHcloud",
		"DigitalOcean", "Datadog", "Snowflake", "MongoDB", "Twilio", "PagerDuty", "Stripe"} {
		if !slices.Contains(c.Vendors(), v) {
			t.Errorf("vendor %q missing", v)
		}
	}
	for _, p := range []string{"Microsoft Entra ID", "Microsoft Sentinel", "Microsoft Purview", "Microsoft Intune",
		"Microsoft Defender for Endpoint", "Microsoft Defender for Cloud", "Exchange Online", "Heroku Dynos", "MongoDB Atlas"} {
		if _, ok := c.Lookup(p); !ok {
			t.Errorf("product %q missing", p)
		}
	}
}

func TestLookup(t *testing.T) {
	c := testCatalog(t)
	tests := []struct{ in, want string }{
		{"Azure AD", "Microsoft Entra ID"},
		{"Azure Active Directory", "Microsoft Entra ID"},
		{"azure-active-directory", "Microsoft Entra ID"},
		{"AAD", "Microsoft Entra ID"},
		{"Azure Sentinel", "Microsoft Sentinel"},
		{"Sentinel", "Microsoft Sentinel"},
		{"Azure Security Center", "Microsoft Defender for Cloud"},
		{"Azure Defender", "Microsoft Defender for Cloud"},
		{"Office 365", "Microsoft 365"},
		{"EC2", "Amazon EC2"},
		{"amazon elastic compute cloud", "Amazon EC2"},
		{"G Suite", "Google Workspace"},
		{"Stackdriver Logging", "Cloud Logging"},
		{"Réunions Zoom", "Zoom Meetings"},
		{"REUNIONS ZOOM", "Zoom Meetings"},
		{"Compute@Edge", "Fastly Compute"},
		{"Cloudflare Access", "Cloudflare Access"},
		{"GitHub Pages", "GitHub Pages"},
		{"OVH Pages", ""},
		{"Kubernetes", ""},
		{"Cloudflare Workers", "Cloudflare Workers"},
		{"Atlassian Access", "Atlassian Guard"},
		{"no such product", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			p, ok := c.Lookup(tc.in)
			if ok != (tc.want != "") || p.Name != tc.want {
				t.Errorf("Lookup(%q) = %q, %v; want %q", tc.in, p.Name, ok, tc.want)
			}
		})
	}
}

func TestByLogSource(t *testing.T) {
	c := testCatalog(t)
	tests := []struct{ table, want string }{
		{"SigninLogs", "Microsoft Entra ID"},
		{"signinlogs", "Microsoft Entra ID"},
		{"AuditLogs", "Microsoft Entra ID"},
		{"AADNonInteractiveUserSignInLogs", "Microsoft Entra ID"},
		{"SecurityAlert", "Microsoft Sentinel"},
		{"SecurityIncident", "Microsoft Sentinel"},
		{"OfficeActivity", "Microsoft 365"},
		{"DeviceProcessEvents", "Microsoft Defender for Endpoint"},
		{"AWSCloudTrail", "AWS CloudTrail"},
		{"CloudTrail logs", "AWS CloudTrail"},
		{"cloudaudit.googleapis.com/activity", "Cloud Audit Logs"},
		{"Okta_CL", "Okta System Log"},
		{"NoSuchTable", ""},
	}
	for _, tc := range tests {
		t.Run(tc.table, func(t *testing.T) {
			p, ok := c.ByLogSource(tc.table)
			if ok != (tc.want != "") || p.Name != tc.want {
				t.Errorf("ByLogSource(%q) = %q, %v; want %q", tc.table, p.Name, ok, tc.want)
			}
		})
	}
}

func TestCanonicalVendor(t *testing.T) {
	c := testCatalog(t)
	tests := []struct{ in, want string }{
		{"Amazon Web Services", "AWS"},
		{"aws", "AWS"},
		{"MSFT", "Microsoft"},
		{"Microsoft Corporation", "Microsoft"},
		{"Microsoft Azure", "Microsoft"},
		{"Google Cloud Platform", "Google Cloud"},
		{"GCP", "Google Cloud"},
		{"G Suite", "Google Workspace"},
		{"Heroku", "Salesforce"},
		{"OVH", "OVHcloud"},
		{"Linode", "Akamai"},
		{"Unknown Corp", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := c.CanonicalVendor(tc.in)
			if ok != (tc.want != "") || got != tc.want {
				t.Errorf("CanonicalVendor(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
			}
		})
	}
}

func TestProductsAreCopies(t *testing.T) {
	c := testCatalog(t)
	ps := c.Products()
	ps[0].Aliases = append(ps[0].Aliases[:0:0], "mutated")
	p, _ := c.Lookup(ps[0].Name)
	if slices.Contains(p.Aliases, "mutated") {
		t.Fatal("Products exposed the catalog's own slices")
	}
	for _, p := range ps {
		if p.Name == "" || p.Vendor == "" {
			t.Errorf("product without name or vendor: %+v", p)
		}
	}
}

func TestLoadCatalogMerge(t *testing.T) {
	c, err := LoadCatalog("testdata/products/user_good.yaml")
	if err != nil {
		t.Fatalf("LoadCatalog: %v", err)
	}
	base := testCatalog(t)
	if len(c.Products()) != len(base.Products())+3 {
		t.Errorf("merged catalog has %d products, want %d", len(c.Products()), len(base.Products())+3)
	}
	if v, ok := c.CanonicalVendor("AcmeCloud Inc"); !ok || v != "Acme Cloud" {
		t.Errorf("new vendor alias: got %q, %v", v, ok)
	}
	if v, ok := c.CanonicalVendor("Amazon Cloud"); !ok || v != "AWS" {
		t.Errorf("added alias of an existing vendor: got %q, %v", v, ok)
	}
	if p, ok := c.Lookup("Acme Buckets"); !ok || p.Name != "Acme Object Store" || p.Vendor != "Acme Cloud" {
		t.Errorf("former name of a user product: %+v, %v", p, ok)
	}
	if p, ok := c.Lookup("AMG"); !ok || p.Vendor != "AWS" {
		t.Errorf("user product of an existing vendor: %+v, %v", p, ok)
	}
	if p, ok := c.ByLogSource("CloudTrailCustom_CL"); !ok || p.Name != "AWS CloudTrail" {
		t.Errorf("overridden log sources: %+v, %v", p, ok)
	}
	if _, ok := c.ByLogSource("CloudTrail logs"); ok {
		t.Errorf("override kept the replaced log source")
	}
	ms := c.MatchProducts("Acme Object Store outage", "AOS buckets returned errors.", "")
	if len(ms) != 1 || ms[0].Product.Name != "Acme Object Store" {
		t.Errorf("user product not matched: %v", names(ms))
	}
}

func TestLoadCatalogErrors(t *testing.T) {
	tests := []struct {
		file string
		want []string // substrings of the error
	}{
		{"testdata/products/bad_alias_clash.yaml", []string{"bad_alias_clash.yaml", "Watchtower Sentinel", `"sentinel"`, "ambiguous"}},
		{"testdata/products/bad_same_vendor.yaml", []string{"bad_same_vendor.yaml", "Microsoft Loop", `"teams"`, "same vendor"}},
		{"testdata/products/bad_unknown_field.yaml", []string{"bad_unknown_field.yaml", "alias"}},
		{"testdata/products/bad_no_name.yaml", []string{"bad_no_name.yaml", "Nameless Inc", "no name"}},
		{"testdata/products/bad_log_source.yaml", []string{"bad_log_source.yaml", "Other IdP Directory", "SigninLogs", "Microsoft Entra ID"}},
		{"testdata/products/bad_platform.yaml", []string{"bad_platform.yaml", "Platformless", "platform"}},
		{"testdata/products/missing.yaml", []string{"missing.yaml"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			_, err := LoadCatalog(tc.file)
			if err == nil {
				t.Fatal("LoadCatalog succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	t.Run("validation errors are ErrInvalid", func(t *testing.T) {
		_, err := LoadCatalog("testdata/products/bad_alias_clash.yaml")
		if !errors.Is(err, notice.ErrInvalid) {
			t.Errorf("error %v does not wrap notice.ErrInvalid", err)
		}
	})
}

func TestCatalogAmbiguityIsDeclared(t *testing.T) {
	c := testCatalog(t)
	owners := map[string][]Product{}
	for _, p := range c.Products() {
		for _, list := range [][]string{{p.Name}, p.Aliases, p.Former, p.Ambiguous} {
			for _, n := range list {
				k := foldString(n)
				if !slices.ContainsFunc(owners[k], func(q Product) bool { return q.Name == p.Name }) {
					owners[k] = append(owners[k], p)
				}
			}
		}
	}
	for k, ps := range owners {
		if len(ps) < 2 {
			continue
		}
		for _, p := range ps {
			if !slices.ContainsFunc(p.Ambiguous, func(a string) bool { return foldString(a) == k }) {
				t.Errorf("%q is shared by %d products but not ambiguous in %q", k, len(ps), p.Name)
			}
		}
	}
	for _, short := range []string{"Sentinel", "Teams", "Access", "Workers", "Functions", "Storage", "Compute", "Pages", "Actions"} {
		p, ok := c.Lookup(short)
		_ = p
		found := false
		for _, q := range c.Products() {
			if slices.Contains(q.Ambiguous, short) {
				found = true
			}
		}
		if !found {
			t.Errorf("%q is not an ambiguous name of any product (Lookup ok=%v)", short, ok)
		}
	}
}
