package api

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/notice"
)

// CheckQuery reports the first malformed pair of a raw query string (a
// bad %-escape, or a ';', which Go no longer treats as a separator) as a
// *notice.ParamError naming its key. url.Values, which gin's Query reads,
// silently drops such pairs, so a filter the client sent would be ignored
// rather than refused.
func CheckQuery(raw string) error {
	if _, err := url.ParseQuery(raw); err == nil {
		return nil
	}
	for pair := range strings.SplitSeq(raw, "&") {
		rawKey, rawValue, _ := strings.Cut(pair, "=")
		key, kerr := url.QueryUnescape(rawKey)
		if kerr != nil {
			key = rawKey
		}
		switch _, verr := url.QueryUnescape(rawValue); {
		case strings.Contains(pair, ";"):
			return &notice.ParamError{Param: key, Reason: fmt.Sprintf("%s: ';' is not a query separator; use '&', or escape it as %%3B", key)}
		case kerr != nil:
			return &notice.ParamError{Param: key, Reason: "malformed parameter name: " + kerr.Error()}
		case verr != nil:
			return &notice.ParamError{Param: key, Reason: fmt.Sprintf("%s: malformed value: %v", key, verr)}
		}
	}
	return &notice.ParamError{Param: "", Reason: "malformed query string"} // not reached: ParseQuery agrees
}

// strictQuery refuses a request whose query string has a malformed pair,
// with a 400 problem naming its key.
func strictQuery(c *gin.Context) {
	var pe *notice.ParamError
	if err := CheckQuery(c.Request.URL.RawQuery); errors.As(err, &pe) {
		badParam(c, pe.Param, pe.Reason)
		return
	}
	c.Next()
}
