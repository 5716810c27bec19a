package api

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/notice"
)

// maxPageSize bounds page sizes so one request cannot load the whole store.
const maxPageSize = 100

// pageParams reads page (1-based) and size.
func pageParams(c *gin.Context) (page, size int, ok bool) {
	page, size = 1, 20
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			badParam(c, "page", "page must be an integer from 1 to 10000")
			return 0, 0, false
		}
		page = n
	}
	if v := c.Query("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			badParam(c, "size", "size must be an integer from 1 to "+strconv.Itoa(maxPageSize))
			return 0, 0, false
		}
		size = n
	}
	return page, size, true
}

// ParseTime reads an instant as RFC 3339 or a date (YYYY-MM-DD, the start
// of that day UTC; as an upper bound, its end), for the API's and the web
// UI's parameters alike. Empty gives the zero time. The error is a
// *notice.ParamError naming the parameter.
func ParseTime(name, v string, upper bool) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		if upper {
			t = t.Add(24*time.Hour - time.Nanosecond)
		}
		return t, nil
	}
	return time.Time{}, &notice.ParamError{Param: name, Reason: name + " must be an RFC 3339 time (2024-09-02T08:00:00Z) or a date (2024-09-02)"}
}

// timeParam reads the query parameter name with ParseTime, answering a
// problem when it is malformed.
func timeParam(c *gin.Context, name string, upper bool) (time.Time, bool) {
	t, err := ParseTime(name, c.Query(name), upper)
	if err != nil {
		var pe *notice.ParamError
		errors.As(err, &pe)
		badParam(c, name, pe.Reason)
		return time.Time{}, false
	}
	return t, true
}

// rangeParams reads from/to and checks their order.
func rangeParams(c *gin.Context) (from, to time.Time, ok bool) {
	if from, ok = timeParam(c, "from", false); !ok {
		return
	}
	if to, ok = timeParam(c, "to", true); !ok {
		return
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		badParam(c, "to", "to must not be before from")
		return from, to, false
	}
	return from, to, true
}

// listParam reads a repeatable parameter, also accepting comma-separated
// values, without empties.
func listParam(c *gin.Context, name string) []string {
	var out []string
	for _, v := range c.QueryArray(name) {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}
