package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// writer writes one notice's title and body in English or French.
type writer struct {
	r        *rand.Rand
	ph       *phrases
	products []notice.ProductRef
	vendor   string
	sb       strings.Builder
}

// phrases holds one language's wording.
type phrases struct {
	fr         bool
	titles     map[notice.Category][]string
	impacts    map[notice.Category]string
	components string
	also       string
	filler     []string
	months     []string
	details    []string
}

// notice writes the title and a 1–2 KB body stating every window.
func (w *writer) notice(cat notice.Category, windows []notice.Window) (string, string) {
	ph := w.ph
	product := w.products[0].Name
	titles := ph.titles[cat]
	title := strings.ReplaceAll(titles[w.r.IntN(len(titles))], "%s", product)
	want := 1000 + w.r.IntN(1000)
	w.sb.Grow(want + 200)
	w.sb.WriteString(ph.components)
	for range 3 + w.r.IntN(4) {
		w.sb.WriteString(" " + ph.details[w.r.IntN(len(ph.details))])
	}
	w.sb.WriteString(". ")
	for _, win := range windows {
		w.window(win, product, ph.impacts[cat])
		w.sb.WriteByte(' ')
	}
	for _, p := range w.products[1:] {
		w.sb.WriteString(strings.ReplaceAll(ph.also, "%s", p.Name) + " ")
	}
	regions := regions()
	fill := strings.NewReplacer("%[1]s", product, "%[2]s", w.vendor, "%[3]s", regions[w.r.IntN(len(regions))])
	for w.sb.Len() < want {
		if _, err := fill.WriteString(&w.sb, ph.filler[w.r.IntN(len(ph.filler))]); err != nil {
			break // a strings.Builder never fails
		}
		w.sb.WriteByte(' ')
	}
	return title, strings.TrimSpace(w.sb.String())
}

