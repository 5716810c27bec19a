package index

import (
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gapwatch/gapwatch/crawler/extract"
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

// corpus is a synthetic, deterministic set of notices drawn from the
// catalog, with the products most notices are about.
type corpus struct {
	notices []notice.Notice
	// popular lists products in decreasing frequency.
	popular []extract.Product
	start   time.Time
	span    time.Duration
}

// englishSentences are notice-like sentences: %[1]s is the product, %[2]s the
// vendor, %[3]s a region, %[4]s a time of day.
func englishSentences() []string {
	return []string{
		"We are investigating reports of degraded performance for %[1]s in %[3]s.",
		"Between %[4]s and the following hour UTC, a subset of customers experienced elevated error rates when accessing %[1]s.",
		"Audit logs and sign-in logs for %[1]s were delayed and some events may not have been delivered to downstream destinations.",
		"Engineers identified a configuration change that caused requests to time out; the change has been rolled back.",
		"Customers using %[2]s services in %[3]s may have seen intermittent connectivity failures and increased latency.",
		"A fix has been deployed and we are monitoring the results. Log ingestion has recovered and the backlog is being processed.",
		"Scheduled maintenance will take place at %[4]s UTC; during this window %[1]s may be unavailable for up to thirty minutes.",
		"The incident has been resolved. A post-incident review will be published with the root cause and the affected time window.",
		"Authentication requests failed for users relying on multi-factor prompts, and API calls returned HTTP 503 errors.",
		"Data collected during the impact window could not be recovered; security telemetry for that period is incomplete.",
	}
}

// frenchSentences are the French counterparts of englishSentences.
func frenchSentences() []string {
	return []string{
		"Nous enquêtons sur une dégradation des performances de %[1]s dans la région %[3]s.",
		"Entre %[4]s et l'heure suivante UTC, une partie des clients a constaté des erreurs en accédant à %[1]s.",
		"Les journaux de sécurité et les journaux de connexion de %[1]s ont été retardés ; certains événements n'ont pas été livrés.",
		"Les équipes ont identifié un changement de configuration à l'origine des délais d'attente ; il a été annulé.",
		"Les clients des services %[2]s dans la région %[3]s ont pu subir des coupures intermittentes et une latence accrue.",
		"Un correctif a été déployé et nous surveillons la situation. L'ingestion des journaux est rétablie.",
		"Une maintenance planifiée aura lieu à %[4]s UTC ; pendant cette fenêtre %[1]s pourra être indisponible.",
		"L'incident est résolu. Une analyse post-incident précisera la cause et la période d'impact.",
		"Les demandes d'authentification ont échoué pour les utilisateurs de l'authentification multifacteur.",
		"Les données collectées pendant l'incident n'ont pas pu être récupérées ; la télémétrie de sécurité est incomplète.",
	}
}

// detailWords make each notice's specifics ("Affected components: …"), so
// that the corpus has rare terms as well as the boilerplate every notice
// repeats.
func detailWords() []string {
	return strings.Fields(`api gateway dns resolver load balancer certificate renewal tls handshake webhook delivery
		queue backlog replication lag storage volume snapshot backup restore kubernetes node pool autoscaler
		quota throttling rate limit token refresh oauth saml federation directory sync provisioning scim
		mailbox transport connector firewall rule vpn tunnel peering bgp route anycast cache purge origin
		shield edge worker function runtime cold start build pipeline artifact registry container image
		pull secret vault key rotation hsm audit export siem connector syslog forwarder agent heartbeat
		ingestion pipeline parser schema mapping index shard query timeout dashboard widget alerting rule
		notification email sms push mobile client browser extension desktop installer update channel
		billing invoice metering usage report analytics warehouse etl job scheduler cron batch stream
		kafka topic partition consumer offset redis cluster failover postgres primary replica promotion`)
}

// regions are the regions sentences name.
func regions() []string {
	return []string{"us-east-1", "West Europe", "europe-west1", "Frankfurt", "Paris", "Tokyo", "São Paulo", "Canada Central"}
}

// newCorpus generates n notices: products from the catalog with a skewed
// popularity, English (70 %) and French text of 1–2 KB, publication over
// six years, 0–3 windows of minute, hour or day precision, some open.
func newCorpus(tb testing.TB, n int) *corpus {
	tb.Helper()
	cat, err := extract.DefaultCatalog()
	if err != nil {
		tb.Fatal(err)
	}
	r := rand.New(rand.NewPCG(42, uint64(n)))
	products := cat.Products()
	r.Shuffle(len(products), func(i, j int) { products[i], products[j] = products[j], products[i] })
	c := &corpus{popular: products, start: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), span: 6 * 365 * 24 * time.Hour}
	pick := func() extract.Product {
		return products[min(int(r.ExpFloat64()*float64(len(products))/6), len(products)-1)]
	}
	categories := notice.Categories
	c.notices = make([]notice.Notice, n)
	for i := range c.notices {
		p := pick()
		fr := r.IntN(10) < 3
		published := c.start.Add(time.Duration(r.Int64N(int64(c.span)))).Truncate(time.Minute)
		nt := notice.Notice{
			ID: notice.ID(i + 1), Version: 1,
			Item: notice.Item{
				Source: strings.ToLower(strings.ReplaceAll(p.Vendor, " ", "-")) + "-status", ItemID: strconv.Itoa(i),
				URL: "https://status.example.test/" + strconv.Itoa(i), Published: published, Vendor: p.Vendor,
			},
			Extraction: notice.Extraction{Vendor: p.Vendor, Category: categories[r.IntN(len(categories))],
				Products: []notice.ProductRef{{Name: p.Name, Vendor: p.Vendor}}},
		}
		if r.IntN(4) == 0 {
			if q := pick(); q.Vendor == p.Vendor && q.Name != p.Name {
				nt.Extraction.Products = append(nt.Extraction.Products, notice.ProductRef{Name: q.Name, Vendor: q.Vendor})
			}
		}
		nt.Extraction.Language = "en"
		if fr {
			nt.Extraction.Language = "fr"
		}
		nt.Item.Title, nt.Item.Text = noticeText(r, p, published, fr)
		nt.Extraction.Windows = randomWindows(r, published)
		c.notices[i] = nt
	}
	return c
}

