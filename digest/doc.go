// Package digest builds, renders and sends each tenant's weekly digest: the
// notices that changed for the vendors and products it follows, the log
// gaps newly explained, and the gaps still unexplained. Building and
// rendering are pure (build.go, render.go); sending, scheduling and the
// once-per-period bookkeeping sit beside them (send.go, schedule.go) and
// reach the database only through the Store interface.
package digest
