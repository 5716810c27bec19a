package digest

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

var updateGolden = flag.Bool("update-digest", false, "rewrite the digest golden files in testdata/")

func TestBuild(t *testing.T) {
	d := Build(sampleInput())
	t.Run("subject names the explained gaps' products", func(t *testing.T) {
		want := "gapwatch: 2 of your log gaps now explained — Microsoft Entra ID, Microsoft Sentinel"
		if d.Subject != want {
			t.Errorf("subject %q, want %q", d.Subject, want)
		}
	})
	t.Run("headline in the tenant's zone", func(t *testing.T) {
		if len(d.Explained) != 2 {
			t.Fatalf("explained %d gaps, want 2: %+v", len(d.Explained), d.Explained)
		}
		if got, want := d.Explained[0].Headline, "Microsoft notice explains your SigninLogs gap of 3–18 Sep"; got != want {
			t.Errorf("headline %q, want %q", got, want)
		}
		// 23:00Z on 16 Sep is 01:00 on 17 Sep in Paris (CEST).
		if got, want := d.Explained[1].Gap, "17 Sep 2024 01:00–06:00 CEST"; got != want {
			t.Errorf("gap %q, want %q", got, want)
		}
		if got := d.Explained[1].Coverage; got != "93% of the gap" {
			t.Errorf("coverage %q", got)
		}
	})
	t.Run("followed notices grouped by vendor, others left out", func(t *testing.T) {
		var vendors []string
		for _, v := range d.Vendors {
			vendors = append(vendors, v.Vendor)
		}
		if strings.Join(vendors, ",") != "Amazon Web Services,Microsoft" {
			t.Fatalf("vendors %v", vendors)
		}
		if n := d.NoticeCount(); n != 3 {
			t.Errorf("%d notices, want 3 (no Slack, no cosmetic revision)", n)
		}
		if got := d.Vendors[1].Notices[0].Windows[0]; got != "3–18 Sep" {
			t.Errorf("day window %q, want dates without times", got)
		}
		if got := d.Vendors[0].Notices[0].Windows[0]; got != "since 20 Sep 2024 15:00 CEST (ongoing)" {
			t.Errorf("open window %q", got)
		}
	})
	t.Run("unexplained oldest first, capped", func(t *testing.T) {
		in := sampleInput()
		in.MaxUnexplained = 1
		d := Build(in)
		if len(d.Unexplained) != 1 || d.Unexplained[0].Source != "Syslog" || d.MoreUnexplained != 1 {
			t.Errorf("unexplained %+v more %d", d.Unexplained, d.MoreUnexplained)
		}
	})
}

func TestBuildChanges(t *testing.T) {
	base := sampleInput()
	entra := base.Changes[0].Notice
	revised := entra.Extraction
	revised.Windows = []notice.Window{{Start: day("2024-09-04"), End: notice.TimePtr(day("2024-09-18")), Precision: notice.PrecisionDay}}
	recat := entra.Extraction
	recat.Category = notice.CategoryOutage
	same := entra.Extraction
	cases := []struct {
		name string
		prev *notice.Extraction
		want string
	}{
		{"new", nil, "new"},
		{"window revised", &revised, "window revised"},
		{"category revised", &recat, "category revised"},
		{"unchanged facts", &same, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := changeKind(notice.NoticeChange{Notice: entra, Previous: c.prev}); got != c.want {
				t.Errorf("changeKind %q, want %q", got, c.want)
			}
		})
	}
}

func TestBuildEmpty(t *testing.T) {
	in := sampleInput()
	in.Changes = nil
	for i := range in.Gaps {
		for j := range in.Gaps[i].Links {
			in.Gaps[i].Links[j].FirstLinked = in.Since.Add(-time.Hour)
		}
	}
	d := Build(in)
	if !d.Empty() {
		t.Fatalf("digest not empty: %+v", d)
	}
	if len(d.Unexplained) != 2 {
		t.Errorf("unexplained gaps still listed for an all-quiet note, got %d", len(d.Unexplained))
	}
	if d.Subject != "gapwatch: all quiet this week" {
		t.Errorf("subject %q", d.Subject)
	}
}

func TestCategoryFilter(t *testing.T) {
	in := sampleInput()
	in.Subscription.Categories = []notice.Category{notice.CategoryOutage}
	d := Build(in)
	if n := d.NoticeCount(); n != 1 || d.Vendors[0].Vendor != "Amazon Web Services" {
		t.Errorf("with outage only: %d notices %+v", n, d.Vendors)
	}
}

func TestFormatWindow(t *testing.T) {
	loc := paris()
	cases := []struct {
		name string
		w    notice.Window
		want string
	}{
		{"single day", notice.Window{Start: day("2024-03-31"), End: notice.TimePtr(day("2024-03-31")), Precision: notice.PrecisionDay}, "31 Mar 2024"},
		{"days across months", notice.Window{Start: day("2024-08-28"), End: notice.TimePtr(day("2024-09-03")), Precision: notice.PrecisionDay}, "28 Aug–3 Sep"},
		{"minutes across DST", notice.Window{Start: at("2024-03-31T00:30:00Z"), End: notice.TimePtr(at("2024-03-31T01:30:00Z")), Precision: notice.PrecisionMinute}, "31 Mar 2024 01:30 CET – 03:30 CEST"},
		{"across years", notice.Window{Start: day("2024-12-30"), End: notice.TimePtr(day("2025-01-02")), Precision: notice.PrecisionDay}, "30 Dec 2024–2 Jan 2025"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := FormatWindow(c.w, loc); got != c.want {
				t.Errorf("FormatWindow = %q, want %q", got, c.want)
			}
		})
	}
}

func TestRenderGolden(t *testing.T) {
	r, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	quiet := sampleInput()
	quiet.Changes, quiet.Gaps = nil, nil
	for _, c := range []struct {
		name string
		in   Input
	}{{"week", sampleInput()}, {"quiet", quiet}} {
		t.Run(c.name, func(t *testing.T) {
			out, err := r.Render(Build(c.in))
			if err != nil {
				t.Fatal(err)
			}
			golden(t, c.name+".html", out.HTML)
			golden(t, c.name+".txt", out.Text)
			for _, bad := range []string{"<script", "<img", "<link", "00:00"} {
				if strings.Contains(out.HTML, bad) || strings.Contains(out.Text, bad) {
					t.Errorf("rendered digest contains %q", bad)
				}
			}
		})
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./digest -update-digest)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./digest -update-digest to accept):\n%s", name, got)
	}
}
