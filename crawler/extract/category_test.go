package extract

import (
	"os"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gapwatch/gapwatch/notice"
)

// categoryCase is one entry of testdata/category/cases.yaml.
type categoryCase struct {
	Lang        string `yaml:"lang"`
	Title       string `yaml:"title"`
	Text        string `yaml:"text"`
	Impact      string `yaml:"impact"`
	Maintenance bool   `yaml:"maintenance"`
	Want        string `yaml:"want"`
}

func TestClassify(t *testing.T) {
	data, err := os.ReadFile("testdata/category/cases.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []categoryCase
	if err := yaml.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	langs := map[string]map[string]bool{}
	for _, tc := range cases {
		if langs[tc.Lang] == nil {
			langs[tc.Lang] = map[string]bool{}
		}
		langs[tc.Lang][tc.Want] = true
		t.Run(tc.Lang+"/"+tc.Want+"/"+tc.Title, func(t *testing.T) {
			if !notice.Category(tc.Want).Valid() {
				t.Fatalf("fixture wants unknown category %q", tc.Want)
			}
			got := Classify(tc.Title, tc.Text, tc.Impact, tc.Maintenance)
			if got != notice.Category(tc.Want) {
				t.Errorf("Classify(%q) = %s, want %s", tc.Title, got, tc.Want)
			}
		})
	}
	for _, lang := range []string{"en", "fr", "de", "es", "it", "ja", "zh", "ko"} {
		for _, c := range []string{"outage", "maintenance", "security-incident"} {
			if !langs[lang][c] {
				t.Errorf("fixtures lack a %s case in %s", c, lang)
			}
		}
	}
}

func TestClassifyNegation(t *testing.T) {
	tests := []struct {
		name, text string
		want       notice.Category
	}{
		{"no data was lost", "Indexing was delayed. No data was lost.", notice.CategoryDegradation},
		{"data was lost", "Indexing was delayed and data was lost for three hours.", notice.CategoryDataLoss},
		{"lost logs despite an outage word", "Microsoft a perdu des journaux de sécurité de ses clients pendant deux semaines, à cause d'une panne de ses agents.", notice.CategoryDataLoss},
		{"lost security logs", "A bug in monitoring agents lost security logs for two weeks after an outage of the collector.", notice.CategoryDataLoss},
		{"not an attack", "This was not the result of an attack. The service was down.", notice.CategoryOutage},
		{"attack", "An attacker gained unauthorized access and exfiltrated data.", notice.CategorySecurityIncident},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify("", tc.text, "", false); got != tc.want {
				t.Errorf("Classify(%q) = %s, want %s", tc.text, got, tc.want)
			}
		})
	}
}

func TestClassifyImpactField(t *testing.T) {
	tests := []struct {
		impact string
		want   notice.Category
	}{
		{"major", notice.CategoryOutage},
		{"critical", notice.CategoryOutage},
		{"minor", notice.CategoryDegradation},
		{"partial_outage", notice.CategoryDegradation},
		{"maintenance", notice.CategoryMaintenance},
	}
	for _, tc := range tests {
		t.Run(tc.impact, func(t *testing.T) {
			if got := Classify("Investigating issue", "We are investigating reports of problems.", tc.impact, false); got != tc.want {
				t.Errorf("impact %q: got %s, want %s", tc.impact, got, tc.want)
			}
		})
	}
}
