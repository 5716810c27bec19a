package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/notice"
)

// Problem is an RFC 9457 problem details object. Param names the request
// parameter at fault, when there is one.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Param  string `json:"param,omitempty"`
}

func problem(c *gin.Context, status int, title, detail, param string) {
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(status, Problem{Type: "about:blank", Title: title, Status: status, Detail: detail, Param: param})
}

// badParam answers 400 naming the parameter and what is wrong with it.
func badParam(c *gin.Context, param, detail string) {
	problem(c, http.StatusBadRequest, "Invalid parameter", detail, param)
}

// fail maps an error from the store or services to a status: the only place
// where that mapping happens, and internals never leak to the client.
func (s *Server) fail(c *gin.Context, err error) {
	var pe *notice.ParamError
	switch {
	case errors.As(err, &pe):
		badParam(c, pe.Param, pe.Reason)
	case errors.Is(err, notice.ErrNotFound):
		problem(c, http.StatusNotFound, "Not found", "", "")
	case errors.Is(err, notice.ErrInvalid):
		problem(c, http.StatusBadRequest, "Invalid request", err.Error(), "")
	default:
		s.log.Error("request failed", "path", c.FullPath(), "error", err)
		problem(c, http.StatusInternalServerError, "Internal error", "", "")
	}
}
