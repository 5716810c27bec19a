package notice

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSourceJSONInterval(t *testing.T) {
	s := Source{Name: "aws", Kind: KindFeed, URL: "https://status.example.test/rss", Interval: 5 * time.Minute, Enabled: true}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"interval":"5m0s"`) || strings.Count(string(b), `"interval"`) != 1 {
		t.Fatalf("marshalled %s, want one interval written as 5m0s", b)
	}
	var back Source
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back != s {
		t.Fatalf("round trip: got %+v, want %+v", back, s)
	}
	var old Source
	if err := json.Unmarshal([]byte(`{"name":"x","interval":300000000000}`), &old); err != nil || old.Interval != 5*time.Minute {
		t.Fatalf("nanoseconds: %+v, %v", old, err)
	}
	if err := json.Unmarshal([]byte(`{"name":"x","interval":"soon"}`), &old); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad interval: err %v, want ErrInvalid", err)
	}
}