// date writes "14 March 2024" or "14 mars 2024".
func (w *writer) date(t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + w.ph.months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// clock writes "08:51" or "08h51".
func (w *writer) clock(t time.Time) string {
	if w.ph.fr {
		return t.Format("15h04")
	}
	return t.Format("15:04")
}

// window states one window in prose, as status pages and post-incident
// reviews do.
func (w *writer) window(win notice.Window, product, impact string) {
	s := win.Start
	var f string
	switch {
	case win.Precision == notice.PrecisionDay:
		f = w.dayRange(s, *win.End)
	case win.End == nil && w.ph.fr:
		f = "Depuis le " + w.date(s) + " à " + w.clock(s) + " UTC, les clients de %p constatent %i. Nous publierons une mise à jour dès que possible."
	case win.End == nil:
		f = "Since " + w.clock(s) + " UTC on " + w.date(s) + ", customers using %p are experiencing %i. We will provide an update as soon as possible."
	default:
		f = w.minuteRange(s, *win.End)
	}
	_, _ = strings.NewReplacer("%p", product, "%i", impact).WriteString(&w.sb, f)
}

// minuteRange writes a closed minute-precision window sentence.
func (w *writer) minuteRange(s, e time.Time) string {
	sameDay := s.Truncate(24 * time.Hour).Equal(e.Truncate(24 * time.Hour))
	switch {
	case sameDay && w.ph.fr:
		return "Le " + w.date(s) + ", entre " + w.clock(s) + " et " + w.clock(e) + " UTC, une partie des clients de %p a constaté %i."
	case w.ph.fr:
		return "Entre le " + w.date(s) + " à " + w.clock(s) + " UTC et le " + w.date(e) + " à " + w.clock(e) + " UTC, une partie des clients de %p a constaté %i."
	case sameDay:
		return "Between " + w.clock(s) + " and " + w.clock(e) + " UTC on " + w.date(s) + ", a subset of customers using %p experienced %i."
	}
	return "Between " + w.clock(s) + " UTC on " + w.date(s) + " and " + w.clock(e) + " UTC on " + w.date(e) + ", a subset of customers using %p experienced %i."
}

// dayRange writes a day-precision window sentence ("between March 14 and
// March 16, 2024").
func (w *writer) dayRange(s, e time.Time) string {
	if w.ph.fr {
		return "Entre le " + w.date(s) + " et le " + w.date(e) + ", certains clients de %p ont constaté %i."
	}
	md := func(t time.Time) string { return w.ph.months[t.Month()-1] + " " + strconv.Itoa(t.Day()) }
	return "Between " + md(s) + ", " + strconv.Itoa(s.Year()) + " and " + md(e) + ", " + strconv.Itoa(e.Year()) +
		", some customers using %p experienced %i."
}

// english is the English wording. Filler sentences carry no dates or
// times, so that the windows stated are exactly the generated ones.
func english() *phrases {
	return &phrases{
		details: DetailWords(),
		titles: map[notice.Category][]string{
			notice.CategoryOutage:           {"%s outage", "Service disruption: %s unavailable"},
			notice.CategoryDegradation:      {"Degraded performance of %s", "Elevated latency for %s"},
			notice.CategoryDataLoss:         {"%s: delayed and missing audit logs", "Log data loss affecting %s"},
			notice.CategorySecurityIncident: {"Security incident involving %s", "Unauthorized access to %s accounts"},
			notice.CategoryMaintenance:      {"Scheduled maintenance: %s", "Planned maintenance for %s"},
		},
		impacts: map[notice.Category]string{
			notice.CategoryOutage:           "failures to reach the service",
			notice.CategoryDegradation:      "elevated latency and intermittent errors",
			notice.CategoryDataLoss:         "delayed or missing audit logs that could not be recovered",
			notice.CategorySecurityIncident: "unauthorized access attempts against their accounts",
			notice.CategoryMaintenance:      "brief unavailability during planned maintenance",
		},
		components: "Affected components:",
		also:       "Related services such as %s were also affected.",
		months:     strings.Fields("January February March April May June July August September October November December"),
		filler:     englishFiller(),
	}
}

// french is the French wording.
func french() *phrases {
	return &phrases{
		fr: true, details: DetailWords(),
		titles: map[notice.Category][]string{
			notice.CategoryOutage:           {"Panne de %s", "Interruption du service %s"},
			notice.CategoryDegradation:      {"Dégradation du service %s", "Latence élevée sur %s"},
			notice.CategoryDataLoss:         {"%s : journaux manquants", "Perte de journaux d'audit pour %s"},
			notice.CategorySecurityIncident: {"Incident de sécurité concernant %s", "Accès non autorisé à des comptes %s"},
			notice.CategoryMaintenance:      {"Maintenance planifiée : %s", "Maintenance programmée de %s"},
		},
		impacts: map[notice.Category]string{
			notice.CategoryOutage:           "une indisponibilité totale du service",
			notice.CategoryDegradation:      "une latence accrue et des erreurs intermittentes",
			notice.CategoryDataLoss:         "des journaux d'audit retardés ou perdus, qui n'ont pas pu être récupérés",
			notice.CategorySecurityIncident: "des tentatives d'accès non autorisé à leurs comptes",
			notice.CategoryMaintenance:      "une brève indisponibilité pendant la maintenance planifiée",
		},
		components: "Composants concernés :",
		also:       "Le service %s a également été touché.",
		months:     strings.Fields("janvier février mars avril mai juin juillet août septembre octobre novembre décembre"),
		filler:     frenchFiller(),
	}
}

// DetailWords are the words of each notice's specifics ("Affected
// components: …"), so that the corpus has rare terms as well as the
// boilerplate every notice repeats.
func DetailWords() []string {
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

// CommonWords are boilerplate words of one language or the other that
// many notices contain (from a few to forty percent, as in real notices:
// see the filler), for searches with many hits.
func CommonWords() []string {
	return strings.Fields("authentication logs delayed latency errors configuration connectivity " +
		"incident telemetry security journaux sécurité connexion latence correctif")
}

// regions are the regions sentences name.
func regions() []string {
	return []string{"us-east-1", "West Europe", "europe-west1", "Frankfurt", "Paris", "Tokyo", "São Paulo", "Canada Central"}
}
