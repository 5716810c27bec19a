package notice

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned by stores and services when the requested record
// does not exist (or, for tenant data, is not visible to the caller), so that
// callers can answer 404 without inspecting driver errors.
var ErrNotFound = errors.New("not found")

// ErrInvalid marks input that failed validation; wrapped errors carry the
// field and reason so the API can name the offending parameter.
var ErrInvalid = errors.New("invalid input")

// ErrConflict marks a write refused because the stored data changed under
// it (another process wrote first); trying again is safe.
var ErrConflict = errors.New("conflict")

// ParamError is invalid input tied to one named parameter, so that the API
// can answer with a problem naming it. It wraps ErrInvalid.
type ParamError struct {
	Param  string
	Reason string
}

// Error says which parameter is wrong and why.
func (e *ParamError) Error() string {
	return fmt.Sprintf("invalid parameter %s: %s", e.Param, e.Reason)
}

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *ParamError) Unwrap() error { return ErrInvalid }
