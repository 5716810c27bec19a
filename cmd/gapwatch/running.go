package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// runningFile records, in the data folder, where a `gapwatch serve` on
// that data listens: Bleve lets one process hold an index, so other
// commands ask the running server instead of opening the index.
const runningFile = "serve.json"

type running struct {
	URL string `json:"url"`
	PID int    `json:"pid"`
}

func writeRunning(dataDir, url string) error {
	b, err := json.Marshal(running{URL: url, PID: os.Getpid()})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dataDir, runningFile), b, 0o600)
}

func removeRunning(dataDir string) {
	_ = os.Remove(filepath.Join(dataDir, runningFile))
}

// findRunning returns the URL of a live server on dataDir, or "" when there
// is none (no file, or the server does not answer: a stale file).
func findRunning(ctx context.Context, dataDir string) string {
	b, err := os.ReadFile(filepath.Join(dataDir, runningFile))
	if err != nil {
		return ""
	}
	var r running
	if json.Unmarshal(b, &r) != nil || r.URL == "" {
		return ""
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL+"/healthz", nil)
	if err != nil {
		return ""
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ""
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return ""
	}
	return r.URL
}

// errServerHoldsIndex tells the user why a command cannot open the index.
func errServerHoldsIndex(url string) error {
	return fmt.Errorf("gapwatch serve at %s holds the index; it keeps the index up to date and rebuilds it on start when needed: %w", url, errors.ErrUnsupported)
}
