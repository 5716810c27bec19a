package digest_test

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/digest"
	"github.com/gapwatch/gapwatch/notice"
	"github.com/gapwatch/gapwatch/store"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type names struct{}

func (names) Product(s string) (string, bool) { return s, s != "" }
func (names) Vendor(s string) (string, bool)  { return s, s != "" }

// world is a store with one Paris tenant, an SMTP server and a service.
type world struct {
	st     *store.Store
	tenant notice.Tenant
	mail   *mailServer
	clock  *clock
	svc    *digest.Service
	counts map[string]int
	mu     sync.Mutex
	// settle is the Settle option of the services made after it is set.
	settle time.Duration
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "gapwatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ten, _, err := st.CreateTenant(ctx, notice.Tenant{Name: "acme", Email: "soc@acme.test", Timezone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{st: st, tenant: ten, mail: startMailServer(t), clock: &clock{t: time.Now()}, counts: map[string]int{}}
	w.svc = w.service(t)
	return w
}

// service returns a digest service on the world's store (a second call
// is a second replica).
func (w *world) service(t *testing.T) *digest.Service {
	t.Helper()
	signer, err := digest.NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := digest.NewService(digest.Options{Store: w.st, Signer: signer, Resolver: names{},
		Sender: digest.NewSMTPSender(digest.SMTPConfig{Host: "127.0.0.1", Port: w.mail.Port, TLS: "none", Timeout: 5 * time.Second}),
		From:   "gapwatch@example.test", BaseURL: "http://127.0.0.1:8080", Now: w.clock.Now,
		RetryBase: time.Minute, RetryMax: time.Hour, Settle: w.settle,
		Observe: func(o string) { w.mu.Lock(); w.counts[o]++; w.mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// addExplainedGap stores an Entra ID notice (day window 3–18 Sep) and a
// SigninLogs gap it explains, linked now.
func (w *world) addExplainedGap(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if err := w.st.SyncSources(ctx, []notice.Source{{Name: "azure", Kind: notice.KindFeed, URL: "https://status.example.test/feed",
		Vendor: "Microsoft", Interval: time.Hour, Enabled: true}}); err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2024, 9, d, 0, 0, 0, 0, time.UTC) }
	it := notice.Item{Source: "azure", ItemID: "e1", Title: "Sign-in logs missing in Microsoft Entra ID", Vendor: "Microsoft",
		URL: "https://status.example.test/e1", Published: day(19)}
	ex := notice.Extraction{Vendor: "Microsoft", Category: notice.CategoryDataLoss,
		Products: []notice.ProductRef{{Name: "Microsoft Entra ID", Vendor: "Microsoft"}},
		Windows:  []notice.Window{{Start: day(3), End: notice.TimePtr(day(18)), Precision: notice.PrecisionDay, Evidence: "from 3 to 18 September"}}}
	if _, err := w.st.SaveCrawl(ctx, notice.CrawlRecord{Source: "azure", At: time.Now().UTC(), Outcome: notice.OutcomeOK,
		Items: []notice.StoredItem{{Item: it, Hash: it.Hash(), Extraction: ex, Extracted: true}}}); err != nil {
		t.Fatal(err)
	}
	gs, err := w.st.SaveGaps(ctx, w.tenant.ID, []notice.Gap{{Source: "SigninLogs", Product: "Microsoft Entra ID", Vendor: "Microsoft",
		Start: time.Date(2024, 9, 3, 7, 0, 0, 0, time.UTC), End: time.Date(2024, 9, 18, 9, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.st.SetGapLinks(ctx, gs[0].ID, []notice.Link{{Gap: gs[0].ID, Notice: 1, Title: it.Title, Vendor: "Microsoft",
		Product: "Microsoft Entra ID", Match: notice.MatchExact, Coverage: 1, Window: ex.Windows[0], Score: 1, Evidence: "from 3 to 18 September"}}); err != nil {
		t.Fatal(err)
	}
}

// nextMonday8 is the first Monday 08:00 in Paris after now.
func nextMonday8(now time.Time) time.Time {
	loc, _ := time.LoadLocation("Europe/Paris")
	return digest.NextSlot(now, time.Monday, 8, loc)
}

func TestDeliveryOverSMTP(t *testing.T) {
	w := newWorld(t)
	w.addExplainedGap(t)
	slot := nextMonday8(time.Now())
	w.clock.Set(slot.Add(time.Minute))
	if err := w.svc.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	msgs := w.mail.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages received, want 1", len(msgs))
	}
	m, err := mail.ReadMessage(strings.NewReader(string(msgs[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subj != "gapwatch: 1 of your log gaps now explained — Microsoft Entra ID" {
		t.Errorf("subject %q", subj)
	}
	if u := m.Header.Get("List-Unsubscribe"); !strings.HasPrefix(u, "<http://127.0.0.1:8080/unsubscribe?token=") {
		t.Errorf("List-Unsubscribe %q", u)
	}
	if m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post %q", m.Header.Get("List-Unsubscribe-Post"))
	}
	if msgs[0].To[0] != "soc@acme.test" {
		t.Errorf("to %v", msgs[0].To)
	}
	parts := readAlternative(t, m)
	for _, ct := range []string{"text/plain", "text/html"} {
		body, ok := parts[ct]
		if !ok {
			t.Fatalf("no %s part in %v", ct, parts)
		}
		for _, want := range []string{
			"Microsoft notice explains your SigninLogs gap of 3–18 Sep",
			"3 Sep 2024 09:00 – 18 Sep 2024 11:00 CEST", // the gap in Paris time
			"Affected: 3–18 Sep",                        // day window as dates
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s part lacks %q:\n%s", ct, want, body)
			}
		}
	}
}

// readAlternative returns the parts of a multipart/alternative message by
// content type, decoded.
func readAlternative(t *testing.T, m *mail.Message) map[string]string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q (%v): %v", m.Header.Get("Content-Type"), err, errNotMultipart)
	}
	out := map[string]string{}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[ct] = string(b)
	}
}