// noticeText writes a title and a 1–2 KB body.
func noticeText(r *rand.Rand, p extract.Product, published time.Time, fr bool) (string, string) {
	sentences, title := englishSentences(), "Degraded performance of "+p.Name
	if fr {
		sentences, title = frenchSentences(), "Dégradation du service "+p.Name
	}
	regions := regions()
	want := 1000 + r.IntN(1000)
	var sb strings.Builder
	details := detailWords()
	sb.WriteString("Affected components:")
	for range 3 + r.IntN(4) {
		sb.WriteString(" " + details[r.IntN(len(details))])
	}
	sb.WriteString(". ")
	for sb.Len() < want {
		s := sentences[r.IntN(len(sentences))]
		hhmm := published.Add(-time.Duration(r.IntN(600)) * time.Minute).Format("15:04")
		sb.WriteString(strings.NewReplacer("%[1]s", p.Name, "%[2]s", p.Vendor, "%[3]s", regions[r.IntN(len(regions))], "%[4]s", hhmm).Replace(s))
		sb.WriteByte(' ')
	}
	return title, sb.String()
}

// randomWindows returns 0–3 windows before publication: minute precision
// mostly, some hour or day, one in twenty open.
func randomWindows(r *rand.Rand, published time.Time) []notice.Window {
	k := []int{0, 1, 1, 1, 1, 1, 2, 2, 3}[r.IntN(9)]
	ws := make([]notice.Window, 0, k)
	for range k {
		start := published.Add(-time.Duration(r.IntN(3*24*60)) * time.Minute)
		w := notice.Window{Start: start, Precision: notice.PrecisionMinute, Origin: notice.OriginText}
		switch r.IntN(10) {
		case 0:
			w.Precision = notice.PrecisionDay
			w.Start = start.Truncate(24 * time.Hour)
		case 1:
			w.Precision = notice.PrecisionHour
			w.Start = start.Truncate(time.Hour)
		}
		if r.IntN(20) != 0 {
			w.End = notice.TimePtr(w.Start.Add(time.Duration(10+r.IntN(48*60)) * time.Minute))
		}
		ws = append(ws, w)
	}
	return ws
}
