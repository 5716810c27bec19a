package gaps

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// importNow is "now" for the import fixtures.
const importNow = "2024-10-15T00:00:00Z"

// parser is ParseCSV or ParseJSON.
type parser func(io.Reader, *time.Location, Resolver, Limits, time.Time) ([]notice.Gap, error)

// wantGoodGaps are the gaps of gaps_good.csv and gaps_good.json, read in
// Europe/Paris with the tenant mapping AuditLogs to Microsoft Sentinel.
func wantGoodGaps(t *testing.T) []notice.Gap {
	return []notice.Gap{
		{Source: "SigninLogs", Product: "Microsoft Entra ID", Vendor: "Microsoft",
			Start: ts(t, "2024-09-03T00:00:00Z"), End: ts(t, "2024-09-18T00:00:00Z"), Note: "seed gap"},
		{Source: "AuditLogs", Product: "Microsoft Sentinel", Vendor: "Microsoft",
			Start: ts(t, "2024-09-03T08:00:00Z"), End: ts(t, "2024-09-03T10:30:00Z"), Note: "tenant zone and tenant map"},
		{Source: "AWSCloudTrail", Product: "AWS CloudTrail", Vendor: "AWS",
			Start: ts(t, "2024-09-03T08:00:00Z"), End: ts(t, "2024-09-03T09:00:30Z"), Note: "offset zone"},
		{Source: "custom_app", Product: "Microsoft Entra ID", Vendor: "Microsoft",
			Start: ts(t, "2024-09-03T14:00:00Z"), End: ts(t, "2024-09-03T15:00:00Z"), Note: "IANA zone"},
		{Source: "MyTable", Product: "Acme Widget",
			Start: ts(t, "2024-09-04T08:00:00Z"), End: ts(t, "2024-09-04T09:00:00Z"), Note: "note, with a comma"},
	}
}

