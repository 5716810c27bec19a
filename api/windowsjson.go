package api

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gapwatch/gapwatch/notice"
)

// The /windows answer is the API's hottest path; encoding/json's
// reflection and allocations were a fifth of its CPU at 1M notices. These
// functions write exactly what encoding/json writes for the same values
// (TestWindowsJSONMatchesEncodingJSON checks it).

// appendWindows appends {"windows":[...]} for hits.
func appendWindows(b []byte, hits []notice.WindowHit) []byte {
	b = append(b, `{"windows":[`...)
	for i := range hits {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendWindowHit(b, &hits[i])
	}
	return append(b, "]}"...)
}

func appendWindowHit(b []byte, h *notice.WindowHit) []byte {
	b = append(b, `{"notice_id":`...)
	b = strconv.AppendInt(b, int64(h.NoticeID), 10)
	b = append(b, `,"product":`...)
	b = appendString(b, h.Product)
	b = append(b, `,"vendor":`...)
	b = appendString(b, h.Vendor)
	b = append(b, `,"start":`...)
	b = appendTime(b, h.Start)
	b = append(b, `,"end":`...)
	if h.End == nil {
		b = append(b, "null"...)
	} else {
		b = appendTime(b, *h.End)
	}
	b = append(b, `,"precision":`...)
	b = appendString(b, string(h.Precision))
	b = append(b, `,"category":`...)
	b = appendString(b, string(h.Category))
	b = append(b, `,"title":`...)
	b = appendString(b, h.Title)
	b = append(b, `,"url":`...)
	b = appendString(b, h.URL)
	if h.AssumedEnd != nil {
		b = append(b, `,"assumed_end":`...)
		b = appendTime(b, *h.AssumedEnd)
	}
	return append(b, '}')
}

// appendTime writes t as time.Time's MarshalJSON does.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the ASCII bytes a JSON string carries as they are.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendString writes s as a JSON string the way encoding/json does by
// default: <, > and & escaped for HTML, invalid UTF-8 as U+FFFD, U+2028
// and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
