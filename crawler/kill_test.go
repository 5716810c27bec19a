package crawler_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/crawler"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

const killItems = 20000

// bigFeed is an RSS feed of killItems items, all titled with the revision.
func bigFeed(rev int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>big</title><link>https://big.example.test</link><description>d</description>`)
	for i := 0; i < killItems; i++ {
		fmt.Fprintf(&b, `<item><title>rev %d item %d</title><guid>item-%d</guid><link>https://big.example.test/%d</link><pubDate>Mon, 16 Sep 2024 10:02:00 GMT</pubDate><description>Outage of service %d between 08:51 and 09:30 UTC.</description></item>`, rev, i, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// TestKillMidCrawlChild is the crawl that TestKillMidCrawl kills; it does
// nothing unless started by it.
func TestKillMidCrawlChild(t *testing.T) {
	dbPath, url := os.Getenv("GAPWATCH_KILL_DB"), os.Getenv("GAPWATCH_KILL_URL")
	if dbPath == "" {
		t.Skip("helper process for TestKillMidCrawl")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	src := notice.Source{Name: "big", Kind: notice.KindFeed, URL: url, Interval: time.Minute, Enabled: true}
	if err := st.SyncSources(ctx, []notice.Source{src}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f := crawler.NewFetcher(crawler.FetchConfig{AllowPrivate: true, MaxBody: 64 << 20})
	r := crawler.New(f, st, crawler.Options{Logger: log}).CrawlSource(ctx, src)
	fmt.Fprintln(os.Stderr, "CHILD DONE", r.Outcome, r.Err)
}

// TestKillMidCrawl kills (SIGKILL) a crawl while it saves a large source and
// checks that the store holds either the previous crawl or the new one,
// never a mix: every notice at the same revision, validators only with the
// items they describe.
func TestKillMidCrawl(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	var rev atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", fmt.Sprintf(`"rev-%d"`, rev.Load()))
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(bigFeed(int(rev.Load())))
	}))
	defer srv.Close()
	dbPath := filepath.Join(t.TempDir(), "kill.db")

	sawOld, sawNew := false, false
	delays := []time.Duration{30 * time.Millisecond, 120 * time.Millisecond, 60 * time.Millisecond, 250 * time.Millisecond, 5 * time.Minute}
	for i, delay := range delays {
		rev.Store(int32(i + 1))
		before := revisions(t, dbPath)
		killed := runAndKill(t, dbPath, srv.URL, delay)
		after := revisions(t, dbPath)
		if len(after) > 1 {
			t.Fatalf("round %d: store holds a mix of revisions %v", i, after)
		}
		n := notices(t, dbPath)
		if n != 0 && n != killItems {
			t.Fatalf("round %d: %d notices, want 0 or %d", i, n, killItems)
		}
		switch {
		case len(after) == 1 && after[0] == i+1:
			sawNew = true
		case fmt.Sprint(after) == fmt.Sprint(before):
			sawOld = true
			if !killed {
				t.Fatalf("round %d: crawl finished but store kept the old revision", i)
			}
		default:
			t.Fatalf("round %d: revisions before %v after %v", i, before, after)
		}
	}
	if !sawOld || !sawNew {
		t.Fatalf("kills did not land both before and after commit (old %v, new %v); adjust delays", sawOld, sawNew)
	}
}

// runAndKill starts the child crawl and kills it delay after it starts
// saving; it reports whether the child was killed before finishing.
func runAndKill(t *testing.T, dbPath, url string, delay time.Duration) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillMidCrawlChild$", "-test.v")
	cmd.Env = append(os.Environ(), "GAPWATCH_KILL_DB="+dbPath, "GAPWATCH_KILL_URL="+url)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	saving, done := make(chan struct{}), make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			if !sent && strings.Contains(sc.Text(), "saving crawl") {
				close(saving)
				sent = true
			}
			if strings.Contains(sc.Text(), "CHILD DONE") {
				close(done)
				return
			}
		}
	}()
	select {
	case <-saving:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("child never started saving")
	}
	killed := false
	select {
	case <-done:
	case <-time.After(delay):
		killed = cmd.Process.Kill() == nil
	}
	cmd.Wait()
	return killed
}

func openRO(t *testing.T, dbPath string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// revisions lists the distinct feed revisions found in stored notice titles.
func revisions(t *testing.T, dbPath string) []int {
	st := openRO(t, dbPath)
	defer st.Close()
	seen := map[int]bool{}
	var out []int
	err := st.EachNotice(context.Background(), func(n notice.Notice) error {
		var r, i int
		if _, err := fmt.Sscanf(n.Item.Title, "rev %d item %d", &r, &i); err != nil {
			return err
		}
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := st.Validators(context.Background(), "big")
	if err != nil {
		t.Fatal(err)
	}
	for _, val := range v {
		if len(out) != 1 || val.ETag != fmt.Sprintf(`"rev-%d"`, out[0]) {
			t.Fatalf("validators %v do not describe stored revisions %v", v, out)
		}
	}
	return out
}

func notices(t *testing.T, dbPath string) int {
	st := openRO(t, dbPath)
	defer st.Close()
	_, total, err := st.RecentNotices(context.Background(), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	return total
}
