package digest

import (
	"errors"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// fakeNames resolves lower-case aliases to canonical names.
type fakeNames struct{}

func (fakeNames) Product(s string) (string, bool) {
	if s == "entra" || s == "Microsoft Entra ID" {
		return "Microsoft Entra ID", true
	}
	return "", false
}

func (fakeNames) Vendor(s string) (string, bool) {
	if s == "msft" || s == "Microsoft" {
		return "Microsoft", true
	}
	return "", false
}

func TestValidateSubscription(t *testing.T) {
	cases := []struct {
		name      string
		edit      func(s *notice.Subscription)
		wantParam string
	}{
		{"default is valid", func(*notice.Subscription) {}, ""},
		{"bad recipient", func(s *notice.Subscription) { s.Recipients = []string{"soc@example.test", "nobody"} }, "recipients[1]"},
		{"named recipient", func(s *notice.Subscription) { s.Recipients = []string{"SOC <soc@example.test>"} }, "recipients[0]"},
		{"bad zone", func(s *notice.Subscription) { s.Timezone = "Mars/Olympus" }, "timezone"},
		{"bad hour", func(s *notice.Subscription) { s.Hour = 24 }, "hour"},
		{"bad weekday", func(s *notice.Subscription) { s.Weekday = 7 }, "weekday"},
		{"bad category", func(s *notice.Subscription) { s.Categories = []notice.Category{"gossip"} }, "categories[0]"},
		{"unknown vendor", func(s *notice.Subscription) { s.Vendors = []string{"msft", "acme"} }, "vendors[1]"},
		{"unknown product", func(s *notice.Subscription) { s.Products = []string{"nope"} }, "products[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := notice.DefaultSubscription(notice.Tenant{ID: 3})
			c.edit(&s)
			err := ValidateSubscription(&s, fakeNames{})
			var pe *notice.ParamError
			switch {
			case c.wantParam == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case c.wantParam != "" && (!errors.As(err, &pe) || pe.Param != c.wantParam):
				t.Fatalf("error %v, want a ParamError on %s", err, c.wantParam)
			}
		})
	}
}

func TestValidateSubscriptionCanonicalises(t *testing.T) {
	s := notice.Subscription{Recipients: []string{" soc@example.test"}, Vendors: []string{"msft"},
		Products: []string{"entra"}, Weekday: time.Friday, Hour: 17, Timezone: "Europe/Paris"}
	if err := ValidateSubscription(&s, fakeNames{}); err != nil {
		t.Fatal(err)
	}
	if s.Recipients[0] != "soc@example.test" || s.Vendors[0] != "Microsoft" || s.Products[0] != "Microsoft Entra ID" {
		t.Fatalf("not canonicalised: %+v", s)
	}
}