func TestParseGood(t *testing.T) {
	res := Resolver{Catalog: testCatalog(t), TenantMap: map[string]string{"auditlogs": "Microsoft Sentinel"}}
	paris := mustZone(t, "Europe/Paris")
	for _, tt := range []struct {
		name    string
		fixture string
		parse   parser
	}{
		{"csv", "gaps_good.csv", ParseCSV},
		{"json", "gaps_good.json", ParseJSON},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(openFixture(t, tt.fixture), paris, res, Limits{}, ts(t, importNow))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			want := wantGoodGaps(t)
			if len(got) != len(want) {
				t.Fatalf("got %d gaps, want %d (duplicates collapsed): %+v", len(got), len(want), got)
			}
			for i := range want {
				g, w := got[i], want[i]
				if g.Source != w.Source || g.Product != w.Product || g.Vendor != w.Vendor || !g.Start.Equal(w.Start) ||
					!g.End.Equal(w.End) || g.Note != w.Note || g.Detected || g.Start.Location() != time.UTC {
					t.Errorf("gap %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

// rowKey renders a row error as "line:field" for comparison.
func rowKeys(rows []RowError) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%d:%s", r.Line, r.Field)
	}
	return out
}

func TestParseBad(t *testing.T) {
	res := Resolver{Catalog: testCatalog(t)}
	paris := mustZone(t, "Europe/Paris")
	tests := []struct {
		name    string
		parse   parser
		input   string // fixture name, or inline text when it has a newline
		lim     Limits
		want    []string          // line:field of every bad row, in order
		reasons map[string]string // line:field → part of the reason
	}{
		{name: "csv every bad row", parse: ParseCSV, input: "gaps_bad.csv",
			want: []string{"3:source", "4:start", "5:end", "6:start", "7:end", "8:", "9:source", "9:start", "9:end", "10:start", "11:start"},
			reasons: map[string]string{"3:source": "required", "4:start": "RFC 3339", "5:end": "after start",
				"6:start": `unknown time zone "Europe/Pariss"`, "7:end": "future", "8:": "3 fields", "9:end": "required",
				"11:start": "offset"}},
		{name: "csv missing columns", parse: ParseCSV, input: "gaps_missing_column.csv",
			want:    []string{"1:begin", "1:start", "1:end"},
			reasons: map[string]string{"1:begin": "unknown column", "1:start": "missing column", "1:end": "missing column"}},
		{name: "csv duplicate column", parse: ParseCSV, input: "source,start,end,start\nA,2024-09-03T00:00:00Z,2024-09-04T00:00:00Z,x\n",
			want: []string{"1:start"}, reasons: map[string]string{"1:start": "duplicate"}},
		{name: "csv too many rows", parse: ParseCSV, lim: Limits{MaxRows: 2},
			input: "source,start,end\nA,2024-09-03 00:00,2024-09-03 01:00\nB,bad,2024-09-03 01:00\nC,2024-09-03 00:00,2024-09-03 01:00\nD,x,y\n",
			want:  []string{"3:start", "4:"}, reasons: map[string]string{"4:": "too many rows: at most 2"}},
		{name: "csv at or before the epoch", parse: ParseCSV,
			input: "source,start,end\nA,1970-01-01T00:00:00Z,1970-01-01T01:00:00Z\nB,1969-12-31T23:00:00Z,1970-01-01T00:00:00.0005Z\n",
			want:  []string{"2:start", "3:start", "3:end"}, reasons: map[string]string{"2:start": "after 1970-01-01T00:00:00Z",
				"3:start": "Unix epoch", "3:end": "Unix epoch"}},
		{name: "csv empty input", parse: ParseCSV, input: "", want: []string{"1:"}, reasons: map[string]string{"1:": "empty input"}},
		{name: "csv header only", parse: ParseCSV, input: "source,start,end\n", want: []string{"0:"}, reasons: map[string]string{"0:": "no gaps"}},
		{name: "csv malformed quote", parse: ParseCSV, input: "source,start,end\n\"A\"x,2024-09-03 00:00,2024-09-03 01:00\nB,2024-09-03 00:00,2024-09-03 01:00\n",
			want: []string{"2:"}, reasons: map[string]string{"2:": "malformed CSV"}},
		{name: "json every bad row", parse: ParseJSON, input: "gaps_bad.json",
			want: []string{"2:source", "3:start", "4:colour", "4:end", "5:", "6:start"},
			reasons: map[string]string{"2:source": "required", "3:start": "must be a string", "4:colour": "unknown field",
				"4:end": "after start", "5:": "object", "6:start": `unknown time zone "Mars/Olympus"`}},
		{name: "json too many rows", parse: ParseJSON, lim: Limits{MaxRows: 1},
			input: `{"gaps":[{"source":"A","start":"2024-09-03 00:00","end":"2024-09-03 01:00"},{"source":"B"}]}` + "\n",
			want:  []string{"2:"}, reasons: map[string]string{"2:": "too many rows"}},
		{name: "json malformed", parse: ParseJSON, input: `{"gaps":[{"source":"A",}]}` + "\n", want: []string{"0:"},
			reasons: map[string]string{"0:": "malformed JSON"}},
		{name: "json not an object", parse: ParseJSON, input: `[{"source":"A"}]` + "\n", want: []string{"0:"}},
		{name: "json missing gaps", parse: ParseJSON, input: `{"rows":[]}` + "\n", want: []string{"0:rows", "0:gaps"}},
		{name: "json empty gaps", parse: ParseJSON, input: `{"gaps":[]}` + "\n", want: []string{"0:"}, reasons: map[string]string{"0:": "no gaps"}},
		{name: "json trailing data", parse: ParseJSON, input: `{"gaps":[]} {}` + "\n", want: []string{"0:"}, reasons: map[string]string{"0:": "after the object"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r io.Reader = strings.NewReader(tt.input)
			if tt.input != "" && !strings.Contains(tt.input, "\n") {
				r = openFixture(t, tt.input)
			}
			gs, err := tt.parse(r, paris, res, tt.lim, ts(t, importNow))
			if gs != nil {
				t.Errorf("got gaps %+v, want none (all-or-nothing)", gs)
			}
			var ie *ImportError
			if !errors.As(err, &ie) || !errors.Is(err, notice.ErrInvalid) {
				t.Fatalf("error %v (%T), want *ImportError wrapping ErrInvalid", err, err)
			}
			got := rowKeys(ie.Rows)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("bad rows %v, want %v\n%v", got, tt.want, ie.Rows)
			}
			for i, k := range got {
				if part, ok := tt.reasons[k]; ok && !strings.Contains(ie.Rows[i].Reason, part) {
					t.Errorf("row %s reason %q, want it to contain %q", k, ie.Rows[i].Reason, part)
				}
			}
		})
	}
}

func TestParseTimeForms(t *testing.T) {
	paris := mustZone(t, "Europe/Paris")
	tests := []struct {
		in, want, err string
	}{
		{in: "2024-09-03T10:00:00Z", want: "2024-09-03T10:00:00Z"},
		{in: "2024-09-03T10:00:00.250+02:00", want: "2024-09-03T08:00:00.25Z"},
		{in: "2024-09-03 10:00", want: "2024-09-03T08:00:00Z"},            // tenant zone (CEST)
		{in: "2024-01-03 10:00", want: "2024-01-03T09:00:00Z"},            // tenant zone (CET)
		{in: "2024-09-03 10:00:30", want: "2024-09-03T08:00:30Z"},         // seconds
		{in: "2024-09-03 10:00Z", want: "2024-09-03T10:00:00Z"},           // Z without seconds
		{in: "2024-09-03 10:00 UTC", want: "2024-09-03T10:00:00Z"},        // named UTC
		{in: "2024-09-03 10:00 -0530", want: "2024-09-03T15:30:00Z"},      // compact offset
		{in: "2024-09-03 10:00+09", want: "2024-09-03T01:00:00Z"},         // hour offset
		{in: "2024-09-03 10:00 Asia/Tokyo", want: "2024-09-03T01:00:00Z"}, // IANA
		{in: "2024-09-03t10:00 America/New_York", want: "2024-09-03T14:00:00Z"},
		{in: "", err: "required"},
		{in: "2024-09-03", err: "RFC 3339"},
		{in: "03/09/2024 10:00", err: "RFC 3339"},
		{in: "2024-09-03 25:00", err: "RFC 3339"},
		{in: "2024-09-03 10:00 Local", err: "unknown time zone"},
		{in: "2024-09-03 10:00 ../../etc/passwd", err: "unknown time zone"},
		{in: "2024-09-03 10:00 +2:00", err: "offset"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseTime(tt.in, paris, zoneCache{})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("parseTime(%q) = %v, %v; want error containing %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || !got.Equal(ts(t, tt.want)) {
				t.Fatalf("parseTime(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestKey(t *testing.T) {
	base := notice.Gap{Tenant: 1, Source: "SigninLogs", Start: ts(t, "2024-09-03T00:00:00Z"), End: ts(t, "2024-09-18T00:00:00Z"), Note: "a"}
	same := base
	same.Note, same.Product, same.Start = "b", "Other", base.Start.In(mustZone(t, "Asia/Tokyo"))
	if Key(base) != Key(same) {
		t.Errorf("same gap, other note/product/zone: %q != %q", Key(base), Key(same))
	}
	for name, change := range map[string]func(*notice.Gap){
		"tenant": func(g *notice.Gap) { g.Tenant = 2 },
		"source": func(g *notice.Gap) { g.Source = "AuditLogs" },
		"start":  func(g *notice.Gap) { g.Start = g.Start.Add(time.Second) },
		"end":    func(g *notice.Gap) { g.End = g.End.Add(time.Second) },
	} {
		t.Run(name, func(t *testing.T) {
			g := base
			change(&g)
			if Key(g) == Key(base) {
				t.Errorf("a different %s gives the same key %q", name, Key(g))
			}
		})
	}
}

func TestImportErrorMessage(t *testing.T) {
	err := &ImportError{Rows: []RowError{{2, "start", "bad"}, {3, "", "short"}, {4, "end", "x"}, {5, "end", "y"}}}
	want := "gaps: 4 bad rows; line 2: start: bad; line 3: short; line 4: end: x; and 1 more"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func TestParseCSVHeaderVariants(t *testing.T) {
	res := Resolver{Catalog: testCatalog(t)}
	for name, in := range map[string]string{
		"byte order mark": "\ufeffsource,start,end\nSigninLogs,2024-09-03 00:00,2024-09-03 01:00\n",
		"upper case":      "SOURCE, Start ,End\nSigninLogs,2024-09-03 00:00,2024-09-03 01:00\n",
		"CRLF":            "source,start,end\r\nSigninLogs,2024-09-03 00:00,2024-09-03 01:00\r\n",
		"quoted":          "\"source\",\"start\",\"end\"\n\"SigninLogs\",\"2024-09-03 00:00\",\"2024-09-03 01:00\"\n",
	} {
		t.Run(name, func(t *testing.T) {
			gs, err := ParseCSV(strings.NewReader(in), time.UTC, res, Limits{}, ts(t, importNow))
			if err != nil || len(gs) != 1 || gs[0].Source != "SigninLogs" || gs[0].Product != "Microsoft Entra ID" ||
				!gs[0].End.Equal(ts(t, "2024-09-03T01:00:00Z")) {
				t.Fatalf("got %+v, %v", gs, err)
			}
		})
	}
}
