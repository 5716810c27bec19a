package main

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// runStdin executes the CLI in-process like run, with stdin fed from in.
func runStdin(t *testing.T, dataDir, in string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := newRootCmd(&out, &errb, []string{"GAPWATCH_DATA_DIR=" + dataDir})
	cmd.SetIn(strings.NewReader(in))
	cmd.SetArgs(args)
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

// extractLine is one output line of `extract --jsonl`: a result or an
// error object.
type extractLine struct {
	ID       string `json:"id"`
	Error    string `json:"error"`
	Vendor   string `json:"vendor"`
	Language string `json:"language"`
	Products []struct {
		Name string `json:"name"`
	} `json:"products"`
	Windows []struct {
		Start     time.Time  `json:"start"`
		End       *time.Time `json:"end"`
		Precision string     `json:"precision"`
		Evidence  string     `json:"evidence"`
	} `json:"windows"`
	Category string `json:"category"`
}

func jsonLine(t *testing.T, v map[string]string) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExtractJSONL(t *testing.T) {
	const s3 = "Between 10:00 and 11:00 UTC, Amazon S3 returned elevated error rates."
	// Custom elements are markup only the declared content type reveals:
	// without it the text is read as is.
	const html = "Between <x-t>10:00</x-t> and <x-t>11:00 UTC</x-t>, Amazon S3 returned elevated error rates."
	input := strings.Join([]string{
		jsonLine(t, map[string]string{"id": "rfc3339", "title": "Increased S3 errors", "text": s3, "published": "2024-10-15T12:00:00Z", "source_vendor": "AWS"}),
		`{"id": "broken", "text": `,
		jsonLine(t, map[string]string{"id": "bad-date", "text": s3, "published": "15/10/2024"}),
		"",
		jsonLine(t, map[string]string{"id": "bare-date", "text": s3, "published": "2024-10-15", "source_vendor": "AWS"}),
		jsonLine(t, map[string]string{"id": "html", "text": html, "published": "2024-10-15T12:00:00Z", "source_vendor": "AWS", "content_type": "text/html; charset=utf-8"}),
		jsonLine(t, map[string]string{"id": "not-html", "text": html, "published": "2024-10-15T12:00:00Z", "source_vendor": "AWS"}),
		jsonLine(t, map[string]string{"id": "last", "text": "Le service était indisponible.", "language": "fr"}),
	}, "\n") + "\n"
	out, errOut, err := runStdin(t, t.TempDir(), input, "extract", "--jsonl")
	if err != nil {
		t.Fatalf("extract --jsonl: %v\n%s", err, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	var got []extractLine
	for _, l := range lines {
		var x extractLine
		if err := json.Unmarshal([]byte(l), &x); err != nil {
			t.Fatalf("output line %q is not JSON: %v", l, err)
		}
		got = append(got, x)
	}
	var ids []string
	for _, x := range got {
		ids = append(ids, x.ID)
	}
	if want := []string{"rfc3339", "line 2", "bad-date", "bare-date", "html", "not-html", "last"}; strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Fatalf("ids = %q, want %q (order kept, blank line skipped)", ids, want)
	}
	window := func(t *testing.T, x extractLine) {
		t.Helper()
		if x.Error != "" || len(x.Windows) != 1 {
			t.Fatalf("%s: error %q, windows %+v", x.ID, x.Error, x.Windows)
		}
		w := x.Windows[0]
		if !w.Start.Equal(time.Date(2024, 10, 15, 10, 0, 0, 0, time.UTC)) || w.End == nil || !w.End.Equal(time.Date(2024, 10, 15, 11, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: window %v..%v", x.ID, w.Start, w.End)
		}
		if strings.ContainsAny(w.Evidence, "<>") {
			t.Errorf("%s: evidence %q keeps markup", x.ID, w.Evidence)
		}
		if len(x.Products) == 0 || x.Products[0].Name != "Amazon S3" {
			t.Errorf("%s: products %+v", x.ID, x.Products)
		}
	}
	t.Run("result", func(t *testing.T) {
		window(t, got[0])
		if got[0].Vendor != "AWS" || got[0].Language != "en" || got[0].Category == "" {
			t.Errorf("vendor, language, category = %q, %q, %q", got[0].Vendor, got[0].Language, got[0].Category)
		}
	})
	t.Run("bad JSON", func(t *testing.T) {
		if !strings.Contains(got[1].Error, "invalid JSON") {
			t.Errorf("error = %q", got[1].Error)
		}
	})
	t.Run("bad published date", func(t *testing.T) {
		if !strings.Contains(got[2].Error, "15/10/2024") || len(got[2].Windows) != 0 {
			t.Errorf("line = %+v", got[2])
		}
	})
	t.Run("bare date published", func(t *testing.T) { window(t, got[3]) })
	t.Run("html content type", func(t *testing.T) {
		window(t, got[4])
		if reflect.DeepEqual(got[4].Windows, got[5].Windows) {
			t.Errorf("the content type made no difference: %+v", got[5].Windows)
		}
	})
	t.Run("processing continues", func(t *testing.T) {
		last := got[6]
		if last.Error != "" || last.Language != "fr" || last.Products == nil || last.Windows == nil {
			t.Errorf("last line = %+v (products and windows must be lists)", last)
		}
		if !strings.Contains(lines[6], `"windows":[]`) {
			t.Errorf("empty windows should be [], got %s", lines[6])
		}
	})
}

func TestExtractPlain(t *testing.T) {
	dir := t.TempDir()
	text := "Between 10:00 and 11:00 UTC, customers using Azure Front Door experienced elevated error rates.\n"
	out, errOut, err := runStdin(t, dir, text, "extract", "--published", "2024-10-15", "--vendor", "Microsoft")
	if err != nil {
		t.Fatalf("extract: %v\n%s", err, errOut)
	}
	if !strings.HasPrefix(out, "{\n  \"") || !strings.HasSuffix(out, "}\n") {
		t.Errorf("output is not one indented object:\n%s", out)
	}
	var x extractLine
	if err := json.Unmarshal([]byte(out), &x); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if x.Vendor != "Microsoft" || len(x.Products) == 0 || x.Products[0].Name != "Azure Front Door" {
		t.Errorf("vendor %q, products %+v", x.Vendor, x.Products)
	}
	if len(x.Windows) != 1 || !x.Windows[0].Start.Equal(time.Date(2024, 10, 15, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("windows %+v", x.Windows)
	}
	t.Run("bad published", func(t *testing.T) {
		_, _, err := runStdin(t, dir, text, "extract", "--published", "yesterday")
		if err == nil || !strings.Contains(err.Error(), "yesterday") {
			t.Errorf("err = %v, want one naming the bad date", err)
		}
	})
}
