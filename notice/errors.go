package notice

import "errors"

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
