package extract

import (
	"strings"
	"testing"
)

// benchWindowNotices returns the window fixtures, each padded with its own
// text to about 2 KB, the size the throughput target is stated for.
func benchWindowNotices(b *testing.B) ([]windowFixture, int) {
	b.Helper()
	var fs []windowFixture
	total := 0
	for _, path := range windowFixtures(b) {
		f := loadWindowFixture(b, path)
		var sb strings.Builder
		for sb.Len() < 2048 {
			sb.WriteString(f.text)
			sb.WriteString("\n")
		}
		f.text = sb.String()[:2048]
		for len(f.text) > 0 && f.text[len(f.text)-1]&0xC0 == 0x80 {
			f.text = f.text[:len(f.text)-1] // do not end inside a rune
		}
		total += len(f.text)
		fs = append(fs, f)
	}
	return fs, total
}

// BenchmarkExtractWindows measures whole-notice window extraction and
// reports notices per second (target: at least 2,000 on one core).
func BenchmarkExtractWindows(b *testing.B) {
	fs, total := benchWindowNotices(b)
	b.SetBytes(int64(total / len(fs)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		f := &fs[n%len(fs)]
		ExtractWindows(f.text, f.hints)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "notices/s")
}

// BenchmarkTokenizeOnly is the baseline for BenchmarkExtractWindows: the
// same notices, only tokenized.
func BenchmarkTokenizeOnly(b *testing.B) {
	fs, total := benchWindowNotices(b)
	b.SetBytes(int64(total / len(fs)))
	b.ReportAllocs()
	var z tokenizer
	var buf []token
	n := 0
	for b.Loop() {
		buf = z.tokenize(fs[n%len(fs)].text, buf[:0])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "notices/s")
}
