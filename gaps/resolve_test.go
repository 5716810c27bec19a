package gaps

import (
	"testing"

	"github.com/gapwatch/gapwatch/notice"
)

func TestResolve(t *testing.T) {
	cat := testCatalog(t)
	tests := []struct {
		name            string
		tenantMap       map[string]string
		source, product string
		wantProduct     string
		wantVendor      string
	}{
		{name: "catalog log source", source: "SigninLogs", wantProduct: "Microsoft Entra ID", wantVendor: "Microsoft"},
		{name: "catalog log source ignores case", source: "signinlogs", wantProduct: "Microsoft Entra ID", wantVendor: "Microsoft"},
		{name: "tenant map wins over catalog", source: "SigninLogs", tenantMap: map[string]string{"SigninLogs": "Okta SSO"},
			wantProduct: "Okta Single Sign-On", wantVendor: "Okta"},
		{name: "tenant map ignores case", source: "SIGNINLOGS", tenantMap: map[string]string{"signinlogs": "Microsoft Sentinel"},
			wantProduct: "Microsoft Sentinel", wantVendor: "Microsoft"},
		{name: "tenant map exact key first", source: "Logs", tenantMap: map[string]string{"logs": "Microsoft Sentinel", "Logs": "Okta Verify"},
			wantProduct: "Okta Verify", wantVendor: "Okta"},
		{name: "tenant map unknown product kept", source: "app_events", tenantMap: map[string]string{"app_events": "Custom App"},
			wantProduct: "Custom App"},
		{name: "empty tenant map value ignored", source: "SigninLogs", tenantMap: map[string]string{"SigninLogs": " "},
			wantProduct: "Microsoft Entra ID", wantVendor: "Microsoft"},
		{name: "given product canonicalised", source: "whatever", product: "Azure AD", wantProduct: "Microsoft Entra ID", wantVendor: "Microsoft"},
		{name: "given product wins over map", source: "SigninLogs", product: "CloudTrail", tenantMap: map[string]string{"SigninLogs": "Okta SSO"},
			wantProduct: "AWS CloudTrail", wantVendor: "AWS"},
		{name: "unknown product kept as given", source: "x", product: "Acme Widget", wantProduct: "Acme Widget"},
		{name: "unknown source", source: "my_table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Resolver{Catalog: cat, TenantMap: tt.tenantMap}
			p, v := r.Resolve(tt.source, tt.product)
			if p != tt.wantProduct || v != tt.wantVendor {
				t.Errorf("Resolve(%q, %q) = (%q, %q), want (%q, %q)", tt.source, tt.product, p, v, tt.wantProduct, tt.wantVendor)
			}
		})
	}
}

func TestResolveWithoutCatalog(t *testing.T) {
	r := Resolver{TenantMap: map[string]string{"SigninLogs": "Entra"}}
	if p, v := r.Resolve("SigninLogs", ""); p != "Entra" || v != "" {
		t.Errorf("got (%q, %q), want (Entra, \"\")", p, v)
	}
	if p, v := r.Resolve("AuditLogs", ""); p != "" || v != "" {
		t.Errorf("got (%q, %q), want nothing", p, v)
	}
}

func TestFill(t *testing.T) {
	r := Resolver{Catalog: testCatalog(t)}
	gs := []notice.Gap{{Source: "SigninLogs"}, {Source: "SigninLogs", Product: "Kept", Vendor: "V"}}
	r.Fill(gs)
	if gs[0].Product != "Microsoft Entra ID" || gs[0].Vendor != "Microsoft" {
		t.Errorf("filled %+v", gs[0])
	}
	if gs[1].Product != "Kept" || gs[1].Vendor != "V" {
		t.Errorf("overwrote %+v", gs[1])
	}
}
