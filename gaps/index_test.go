package gaps

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// TestIndexesMatchNaive compares NoticeIndex and GapIndex with the plain
// scan on random worlds dense enough for every kind of match.
func TestIndexesMatchNaive(t *testing.T) {
	cat := testCatalog(t)
	l := NewLinker(cat)
	from := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	specs := []worldSpec{
		{seed: 1, notices: 1500, gaps: 250, from: from, span: 60 * 24 * time.Hour,
			vendors: []string{"Microsoft", "AWS", "Salesforce", "Okta"}, oddities: true},
		{seed: 2, notices: 1000, gaps: 200, from: from, span: 365 * 24 * time.Hour, oddities: true},
	}
	kinds := map[notice.MatchKind]int{}
	for _, spec := range specs {
		w := randomWorld(cat, spec)
		nx := l.IndexNotices(w.notices)
		total := 0
		for _, g := range w.gaps {
			want := l.Links(g, w.notices)
			got := nx.LinksFor(g)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d gap %d: NoticeIndex gave %d links, naive %d\n got %+v\nwant %+v", spec.seed, g.ID, len(got), len(want), got, want)
			}
			total += len(want)
			for _, lk := range want {
				kinds[lk.Match]++
			}
		}
		t.Logf("seed %d: %d links", spec.seed, total)
		gx := l.IndexGaps(w.gaps)
		for i, n := range w.notices {
			if i%3 != 0 {
				continue
			}
			var want []notice.Link
			for _, g := range w.gaps {
				want = append(want, l.Links(g, []notice.Notice{n})...)
			}
			slices.SortStableFunc(want, func(a, b notice.Link) int {
				switch {
				case a.Score != b.Score:
					if a.Score > b.Score {
						return -1
					}
					return 1
				}
				return int(a.Gap - b.Gap)
			})
			got := gx.LinksFor(n)
			if len(want) == 0 {
				want = nil
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("seed %d notice %d: GapIndex gave %d links, naive %d\n got %+v\nwant %+v", spec.seed, n.ID, len(got), len(want), got, want)
			}
		}
	}
	if kinds[notice.MatchExact] == 0 || kinds[notice.MatchFamily] == 0 || kinds[notice.MatchVendor] == 0 {
		t.Fatalf("worlds too thin to test every kind, links by kind %v", kinds)
	}
}

func TestIvSet(t *testing.T) {
	var ents []ivEntry
	for i := range int32(200) {
		ents = append(ents, ivEntry{s: i * 10, e: i*10 + 5 + (i%7)*30, ref: i})
	}
	ents = append(ents, ivEntry{s: -50, e: openEnd, ref: 999})
	brute := slices.Clone(ents)
	v := newIvSet(ents)
	for qs := int32(-100); qs < 2200; qs += 37 {
		for _, l := range []int32{1, 9, 100} {
			var got, want []int32
			v.query(qs, qs+l, func(r int32) { got = append(got, r) })
			for _, e := range brute {
				if e.s < qs+l && e.e > qs {
					want = append(want, e.ref)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("query [%d,%d): got %v want %v", qs, qs+l, got, want)
			}
		}
	}
}

func TestMinuteBounds(t *testing.T) {
	tests := []struct {
		in          string
		floor, ceil int32
	}{
		{"1970-01-01T00:00:00Z", 0, 0},
		{"1970-01-01T00:00:30Z", 0, 1},
		{"1970-01-01T00:01:00.5Z", 1, 2},
		{"1969-12-31T23:59:30Z", -1, 0},
	}
	for _, tt := range tests {
		v := ts(t, tt.in)
		if f, c := minuteFloor(v), minuteCeil(v); f != tt.floor || c != tt.ceil {
			t.Errorf("%s: floor %d ceil %d, want %d %d", tt.in, f, c, tt.floor, tt.ceil)
		}
	}
	far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	if minuteFloor(far) >= minuteCeil(far) {
		t.Errorf("clamped far time: floor %d not below ceil %d", minuteFloor(far), minuteCeil(far))
	}
}

// TestIndexesConcurrent runs queries from several goroutines (meaningful
// under -race): indexes are shared read-only by the API's handlers.
func TestIndexesConcurrent(t *testing.T) {
	cat := testCatalog(t)
	l := NewLinker(cat)
	w := randomWorld(cat, worldSpec{seed: 3, notices: 400, gaps: 100, from: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC),
		span: 30 * 24 * time.Hour, vendors: []string{"Microsoft"}, oddities: true})
	nx, gx := l.IndexNotices(w.notices), l.IndexGaps(w.gaps)
	want := make([][]notice.Link, len(w.gaps))
	for i, g := range w.gaps {
		want[i] = nx.LinksFor(g)
	}
	done := make(chan error, 4)
	for range 4 {
		go func() {
			for i, g := range w.gaps {
				if !reflect.DeepEqual(nx.LinksFor(g), want[i]) {
					done <- errors.New("links differ under concurrency")
					return
				}
				gx.LinksFor(w.notices[i])
				l.Links(g, w.notices[:50])
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
