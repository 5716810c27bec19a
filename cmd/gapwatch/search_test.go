package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func searchJSON(t *testing.T, dir string, args ...string) map[string]any {
	t.Helper()
	out, errOut, err := run(t, dir, append([]string{"search", "--demo", "--json"}, args...)...)
	if err != nil {
		t.Fatalf("search: %v\n%s", err, errOut)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(out), &body); err != nil {
		t.Fatalf("search output: %v\n%s", err, out)
	}
	return body
}

// TestSearchWithAndWithoutServer: the same search answers the same whether
// the CLI opens the index itself or asks a running server (which holds it).
func TestSearchWithAndWithoutServer(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, err := run(t, dir, "crawl", "--demo"); err != nil {
		t.Fatalf("crawl: %v\n%s", err, errOut)
	}
	alone := searchJSON(t, dir, "journaux de sécurité", "--product", "Azure AD")
	if alone["total"].(float64) == 0 {
		t.Fatalf("no hits: %v", alone)
	}

	out0, _, err := run(t, dir, "reindex", "--demo")
	if err != nil || !strings.Contains(out0, "index rebuilt: 65 notices") {
		t.Fatalf("reindex: %v %q", err, out0)
	}
	if again := searchJSON(t, dir, "journaux de sécurité", "--product", "Azure AD"); again["total"] != alone["total"] {
		t.Fatalf("after reindex: %v, before %v", again["total"], alone["total"])
	}

	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	cmd := newRootCmd(&out, io.Discard, []string{"GAPWATCH_DATA_DIR=" + dir})
	cmd.SetArgs([]string{"serve", "--demo", "--listen", "127.0.0.1:0"})
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	running := filepath.Join(dir, "demo", runningFile)
	var url string
	for deadline := time.Now().Add(30 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		url = findRunning(context.Background(), filepath.Dir(running))
	}
	if url == "" {
		t.Fatal("serve did not start")
	}
	withServer := searchJSON(t, dir, "journaux de sécurité", "--product", "Azure AD")
	a, _ := json.Marshal(alone["hits"])
	b, _ := json.Marshal(withServer["hits"])
	if !bytes.Equal(a, b) {
		t.Fatalf("answers differ:\nalone  %s\nserver %s", a, b)
	}
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), `route="/api/v1/notices"`) {
		t.Fatal("the search did not go through the running server")
	}
	if _, _, err := run(t, dir, "reindex", "--demo"); err == nil || !strings.Contains(err.Error(), "holds the index") {
		t.Fatalf("reindex while serving: err = %v", err)
	}
}
