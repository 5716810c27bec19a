package gaps

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// table reads a CSV upload whose header names its columns in any order.
type table struct {
	r    *csv.Reader
	cols map[string]int
	n    int // number of header fields
}

// csvRow is one data record of a table with the line it started on.
type csvRow struct {
	line   int
	fields []string
}

// openTable reads the header and checks it names every required column, and
// only known ones. Header problems are reported on line 1 (the header's
// line) and stop the import: rows cannot be read without their columns.
func openTable(r io.Reader, required, optional []string) (*table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ImportError{Rows: []RowError{{Line: 1, Reason: "empty input: want a header line " + strings.Join(append(required, optional...), ",")}}}
	}
	if err != nil {
		return nil, csvError(err, 1)
	}
	line, _ := cr.FieldPos(0)
	t := &table{r: cr, cols: map[string]int{}, n: len(head)}
	var bad rowErrors
	known := map[string]bool{}
	for _, c := range append(required, optional...) {
		known[c] = true
	}
	for i, h := range head {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch _, dup := t.cols[name]; {
		case !known[name]:
			bad.add(line, name, "unknown column: want "+strings.Join(append(required, optional...), ","))
		case dup:
			bad.add(line, name, "duplicate column")
		default:
			t.cols[name] = i
		}
	}
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			bad.add(line, c, "missing column")
		}
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	return t, nil
}

// rows reads every data record, up to max. Records that cannot be parsed or
// have the wrong number of fields go to bad; a record past max adds one
// "too many rows" error and ends the reading. Only an I/O failure is
// returned as an error.
func (t *table) rows(max int, bad *rowErrors) ([]csvRow, error) {
	var out []csvRow
	for n := 1; ; n++ {
		rec, err := t.r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			bad.add(pe.StartLine, "", "malformed CSV: "+pe.Err.Error())
			if n > max {
				return out, nil
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("gaps: read csv: %w", err)
		}
		line, _ := t.r.FieldPos(0)
		if n > max {
			bad.add(line, "", fmt.Sprintf("too many rows: at most %d per request", max))
			return out, nil
		}
		if len(rec) != t.n {
			bad.add(line, "", fmt.Sprintf("has %d fields, the header has %d", len(rec), t.n))
			continue
		}
		out = append(out, csvRow{line: line, fields: rec})
	}
}

// get returns the named column of a row, or "" when the table has no such
// column.
func (t *table) get(r csvRow, col string) string {
	i, ok := t.cols[col]
	if !ok {
		return ""
	}
	return r.fields[i]
}

// csvError turns a CSV parse failure into a row error and passes I/O
// failures through.
func csvError(err error, line int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ImportError{Rows: []RowError{{Line: line, Reason: "malformed CSV: " + pe.Err.Error()}}}
	}
	return fmt.Errorf("gaps: read csv: %w", err)
}
