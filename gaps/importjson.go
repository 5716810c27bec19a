package gaps

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// ParseJSON reads a gap upload in JSON: {"gaps": [{"source", "product",
// "start", "end", "note"}]}, each value a string (product and note
// optional). Validation, zones, limits and duplicates are as for ParseCSV;
// a RowError's Line is the 1-based index in the array, and 0 for faults of
// the document as a whole (malformed JSON, no "gaps" array).
func ParseJSON(r io.Reader, loc *time.Location, res Resolver, lim Limits, now time.Time) ([]notice.Gap, error) {
	var bad rowErrors
	raws, err := readJSONRows(r, lim.maxRows(), &bad)
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 && raws == nil {
		return nil, bad.err()
	}
	return buildGaps(raws, bad, loc, res, now)
}

// readJSONRows streams the "gaps" array, one element at a time, so that a
// request past the row limit is refused without decoding all of it.
// Document-level faults are added to bad with line 0 and end the reading
// (returning nil rows); only I/O failures are returned as errors.
func readJSONRows(r io.Reader, max int, bad *rowErrors) ([]rawGap, error) {
	dec := json.NewDecoder(r)
	docErr := func(err error) ([]rawGap, error) {
		var se *json.SyntaxError
		var ute *json.UnmarshalTypeError
		if errors.As(err, &se) || errors.As(err, &ute) || errors.Is(err, errShape) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			bad.add(0, "", "malformed JSON: "+err.Error())
			return nil, nil
		}
		return nil, fmt.Errorf("gaps: read json: %w", err)
	}
	if err := expectDelim(dec, '{'); err != nil {
		return docErr(err)
	}
	var raws []rawGap
	found := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return docErr(err)
		}
		if key, _ := tok.(string); key != "gaps" {
			bad.add(0, fmt.Sprint(tok), `unknown field: want {"gaps": [...]}`)
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return docErr(err)
			}
			continue
		}
		found = true
		var full bool
		if raws, full, err = readJSONArray(dec, max, bad); err != nil {
			return docErr(err)
		}
		if full {
			return raws, nil
		}
	}
	if _, err := dec.Token(); err != nil {
		return docErr(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		bad.add(0, "", "malformed JSON: data after the object")
		return nil, nil
	}
	if !found {
		bad.add(0, "gaps", `missing: want {"gaps": [...]}`)
		return nil, nil
	}
	if raws == nil {
		raws = []rawGap{}
	}
	return raws, nil
}

// readJSONArray reads the elements of the "gaps" array. Past max it
// records the fault and reports full, leaving the rest unread.
func readJSONArray(dec *json.Decoder, max int, bad *rowErrors) (raws []rawGap, full bool, err error) {
	if err := expectDelim(dec, '['); err != nil {
		return nil, false, err
	}
	raws = []rawGap{}
	for i := 1; dec.More(); i++ {
		if i > max {
			bad.add(i, "", fmt.Sprintf("too many rows: at most %d per request", max))
			return raws, true, nil
		}
		var el json.RawMessage
		if err := dec.Decode(&el); err != nil {
			return nil, false, err
		}
		if rg, ok := jsonRow(i, el, bad); ok {
			raws = append(raws, rg)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, false, err
	}
	return raws, false, nil
}

// jsonRow reads one array element, recording unknown fields and values
// that are not strings. A row with such faults is still returned when it
// is an object, so its other fields are checked too.
func jsonRow(line int, el json.RawMessage, bad *rowErrors) (rawGap, bool) {
	if !bytes.HasPrefix(bytes.TrimSpace(el), []byte("{")) {
		bad.add(line, "", "must be an object")
		return rawGap{}, false
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(el, &fields); err != nil {
		bad.add(line, "", "malformed object: "+err.Error())
		return rawGap{}, false
	}
	rg := rawGap{line: line}
	dst := map[string]*string{"source": &rg.source, "product": &rg.product, "start": &rg.start, "end": &rg.end, "note": &rg.note}
	for _, name := range sortedKeys(fields) {
		p, ok := dst[name]
		if !ok {
			bad.add(line, name, "unknown field: want source, product, start, end, note")
			continue
		}
		v := fields[name]
		if bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			continue
		}
		if err := json.Unmarshal(v, p); err != nil {
			bad.add(line, name, "must be a string")
		}
	}
	return rg, true
}

// expectDelim reads the next token and checks it is the delimiter d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != d {
		return fmt.Errorf("%w: want %q at offset %d", errShape, d, dec.InputOffset())
	}
	return nil
}

// errShape marks JSON that parses but is not shaped as a gap upload.
var errShape = errors.New("unexpected JSON value")

// sortedKeys returns the keys of m in order, so errors come out stably.
func sortedKeys(m map[string]json.RawMessage) []string {
	return slices.Sorted(maps.Keys(m))
}
