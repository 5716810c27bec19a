package index

import (
	"os"
	"strconv"
	"testing"

	"github.com/gapwatch/gapwatch/crawler/extract"
	"github.com/gapwatch/gapwatch/internal/synth"
	"github.com/gapwatch/gapwatch/notice"
)

// benchSize is the synthetic corpus size: GAPWATCH_BENCH_N, default 10000.
func benchSize(b *testing.B) int {
	b.Helper()
	s := os.Getenv("GAPWATCH_BENCH_N")
	if s == "" {
		return 10000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		b.Fatalf("GAPWATCH_BENCH_N=%q: want a positive integer", s)
	}
	return n
}

// corpus is the synthetic, deterministic corpus of internal/synth (the
// one cmd/gapbench measures at scale), held in memory with its ground
// truth extractions.
type corpus struct {
	gen     *synth.Generator
	notices []notice.Notice
}

// newCorpus generates n notices: products from the catalog with a skewed
// popularity, English (70 %) and French text of 1–2 KB, publication over
// six years, 0–3 windows of minute or day precision, some open.
func newCorpus(tb testing.TB, n int) *corpus {
	tb.Helper()
	cat, err := extract.DefaultCatalog()
	if err != nil {
		tb.Fatal(err)
	}
	c := &corpus{gen: synth.New(cat, 42), notices: make([]notice.Notice, n)}
	for i := range c.notices {
		c.notices[i] = c.gen.Notice(i)
	}
	return c
}
