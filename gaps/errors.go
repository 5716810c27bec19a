package gaps

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gapwatch/gapwatch/notice"
)

// DefaultMaxRows is the row limit of one import when Limits.MaxRows is zero.
const DefaultMaxRows = 10000

// Limits bound one import, so that a single request cannot make the server
// parse or store without end.
type Limits struct {
	// MaxRows is the most data rows (CSV lines after the header, JSON
	// array elements) one request may carry; zero means DefaultMaxRows.
	MaxRows int
}

// maxRows returns the effective row limit.
func (l Limits) maxRows() int {
	if l.MaxRows <= 0 {
		return DefaultMaxRows
	}
	return l.MaxRows
}

// RowError is one bad row of an import. Line is the 1-based line in the CSV
// (the header is line 1) or the 1-based index in the JSON array; 0 means
// the request as a whole (malformed JSON, no rows). Field names the column
// ("start"), empty when the whole row is wrong; Reason says what is wrong.
type RowError struct {
	Line   int    `json:"line"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// String renders the error as "line 3: start: not a time".
func (e RowError) String() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Reason)
}

// ImportError lists every bad row of a rejected import; imports are
// all-or-nothing, so the caller stores nothing and shows the whole list. It
// wraps notice.ErrInvalid.
type ImportError struct {
	Rows []RowError
}

// Error summarises the bad rows, naming the first few.
func (e *ImportError) Error() string {
	const show = 3
	var b strings.Builder
	fmt.Fprintf(&b, "gaps: %d bad row", len(e.Rows))
	if len(e.Rows) != 1 {
		b.WriteByte('s')
	}
	for i, r := range e.Rows {
		if i == show {
			fmt.Fprintf(&b, "; and %d more", len(e.Rows)-show)
			break
		}
		b.WriteString("; ")
		b.WriteString(r.String())
	}
	return b.String()
}

// Unwrap makes errors.Is(err, notice.ErrInvalid) hold.
func (e *ImportError) Unwrap() error { return notice.ErrInvalid }

// rowErrors collects bad rows while a request is read.
type rowErrors []RowError

// add records one bad field.
func (r *rowErrors) add(line int, field, reason string) {
	*r = append(*r, RowError{Line: line, Field: field, Reason: reason})
}

// err returns the collected rows as an *ImportError, or nil when there are
// none. Only the first fault of a field is kept ("must be a string" is not
// followed by "required" for the same value).
func (r rowErrors) err() error {
	if len(r) == 0 {
		return nil
	}
	type at struct {
		line  int
		field string
	}
	seen := map[at]bool{}
	out := make([]RowError, 0, len(r))
	for _, e := range r {
		k := at{e.Line, e.Field}
		if e.Field != "" && seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return &ImportError{Rows: out}
}
