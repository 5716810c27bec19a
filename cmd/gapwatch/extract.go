package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gapwatch/gapwatch/config"
	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/notice"
)

// extractIn is one line of `gapwatch extract --jsonl` input.
type extractIn struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Text         string `json:"text"`
	Published    string `json:"published"`
	SourceVendor string `json:"source_vendor"`
	ContentType  string `json:"content_type"`
	Language     string `json:"language"`
}

// extractOut is one line of output.
type extractOut struct {
	ID       string              `json:"id"`
	Vendor   string              `json:"vendor"`
	Language string              `json:"language"`
	Products []notice.ProductRef `json:"products"`
	Windows  []windowOut         `json:"windows"`
	Category notice.Category     `json:"category"`
}

type windowOut struct {
	Start     time.Time        `json:"start"`
	End       *time.Time       `json:"end"`
	Precision notice.Precision `json:"precision"`
	Evidence  string           `json:"evidence"`
}

type extractErr struct {
	ID    string `json:"id"`
	Error string `json:"error"`
}

// maxExtractLine bounds one input line, so a runaway input cannot exhaust
// memory.
const maxExtractLine = 16 << 20

func newExtractCmd(g *globals) *cobra.Command {
	var (
		jsonl     bool
		published string
		vendor    string
	)
	cmd := &cobra.Command{
		Use:   "extract",
		Short: "Read products, windows and category out of notice text on stdin",
		Long: `Without --jsonl, read one plain text from stdin and print what was found.
With --jsonl, read one JSON object a line ({"id","title","text","published",
"source_vendor","content_type"}) and write one result line per input, in order;
a bad line gives {"id","error"} and processing continues.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(g.configPath, g.env)
			if err != nil {
				return err
			}
			cat, err := extract.LoadCatalog(cfg.Catalog...)
			if err != nil {
				return err
			}
			ex := extract.New(cat)
			if jsonl {
				return extractLines(ex, cmd.InOrStdin(), g.stdout)
			}
			body, err := io.ReadAll(io.LimitReader(cmd.InOrStdin(), maxExtractLine))
			if err != nil {
				return err
			}
			in := extractIn{Text: string(body), Published: published, SourceVendor: vendor}
			out, err := extractOne(ex, in)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(g.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(out)
		},
	}
	cmd.SetIn(nil)
	f := cmd.Flags()
	f.BoolVar(&jsonl, "jsonl", false, "read and write JSON lines")
	f.StringVar(&published, "published", "", "publication time of the text (RFC 3339 or YYYY-MM-DD)")
	f.StringVar(&vendor, "vendor", "", "vendor of the source the text came from")
	return cmd
}

func extractLines(ex *extract.Extractor, r io.Reader, w io.Writer) error {
	br := bufio.NewReaderSize(r, 1<<20)
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	enc := json.NewEncoder(bw)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if errors.Is(err, io.EOF) && len(line) == 0 {
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			if encErr := enc.Encode(extractErr{ID: fmt.Sprintf("line %d", n), Error: err.Error()}); encErr != nil {
				return encErr
			}
			continue
		}
		if strings.TrimSpace(string(line)) == "" {
			continue
		}
		var in extractIn
		var res any
		if jerr := json.Unmarshal(line, &in); jerr != nil {
			res = extractErr{ID: fmt.Sprintf("line %d", n), Error: "invalid JSON: " + jerr.Error()}
		} else if out, xerr := extractOne(ex, in); xerr != nil {
			res = extractErr{ID: in.ID, Error: xerr.Error()}
		} else {
			res = out
		}
		if err := enc.Encode(res); err != nil {
			return err
		}
	}
}

// readLine reads one line, refusing (and skipping) lines over the limit.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) <= maxExtractLine {
			line = append(line, chunk...)
		} else {
			line = line[:0:0]
			if !errors.Is(err, bufio.ErrBufferFull) {
				return nil, fmt.Errorf("line longer than %d bytes", maxExtractLine)
			}
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, err
		}
	}
}

func extractOne(ex *extract.Extractor, in extractIn) (extractOut, error) {
	pub, err := parsePublished(in.Published)
	if err != nil {
		return extractOut{}, err
	}
	res := ex.Extract(extract.Input{
		Title: in.Title, Text: in.Text, HTML: strings.Contains(in.ContentType, "html"),
		Published: pub, SourceVendor: in.SourceVendor, Language: in.Language,
	})
	out := extractOut{ID: in.ID, Vendor: res.Vendor, Language: res.Language, Products: res.Products,
		Category: res.Category, Windows: []windowOut{}}
	if out.Products == nil {
		out.Products = []notice.ProductRef{}
	}
	for _, w := range res.Windows {
		out.Windows = append(out.Windows, windowOut{Start: w.Start, End: w.End, Precision: w.Precision, Evidence: w.Evidence})
	}
	return out, nil
}

// parsePublished accepts RFC 3339, a bare date (midnight UTC) or nothing.
func parsePublished(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("published %q is neither RFC 3339 nor YYYY-MM-DD", s)
}
