package index

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

func fixtureWindows(t *testing.T) *Windows {
	t.Helper()
	w := NewWindows()
	if err := w.Rebuild(eachOf(fixtureNotices())); err != nil {
		t.Fatal(err)
	}
	return w
}

// hitKeys renders hits compactly as "id:product@start".
func hitKeys(hs []notice.WindowHit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = fmt.Sprintf("%d:%s@%s", h.NoticeID, h.Product, h.Start.Format("01-02T15:04"))
	}
	return out
}

func TestWindowsLookup(t *testing.T) {
	w := fixtureWindows(t)
	tests := []struct {
		name, product, from, to string
		want                    []string
	}{
		{"two notices, by start", "Microsoft Entra ID", "2024-03-03T10:15:00Z", "2024-03-03T10:20:00Z",
			[]string{"1:Microsoft Entra ID@03-03T09:00", "7:Microsoft Entra ID@03-03T10:00"}},
		{"case-insensitive", "  microsoft ENTRA id ", "2024-03-03T10:15:00Z", "2024-03-03T10:20:00Z",
			[]string{"1:Microsoft Entra ID@03-03T09:00", "7:Microsoft Entra ID@03-03T10:00"}},
		{"end is inclusive", "Microsoft Entra ID", "2024-03-03T11:30:00Z", "2024-03-03T12:00:00Z", []string{"1:Microsoft Entra ID@03-03T09:00"}},
		{"start is inclusive", "Microsoft Entra ID", "2024-03-03T08:00:00Z", "2024-03-03T09:00:00Z", []string{"1:Microsoft Entra ID@03-03T09:00"}},
		{"just after", "Microsoft Entra ID", "2024-03-03T11:30:00.000000001Z", "2024-03-03T12:00:00Z", nil},
		{"day window widened back 14 h", "Logs Data Platform", "2024-03-04T10:00:00Z", "2024-03-04T10:00:00Z", []string{"2:Logs Data Platform@03-05T00:00"}},
		{"day window not before that", "Logs Data Platform", "2024-03-04T09:59:59Z", "2024-03-04T09:59:59Z", nil},
		{"day window widened forward 14 h", "Logs Data Platform", "2024-03-06T14:00:00Z", "2024-03-07T00:00:00Z", []string{"2:Logs Data Platform@03-05T00:00"}},
		{"day window not after that", "Logs Data Platform", "2024-03-06T14:00:01Z", "2024-03-07T00:00:00Z", nil},
		{"hour window covers its last hour", "Jira Cloud", "2024-03-04T12:59:59Z", "2024-03-04T12:59:59Z", []string{"6:Jira Cloud@03-04T10:00"}},
		{"hour window ends with its hour", "Jira Cloud", "2024-03-04T13:00:01Z", "", nil},
		{"open window is ongoing", "Okta Workforce Identity", "2024-04-08T11:00:00Z", "2024-04-09T00:00:00Z", []string{"3:Okta Workforce Identity@04-01T10:00"}},
		{"open window until a week after the notice", "Okta Workforce Identity", "2024-04-08T12:00:00Z", "", []string{"3:Okta Workforce Identity@04-01T10:00"}},
		{"open window not after that", "Okta Workforce Identity", "2024-04-08T12:00:00.000000001Z", "", nil},
		{"open window before its start", "Okta Workforce Identity", "", "2024-04-01T09:59:00Z", nil},
		{"open bounds return everything", "Microsoft Sentinel", "", "",
			[]string{"4:Microsoft Sentinel@02-01T00:00", "4:Microsoft Sentinel@02-10T00:00"}},
		{"only the overlapping window of a notice", "Microsoft Sentinel", "2024-02-09T00:00:00Z", "",
			[]string{"4:Microsoft Sentinel@02-10T00:00"}},
		{"gap between windows", "Microsoft Sentinel", "2024-02-02T00:00:00Z", "2024-02-09T00:00:00Z", nil},
		{"product without windows", "Cloudflare CDN", "", "", nil},
		{"unknown product", "Nothing", "", "", nil},
		{"reversed range", "Microsoft Sentinel", "2024-02-10T00:00:00Z", "2024-02-01T00:00:00Z", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var from, to time.Time
			if tt.from != "" {
				from = parseAny(t, tt.from)
			}
			if tt.to != "" {
				to = parseAny(t, tt.to)
			}
			if got := hitKeys(w.Lookup(tt.product, from, to)); !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWindowsHitFields(t *testing.T) {
	w := fixtureWindows(t)
	hs := w.At("Okta Workforce Identity", at("2024-04-02T00:00:00Z"))
	want := notice.WindowHit{
		NoticeID: 3, Product: "Okta Workforce Identity", Vendor: "Okta", Start: at("2024-04-01T10:00:00Z"),
		Precision: notice.PrecisionMinute, Category: notice.CategorySecurityIncident,
		Title: "Investigating unauthorized access to support system", URL: "https://status.example.test/incidents/3",
	}
	if len(hs) != 1 || hs[0].AssumedEnd == nil || !hs[0].AssumedEnd.Equal(at("2024-04-08T12:00:00Z")) {
		t.Fatalf("At = %+v, want an open window assumed to end a week after its notice", hs)
	}
	hs[0].AssumedEnd = nil
	if hs[0] != want {
		t.Fatalf("At = %+v, want %+v", hs, want)
	}
	hs = w.At("Jira Cloud", at("2024-03-04T11:00:00Z"))
	if len(hs) != 1 || hs[0].End == nil || !hs[0].End.Equal(at("2024-03-04T12:00:00Z")) || hs[0].Precision != notice.PrecisionHour {
		t.Fatalf("At = %+v", hs)
	}
	*hs[0].End = time.Time{} // hits are copies: changing one changes nothing
	if again := w.At("Jira Cloud", at("2024-03-04T11:00:00Z")); !again[0].End.Equal(at("2024-03-04T12:00:00Z")) {
		t.Fatal("a hit shares its end with the index")
	}
}

func TestWindowsLookupVendor(t *testing.T) {
	w := fixtureWindows(t)
	w.Put(notice.Notice{ID: 9, Item: notice.Item{Title: "Degraded purging", Vendor: "Fastly"},
		Extraction: notice.Extraction{Windows: []notice.Window{win("2024-02-05T00:00:00Z", "2024-02-05T01:00:00Z", notice.PrecisionMinute)}}})
	tests := []struct {
		name, vendor, from, to string
		want                   []string
	}{
		{"every window and product of the vendor", "microsoft", "2024-02-01T00:00:00Z", "2024-03-31T00:00:00Z", []string{
			"4:Microsoft Defender for Endpoint@02-01T00:00", "4:Microsoft Sentinel@02-01T00:00",
			"4:Microsoft Defender for Endpoint@02-10T00:00", "4:Microsoft Sentinel@02-10T00:00",
			"1:Microsoft Entra ID@03-03T09:00", "7:Microsoft Entra ID@03-03T10:00",
		}},
		{"notice without products", "Fastly", "", "", []string{"9:@02-05T00:00"}},
		{"product name is not a vendor", "Microsoft Sentinel", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var from, to time.Time
			if tt.from != "" {
				from = parseAny(t, tt.from)
			}
			if tt.to != "" {
				to = parseAny(t, tt.to)
			}
			if got := hitKeys(w.LookupVendor(tt.vendor, from, to)); !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWindowsUpdate(t *testing.T) {
	w := fixtureWindows(t)
	n := fixtureNotices()[0] // Entra ID, 2024-03-03 09:00-11:30
	before := w.Len()

	n.Extraction.Windows = []notice.Window{win("2024-03-03T09:00:00Z", "2024-03-03T09:45:00Z", notice.PrecisionMinute)}
	w.Put(n)
	if got := hitKeys(w.At("Microsoft Entra ID", at("2024-03-03T10:15:00Z"))); !slices.Equal(got, []string{"7:Microsoft Entra ID@03-03T10:00"}) {
		t.Fatalf("after revising the window: %v", got)
	}
	if w.Len() != before {
		t.Fatalf("Len %d after replacing a window, want %d", w.Len(), before)
	}

	n.Extraction.Products = []notice.ProductRef{{Name: "Exchange Online", Vendor: "Microsoft"}}
	w.Put(n)
	if got := hitKeys(w.Lookup("Microsoft Entra ID", time.Time{}, time.Time{})); !slices.Equal(got, []string{"7:Microsoft Entra ID@03-03T10:00"}) {
		t.Fatalf("old product still filed: %v", got)
	}
	if got := hitKeys(w.At("exchange online", at("2024-03-03T09:30:00Z"))); !slices.Equal(got, []string{"1:Exchange Online@03-03T09:00"}) {
		t.Fatalf("new product: %v", got)
	}

	n.Extraction.Windows = nil
	w.Put(n)
	if got := w.Lookup("Exchange Online", time.Time{}, time.Time{}); len(got) != 0 {
		t.Fatalf("windows of a notice that lost them: %v", hitKeys(got))
	}

	w.Remove(7, 4, 12345)
	if got := w.Lookup("Microsoft Entra ID", time.Time{}, time.Time{}); len(got) != 0 {
		t.Fatalf("removed notice still filed: %v", hitKeys(got))
	}
	if got := w.LookupVendor("Microsoft", time.Time{}, time.Time{}); len(got) != 0 {
		t.Fatalf("removed notices still filed under the vendor: %v", hitKeys(got))
	}

	a, b := fixtureNotices()[6], fixtureNotices()[6]
	b.Extraction.Windows = []notice.Window{win("2024-06-01T00:00:00Z", "2024-06-01T01:00:00Z", notice.PrecisionMinute)}
	w.PutAll([]notice.Notice{a, b})
	if got := hitKeys(w.Lookup("Microsoft Entra ID", time.Time{}, time.Time{})); !slices.Equal(got, []string{"7:Microsoft Entra ID@06-01T00:00"}) {
		t.Fatalf("PutAll with a notice twice should keep the last: %v", got)
	}
}

func TestWindowsRebuildError(t *testing.T) {
	w := fixtureWindows(t)
	boom := errors.New("boom")
	err := w.Rebuild(func(fn func(notice.Notice) error) error {
		_ = fn(notice.Notice{ID: 100, Extraction: notice.Extraction{Products: []notice.ProductRef{{Name: "X"}},
			Windows: []notice.Window{win("2024-01-01T00:00:00Z", "", notice.PrecisionDay)}}})
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if len(w.Lookup("X", time.Time{}, time.Time{})) != 0 || len(w.Lookup("Jira Cloud", time.Time{}, time.Time{})) != 1 {
		t.Fatal("a failed rebuild changed the windows")
	}
}

// randomNotices builds notices with random windows of every precision,
// some open, a few products each.
func randomNotices(r *rand.Rand, n int) []notice.Notice {
	products := []string{"A", "B", "C", "D"}
	precisions := []notice.Precision{notice.PrecisionMinute, notice.PrecisionHour, notice.PrecisionDay}
	base := at("2024-01-01T00:00:00Z")
	out := make([]notice.Notice, n)
	for i := range out {
		nt := notice.Notice{ID: notice.ID(i + 1), Item: notice.Item{Vendor: "V"}}
		for _, p := range products {
			if r.IntN(3) == 0 {
				nt.Extraction.Products = append(nt.Extraction.Products, notice.ProductRef{Name: p})
			}
		}
		for range r.IntN(3) {
			start := base.Add(time.Duration(r.IntN(60*24*90)) * time.Minute)
			w := notice.Window{Start: start, Precision: precisions[r.IntN(3)]}
			if r.IntN(10) != 0 {
				w.End = notice.TimePtr(start.Add(time.Duration(r.IntN(60*24*5)) * time.Minute))
			}
			nt.Extraction.Windows = append(nt.Extraction.Windows, w)
		}
		out[i] = nt
	}
	return out
}

// bruteForce answers a lookup by checking every window.
func bruteForce(ns []notice.Notice, product string, from, to time.Time, scope notice.OpenScope) []string {
	var hs []notice.WindowHit
	for _, n := range ns {
		if !slices.ContainsFunc(n.Extraction.Products, func(p notice.ProductRef) bool { return p.Name == product }) {
			continue
		}
		for _, w := range n.Extraction.Windows {
			lo, hi := w.Bounds(n.OpenUntil(w))
			if w.End == nil && scope == notice.OpenAll {
				hi = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			if (to.IsZero() || !lo.After(to)) && (from.IsZero() || !hi.Before(from)) {
				hs = append(hs, notice.WindowHit{NoticeID: n.ID, Product: product, Start: w.Start})
			}
		}
	}
	slices.SortFunc(hs, func(a, b notice.WindowHit) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return int(a.NoticeID - b.NoticeID)
	})
	return hitKeys(hs)
}

// TestWindowsMatchesBruteForce loads windows by rebuild, batches and single
// puts, revises and removes some (enough for deltas to fold into the base
// several times), and checks lookups in both open scopes against a scan.
func TestWindowsMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ns := randomNotices(r, 8000)
	w := NewWindows()
	if err := w.Rebuild(eachOf(ns[:1000])); err != nil {
		t.Fatal(err)
	}
	for lo := 1000; lo < 7500; lo += 250 {
		w.PutAll(ns[lo : lo+250])
	}
	for _, n := range ns[7500:] {
		w.Put(n)
	}
	// Revise 2000 notices in place (new windows, same IDs) and remove 1000.
	revised := randomNotices(r, 2000)
	for i := range revised {
		revised[i].ID = ns[i*4].ID
		ns[i*4] = revised[i]
	}
	for lo := 0; lo < len(revised); lo += 100 {
		w.PutAll(revised[lo : lo+100])
	}
	var kept []notice.Notice
	for i, n := range ns {
		if i%8 == 3 {
			w.Remove(n.ID)
			continue
		}
		kept = append(kept, n)
	}
	if want := bruteForceLen(kept); w.Len() != want {
		t.Fatalf("Len = %d, want %d", w.Len(), want)
	}
	base := at("2024-01-01T00:00:00Z")
	for i := range 600 {
		from := base.Add(time.Duration(r.IntN(60*24*100)-60*24*5) * time.Minute)
		to := from.Add(time.Duration(r.IntN(60*24*3)) * time.Minute)
		switch i % 10 {
		case 0:
			from = time.Time{}
		case 1:
			to = time.Time{}
		}
		p := []string{"A", "B", "C", "D"}[i%4]
		scope := notice.OpenScope(i / 2 % 2)
		got := hitKeys(w.Find(notice.WindowQuery{Product: p, From: from, To: to, Open: scope}))
		want := bruteForce(kept, p, from, to, scope)
		if !slices.Equal(got, want) {
			t.Fatalf("Find(%s, %s, %s, scope %d): got %d hits, want %d\n got %v\nwant %v", p, from, to, scope, len(got), len(want), got, want)
		}
	}
}

// bruteForceLen counts the windows filed under product keys.
func bruteForceLen(ns []notice.Notice) int {
	n := 0
	for _, nt := range ns {
		n += len(nt.Extraction.Windows) * len(nt.Extraction.Products)
	}
	return n
}

func TestWindowsOpenScope(t *testing.T) {
	w := fixtureWindows(t)
	q := notice.WindowQuery{Product: "Okta Workforce Identity", From: at("2031-06-01T00:00:00Z"), To: at("2031-06-02T00:00:00Z")}
	if got := w.Find(q); len(got) != 0 {
		t.Fatalf("recent scope: a 2024 open window covers 2031: %v", hitKeys(got))
	}
	q.Open = notice.OpenAll
	if got := hitKeys(w.Find(q)); !slices.Equal(got, []string{"3:Okta Workforce Identity@04-01T10:00"}) {
		t.Fatalf("all scope: got %v", got)
	}
	q = notice.WindowQuery{Vendor: "okta", From: at("2031-06-01T00:00:00Z"), Open: notice.OpenAll}
	if got := hitKeys(w.Find(q)); !slices.Equal(got, []string{"3:Okta Workforce Identity@04-01T10:00"}) {
		t.Fatalf("vendor, all scope: got %v", got)
	}
}

// TestWindowsAgreeWithIndex checks that the two answers to "which notices
// have a window of this product overlapping this range" agree.
func TestWindowsAgreeWithIndex(t *testing.T) {
	ix, _ := openFixtureIndex(t)
	w := fixtureWindows(t)
	ranges := [][2]string{
		{"2024-03-03T10:15:00Z", "2024-03-03T10:20:00Z"}, {"2024-03-04T10:00:00Z", "2024-03-04T10:00:00Z"},
		{"2024-02-02T00:00:00Z", "2024-02-09T00:00:00Z"}, {"2024-02-05T00:00:00Z", "2024-02-10T00:00:00Z"},
		{"2030-01-01T00:00:00Z", "2030-01-01T00:00:00Z"}, {"2024-01-01T00:00:00Z", "2024-12-31T00:00:00Z"},
	}
	for _, n := range fixtureNotices() {
		for _, p := range n.Extraction.Products {
			for _, rg := range ranges {
				from, to := at(rg[0]), at(rg[1])
				var fromWindows []notice.ID
				// The search filter takes open windows as window lookups do.
				for _, h := range w.Lookup(p.Name, from, to) {
					if !slices.Contains(fromWindows, h.NoticeID) {
						fromWindows = append(fromWindows, h.NoticeID)
					}
				}
				r, err := ix.Search(context.Background(), notice.Query{Products: []string{p.Name}, From: from, To: to, Size: MaxSize})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := sorted(ids(r)), sorted(fromWindows); !slices.Equal(got, want) {
					t.Fatalf("%s %v: index %v, windows %v", p.Name, rg, got, want)
				}
			}
		}
	}
}

func TestWindowsConcurrent(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ns := randomNotices(r, 400)
	w := NewWindows()
	if err := w.Rebuild(eachOf(ns[:200])); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 300 {
				from := at("2024-01-01T00:00:00Z").Add(time.Duration(i*g) * time.Hour)
				for _, h := range w.Lookup("A", from, from.Add(48*time.Hour)) {
					if h.Product != "A" {
						t.Errorf("hit of product %q", h.Product)
						return
					}
				}
				w.LookupVendor("v", time.Time{}, time.Time{})
			}
		})
	}
	wg.Go(func() {
		for _, n := range ns[200:] {
			w.Put(n)
		}
	})
	wg.Go(func() {
		for i := 1; i <= 200; i += 2 {
			w.Remove(notice.ID(i))
		}
	})
	wg.Wait()
	for i := 1; i <= 200; i += 2 {
		for _, p := range []string{"A", "B", "C", "D"} {
			for _, h := range w.Lookup(p, time.Time{}, time.Time{}) {
				if h.NoticeID == notice.ID(i) {
					t.Fatalf("removed notice %d still filed", i)
				}
			}
		}
	}
	want := 0
	for _, n := range ns[200:] {
		want += len(n.Extraction.Windows) * len(n.Extraction.Products)
	}
	for _, n := range ns[:200] {
		if n.ID%2 == 0 {
			want += len(n.Extraction.Windows) * len(n.Extraction.Products)
		}
	}
	if w.Len() != want {
		t.Fatalf("Len = %d, want %d", w.Len(), want)
	}
}
