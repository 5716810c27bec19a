package extract

import (
	"testing"
	"unicode/utf8"
)

// benchNotices returns the whole-notice fixtures with their text padded
// with itself to about 2 KB, the size the throughput target is stated for,
// and their mean text length.
func benchNotices(b *testing.B) ([]Input, int) {
	b.Helper()
	var ins []Input
	total := 0
	for _, path := range noticeFixtures(b) {
		in := loadNoticeFixture(b, path).input()
		text := in.Text
		for len(text) < 2048 {
			text += "\n" + in.Text
		}
		text = text[:2048]
		for !utf8.ValidString(text) {
			text = text[:len(text)-1] // do not end inside a rune
		}
		in.Text = text
		total += len(text)
		ins = append(ins, in)
	}
	return ins, total / len(ins)
}

// BenchmarkExtract measures the whole extractor (HTML stripping, language,
// vendor, products, windows, category) and reports notices per second
// (target: at least 2,000 on one core: go test -bench Extract -cpu 1).
func BenchmarkExtract(b *testing.B) {
	ins, size := benchNotices(b)
	ex := New(testCatalog(b))
	b.SetBytes(int64(size))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		ex.Extract(ins[n%len(ins)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "notices/s")
}

// BenchmarkExtractBaselineTokenize is the baseline for BenchmarkExtract:
// the same notices, only tokenized, so the cost ratio comes from one run.
func BenchmarkExtractBaselineTokenize(b *testing.B) {
	ins, size := benchNotices(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var z tokenizer
	var buf []token
	n := 0
	for b.Loop() {
		in := &ins[n%len(ins)]
		buf = z.tokenize(in.Title, buf[:0])
		buf = z.tokenize(in.Text, buf[:0])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "notices/s")
}
