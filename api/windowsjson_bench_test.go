package api

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// BenchmarkWindowsJSON compares the hand-written encoder with
// encoding/json on a typical answer (5 windows).
func BenchmarkWindowsJSON(b *testing.B) {
	end := time.Date(2024, 9, 19, 0, 0, 0, 0, time.UTC)
	hits := make([]notice.WindowHit, 5)
	for i := range hits {
		hits[i] = notice.WindowHit{NoticeID: notice.ID(1000 + i), Product: "Microsoft Entra ID", Vendor: "Microsoft",
			Start: time.Date(2024, 9, 2, 0, 0, 0, 0, time.UTC), End: &end, Precision: notice.PrecisionDay,
			Category: notice.CategoryDataLoss, Title: "Microsoft's monitoring agents nodded off for a fortnight, taking your security logs with them",
			URL: "https://news.example.test/2024/10/16/microsoft_agents_log_loss/"}
	}
	b.Run("hand-written", func(b *testing.B) {
		buf := make([]byte, 0, 4096)
		for b.Loop() {
			buf = appendWindows(buf[:0], hits)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			if _, err := json.Marshal(struct {
				Windows []notice.WindowHit `json:"windows"`
			}{hits}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
