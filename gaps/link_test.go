package gaps

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// win builds a closed window from RFC 3339 bounds.
func win(t *testing.T, start, end string, p notice.Precision) notice.Window {
	return notice.Window{Start: ts(t, start), End: notice.TimePtr(ts(t, end)), Precision: p, Evidence: "from " + start}
}

// openWin builds an ongoing window.
func openWin(t *testing.T, start string, p notice.Precision) notice.Window {
	return notice.Window{Start: ts(t, start), Precision: p}
}

// mkNotice builds a notice with the given products and windows.
func mkNotice(id notice.ID, vendor string, c notice.Category, products []string, ws ...notice.Window) notice.Notice {
	n := notice.Notice{ID: id, Item: notice.Item{Title: "notice " + string(rune('A'+id%26)), Vendor: vendor},
		Extraction: notice.Extraction{Vendor: vendor, Category: c, Windows: ws}}
	for _, p := range products {
		n.Extraction.Products = append(n.Extraction.Products, notice.ProductRef{Name: p, Vendor: vendor})
	}
	return n
}

// seedNotice reads the seed case's notice.
func seedNotice(t *testing.T) notice.Notice {
	var n notice.Notice
	b, err := io.ReadAll(openFixture(t, "seed_notice.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSeedCase(t *testing.T) {
	cat := testCatalog(t)
	// The tenant imports its gap as a CSV row: SigninLogs, no product.
	gs, err := ParseCSV(strings.NewReader("source,start,end\nSigninLogs,2024-09-03T00:00Z,2024-09-18T00:00Z\n"),
		time.UTC, Resolver{Catalog: cat}, Limits{}, ts(t, "2024-10-20T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	g := gs[0]
	g.ID = 7
	if g.Product != "Microsoft Entra ID" {
		t.Fatalf("SigninLogs resolved to %q", g.Product)
	}
	n := seedNotice(t)
	l := NewLinker(cat)
	links := l.Links(g, []notice.Notice{n})
	if len(links) != 1 {
		t.Fatalf("got %d links, want 1: %+v", len(links), links)
	}
	lk := links[0]
	want := notice.Link{
		Gap: 7, Notice: 42, Title: n.Item.Title, Vendor: "Microsoft", Product: "Microsoft Entra ID", Match: notice.MatchExact,
		Category: notice.CategoryDataLoss, Coverage: 1, WindowCoverage: 0.7826, Score: 0.964,
		Evidence: "entre le 2 et le 19 septembre",
	}
	lk.Window, lk.Explanation = notice.Window{}, ""
	if lk != want {
		t.Errorf("link\n got %+v\nwant %+v", lk, want)
	}
	wantText := "Microsoft notice 'Microsoft a perdu des journaux de sécurité de ses clients pendant plus de deux…' " +
		"says Microsoft Entra ID was affected 2–19 Sep 2024 (day precision); that window covers 100% of this " +
		"SigninLogs gap (3–18 Sep 2024), which fills 78% of the window. Category data-loss."
	if links[0].Explanation != wantText {
		t.Errorf("explanation\n got %s\nwant %s", links[0].Explanation, wantText)
	}
	if !links[0].Window.Start.Equal(n.Extraction.Windows[0].Start) || !links[0].FirstLinked.IsZero() {
		t.Errorf("window %+v first linked %v", links[0].Window, links[0].FirstLinked)
	}
	// The same link arrives when the notice comes after the gap.
	if got := l.IndexGaps([]notice.Gap{g}).LinksFor(n); len(got) != 1 || got[0].Score != links[0].Score || got[0].Explanation != wantText {
		t.Errorf("GapIndex gave %+v", got)
	}
}

func TestLinkRanking(t *testing.T) {
	l := NewLinker(testCatalog(t))
	g := notice.Gap{ID: 1, Source: "ExchangeLogs", Product: "Exchange Online", Vendor: "Microsoft",
		Start: ts(t, "2024-09-10T10:00:00Z"), End: ts(t, "2024-09-10T12:00:00Z")}
	full := win(t, "2024-09-10T09:00:00Z", "2024-09-10T13:00:00Z", notice.PrecisionMinute)
	half := win(t, "2024-09-10T11:00:00Z", "2024-09-10T13:00:00Z", notice.PrecisionMinute)
	ns := []notice.Notice{
		mkNotice(1, "Microsoft", notice.CategoryMaintenance, []string{"Exchange Online"}, half),
		mkNotice(2, "Microsoft", notice.CategoryDataLoss, []string{"Microsoft 365"}, full),
		mkNotice(3, "Microsoft", notice.CategoryOutage, []string{"Microsoft Teams"}, full),
		mkNotice(4, "Microsoft", notice.CategoryDataLoss, nil, full),
		mkNotice(5, "Microsoft", notice.CategoryDataLoss, []string{"Microsoft Azure"}, full),
		mkNotice(6, "Microsoft", notice.CategoryDataLoss, []string{"Azure Cosmos DB"}, full),
		mkNotice(7, "AWS", notice.CategoryDataLoss, []string{"AWS CloudTrail"}, full),
		mkNotice(8, "Microsoft", notice.CategoryDataLoss, []string{"Exchange Online"}),
		mkNotice(9, "AWS", notice.CategoryDataLoss, nil, full),
	}
	links := l.Links(g, ns)
	type got struct {
		id    notice.ID
		kind  notice.MatchKind
		prod  string
		cover float64
	}
	want := []got{
		{1, notice.MatchExact, "Exchange Online", 0.5},
		{2, notice.MatchFamily, "Microsoft 365", 1},
		{3, notice.MatchFamily, "Microsoft Teams", 1},
		{4, notice.MatchVendor, "", 1},
		{5, notice.MatchVendor, "Microsoft Azure", 1},
	}
	if len(links) != len(want) {
		t.Fatalf("got %d links, want %d: %+v", len(links), len(want), links)
	}
	for i, w := range want {
		lk := links[i]
		if (got{lk.Notice, lk.Match, lk.Product, lk.Coverage}) != w {
			t.Errorf("link %d = %v %s %q %.2f, want %+v", i, lk.Notice, lk.Match, lk.Product, lk.Coverage, w)
		}
		if i > 0 && links[i-1].Score < lk.Score {
			t.Errorf("links not best first: %v < %v", links[i-1].Score, lk.Score)
		}
	}
	for _, part := range []struct {
		i    int
		text string
	}{
		{1, "Exchange Online is part of Microsoft 365"},
		{2, "Microsoft Teams and Exchange Online are both part of Microsoft 365"},
		{3, "reports a problem at Microsoft"},
		{4, "says Microsoft Azure was affected"},
	} {
		if !strings.Contains(links[part.i].Explanation, part.text) {
			t.Errorf("explanation %d %q lacks %q", part.i, links[part.i].Explanation, part.text)
		}
	}
}

func TestLinkFamilies(t *testing.T) {
	l := NewLinker(testCatalog(t))
	full := win(t, "2024-09-10T09:00:00Z", "2024-09-10T13:00:00Z", notice.PrecisionMinute)
	gap := func(product string) notice.Gap {
		return notice.Gap{ID: 1, Source: "T", Product: product, Vendor: "Microsoft",
			Start: ts(t, "2024-09-10T10:00:00Z"), End: ts(t, "2024-09-10T12:00:00Z")}
	}
	tests := []struct {
		name, gap, notice string
		want              notice.MatchKind // "" = no link
		text              string
	}{
		{"platform umbrella of its family", "Azure Monitor", "Microsoft Azure", notice.MatchFamily, "Azure Monitor is part of Microsoft Azure"},
		{"platform-wide family is no sibling", "Azure Monitor", "Azure Cosmos DB", "", ""},
		{"gap product is the umbrella", "Azure Monitor", "Azure Monitor Agent", notice.MatchFamily, "Azure Monitor Agent is part of Azure Monitor"},
		{"family named by an alias", "Microsoft Entra Connect", "Microsoft Entra ID", notice.MatchFamily, "is part of Microsoft Entra ID"},
		{"other family of the vendor", "Microsoft Entra ID", "Exchange Online", "", ""},
		{"platform outside the family is vendor-wide", "Microsoft Entra ID", "Microsoft Azure", notice.MatchVendor, ""},
		{"alias on the notice side", "Microsoft Entra ID", "Azure AD", notice.MatchExact, "says Microsoft Entra ID was affected"},
		{"unknown product exact by name", "Acme Widget", "acme  widget", notice.MatchExact, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			links := l.Links(gap(tt.gap), []notice.Notice{mkNotice(1, "Microsoft", notice.CategoryOutage, []string{tt.notice}, full)})
			if tt.want == "" {
				if len(links) != 0 {
					t.Fatalf("want no link, got %+v", links)
				}
				return
			}
			if len(links) != 1 || links[0].Match != tt.want || !strings.Contains(links[0].Explanation, tt.text) {
				t.Fatalf("want one %s link mentioning %q, got %+v", tt.want, tt.text, links)
			}
		})
	}
}

func TestLinkWindows(t *testing.T) {
	l := NewLinker(testCatalog(t))
	day := win(t, "2024-09-02T00:00:00Z", "2024-09-19T00:00:00Z", notice.PrecisionDay)
	minute := win(t, "2024-09-10T14:00:00Z", "2024-09-10T15:00:00Z", notice.PrecisionMinute)
	hour := win(t, "2024-09-10T14:20:00Z", "2024-09-10T14:40:00Z", notice.PrecisionHour)
	openMinute := openWin(t, "2024-09-10T12:00:00Z", notice.PrecisionMinute)
	openDay := openWin(t, "2024-09-10T00:00:00Z", notice.PrecisionDay)
	bad := notice.Window{Start: ts(t, "2024-09-10T12:00:00Z"), End: notice.TimePtr(ts(t, "2024-09-10T11:00:00Z")), Precision: notice.PrecisionMinute}
	tests := []struct {
		name       string
		w          notice.Window
		start, end string
		cover      float64 // -1 = no link
		wcover     float64
		text       string
	}{
		{"day window, last day late UTC", day, "2024-09-19T20:00:00Z", "2024-09-19T22:00:00Z", 1, -1, "2–19 Sep 2024 (day precision)"},
		{"day window, next UTC day is still the 19th somewhere", day, "2024-09-20T10:00:00Z", "2024-09-20T12:00:00Z", 1, -1, ""},
		{"day window, half past the widest zone", day, "2024-09-20T13:00:00Z", "2024-09-20T15:00:00Z", 0.5, -1, ""},
		{"day window, beyond every zone", day, "2024-09-20T15:00:00Z", "2024-09-20T16:00:00Z", -1, 0, ""},
		{"day window, before the first day anywhere", day, "2024-09-01T09:00:00Z", "2024-09-01T11:00:00Z", 0.5, -1, ""},
		{"minute window touching the gap", minute, "2024-09-10T15:00:00Z", "2024-09-10T16:00:00Z", -1, 0, ""},
		{"minute window half", minute, "2024-09-10T14:30:00Z", "2024-09-10T15:30:00Z", 0.5, 0.5, "2024-09-10 14:00–15:00 UTC (minute precision)"},
		{"hour window widened to the hour", hour, "2024-09-10T14:50:00Z", "2024-09-10T15:10:00Z", 0.5, 1.0 / 6, ""},
		{"open window covers a later gap", openMinute, "2024-09-15T00:00:00Z", "2024-09-15T01:00:00Z", 1, 0, "still ongoing"},
		{"open window ends at the horizon", openMinute, "2024-10-01T00:00:00Z", "2024-10-01T01:00:00Z", -1, 0, ""},
		{"open window from its start", openMinute, "2024-09-10T11:00:00Z", "2024-09-10T13:00:00Z", 0.5, 0, "is still open"},
		{"open window after the gap", openMinute, "2024-09-10T10:00:00Z", "2024-09-10T11:00:00Z", -1, 0, ""},
		{"open day window widened at its start", openDay, "2024-09-09T09:00:00Z", "2024-09-09T11:00:00Z", 0.5, 0, ""},
		{"malformed window", bad, "2024-09-10T10:00:00Z", "2024-09-10T13:00:00Z", -1, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := notice.Gap{ID: 1, Source: "SigninLogs", Product: "Microsoft Entra ID", Vendor: "Microsoft", Start: ts(t, tt.start), End: ts(t, tt.end)}
			n := mkNotice(1, "Microsoft", notice.CategoryOutage, []string{"Microsoft Entra ID"}, tt.w)
			links := l.Links(g, []notice.Notice{n})
			if tt.cover < 0 {
				if len(links) != 0 {
					t.Fatalf("want no link, got %+v", links)
				}
				return
			}
			if len(links) != 1 {
				t.Fatalf("want one link, got none")
			}
			lk := links[0]
			if lk.Coverage != round4(tt.cover) || (tt.wcover >= 0 && lk.WindowCoverage != round4(tt.wcover)) {
				t.Errorf("coverage %v window coverage %v, want %v %v", lk.Coverage, lk.WindowCoverage, tt.cover, tt.wcover)
			}
			if !strings.Contains(lk.Explanation, tt.text) {
				t.Errorf("explanation %q lacks %q", lk.Explanation, tt.text)
			}
		})
	}
}

func TestLinkBestWindow(t *testing.T) {
	l := NewLinker(testCatalog(t))
	g := notice.Gap{ID: 1, Source: "SigninLogs", Product: "Microsoft Entra ID", Start: ts(t, "2024-09-10T10:00:00Z"), End: ts(t, "2024-09-10T12:00:00Z")}
	part := win(t, "2024-09-10T11:00:00Z", "2024-09-10T13:00:00Z", notice.PrecisionMinute)
	coarse := win(t, "2024-09-09T00:00:00Z", "2024-09-11T00:00:00Z", notice.PrecisionDay)
	fine := win(t, "2024-09-10T09:00:00Z", "2024-09-10T12:30:00Z", notice.PrecisionMinute)
	n := mkNotice(1, "Microsoft", notice.CategoryOutage, []string{"Microsoft Entra ID"}, part, coarse, fine)
	links := l.Links(g, []notice.Notice{n})
	if len(links) != 1 || links[0].Window.Evidence != fine.Evidence || links[0].Coverage != 1 {
		t.Fatalf("want one link from the full, finest window, got %+v", links)
	}
	n.Extraction.Windows[0].Evidence = ""
	n.Extraction.Windows = n.Extraction.Windows[:1]
	if links := l.Links(g, []notice.Notice{n}); len(links) != 1 || links[0].Evidence != n.Item.Title {
		t.Errorf("evidence without window text should be the title, got %+v", links)
	}
}

func TestLinkRevisedWindow(t *testing.T) {
	l := NewLinker(testCatalog(t))
	seed := seedNotice(t)
	g := notice.Gap{ID: 9, Tenant: 3, Source: "SigninLogs", Product: "Microsoft Entra ID", Vendor: "Microsoft",
		Start: ts(t, "2024-09-03T00:00:00Z"), End: ts(t, "2024-09-18T00:00:00Z")}
	other := notice.Gap{ID: 10, Tenant: 4, Source: "SigninLogs", Product: "Microsoft Entra ID", Vendor: "Microsoft",
		Start: ts(t, "2024-10-01T06:00:00Z"), End: ts(t, "2024-10-01T08:00:00Z")}
	idx := l.IndexGaps([]notice.Gap{g, other})
	if links := idx.LinksFor(seed); len(links) != 1 || links[0].Gap != 9 {
		t.Fatalf("first version: %+v", links)
	}
	revised := seed
	revised.Version = 2
	revised.Extraction.Windows = []notice.Window{win(t, "2024-10-01T00:00:00Z", "2024-10-03T00:00:00Z", notice.PrecisionDay)}
	links := idx.LinksFor(revised)
	if len(links) != 1 || links[0].Gap != 10 {
		t.Errorf("revised version should link only gap 10, got %+v", links)
	}
	if got := l.Links(g, []notice.Notice{revised}); len(got) != 0 {
		t.Errorf("gap 9 still linked to the moved window: %+v", got)
	}
	revised.Extraction.Windows = nil
	if got := idx.LinksFor(revised); len(got) != 0 {
		t.Errorf("a notice with no windows linked: %+v", got)
	}
}

func TestFormatPercent(t *testing.T) {
	for f, want := range map[float64]string{1: "100%", 0.5: "50%", 0.9996: "99.9%", 0.0004: "0.1%", 0: "0%", 0.7826: "78%", 0.1: "10%"} {
		if got := formatPercent(f); got != want {
			t.Errorf("formatPercent(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestDayRange(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"2024-09-02T00:00:00Z", "2024-09-19T00:00:00Z", "2–19 Sep 2024"},
		{"2024-08-30T00:00:00Z", "2024-09-02T00:00:00Z", "30 Aug – 2 Sep 2024"},
		{"2024-12-30T00:00:00Z", "2025-01-02T00:00:00Z", "30 Dec 2024 – 2 Jan 2025"},
		{"2024-09-03T00:00:00Z", "2024-09-03T00:00:00Z", "3 Sep 2024"},
	}
	for _, tt := range tests {
		if got := dayRange(ts(t, tt.a), ts(t, tt.b)); got != tt.want {
			t.Errorf("dayRange(%s, %s) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestScoreBands(t *testing.T) {
	worstExact := Score(notice.MatchExact, 0, notice.PrecisionDay, notice.CategoryMaintenance)
	bestFamily := Score(notice.MatchFamily, 1, notice.PrecisionMinute, notice.CategoryDataLoss)
	worstFamily := Score(notice.MatchFamily, 0, notice.PrecisionDay, notice.CategoryMaintenance)
	bestVendor := Score(notice.MatchVendor, 1, notice.PrecisionMinute, notice.CategoryDataLoss)
	if !(worstExact > bestFamily && worstFamily > bestVendor) {
		t.Errorf("bands overlap: exact ≥ %v, family ≤ %v, family ≥ %v, vendor ≤ %v", worstExact, bestFamily, worstFamily, bestVendor)
	}
	if s := Score(notice.MatchExact, 1, notice.PrecisionMinute, notice.CategoryDataLoss); s != 1 {
		t.Errorf("perfect exact score %v, want 1", s)
	}
	cats := []notice.Category{notice.CategoryDataLoss, notice.CategoryOutage, notice.CategoryDegradation, notice.CategorySecurityIncident, notice.CategoryMaintenance}
	for i := 1; i < len(cats); i++ {
		if Score(notice.MatchExact, 1, notice.PrecisionDay, cats[i-1]) <= Score(notice.MatchExact, 1, notice.PrecisionDay, cats[i]) {
			t.Errorf("%s does not outrank %s", cats[i-1], cats[i])
		}
	}
}
