package extract

import "strings"

// Lexicon flags: what a word can mean to the window rules. A word may
// carry several ("until" is both a range connector and an end cue).
const (
	lxGlue      uint64 = 1 << iota // may sit inside a date-time ("on", "at", "le", "um")
	lxApprox                       // "around", "vers", "gegen"
	lxOpen                         // opens a range ("between", "from", "entre", "du", "von")
	lxOpenWeak                     // opens a range only with a weak connector ("de")
	lxTo                           // strong connector ("to", "until", "bis", "au", "hasta")
	lxToWeak                       // connector after a weak opener ("a", "à", "al")
	lxAnd                          // connector after "between"-type openers ("and", "et", "y")
	lxStart                        // start cue ("began", "since", "depuis")
	lxSince                        // start cue that also says "still ongoing" ("since", "seit")
	lxEnd                          // end cue ("resolved", "restored", "until")
	lxNeg                          // the date is not an event ("posted", "next update")
	lxFuture                       // future tense marker ("will")
	lxImpact                       // impact noun ("outage", "panne", "Störung")
	lxOngoing                      // "ongoing", "still", "currently"
	lxDurCue                       // introduces a duration ("lasting", "for", "pendant")
	lxOrdinal                      // ordinal suffix ("th", "er")
	lxAbbrev                       // abbreviation: no sentence break after its dot
	lxLocal                        // "local" (a zone we cannot resolve)
	lxUhr                          // "Uhr": the preceding number is a clock hour
	lxHourWord                     // "h", "heures", "horas": clock hour marker (French/Spanish)
	lxNight                        // "nuit", "Nacht"
	lxTimeWord                     // "time", "times", "heure": used in zone declarations
	lxAll                          // "all", "toutes", "alle"
	lxZoneStart                    // first word of a zone name
	lxUnitOnly                     // a duration unit that is never a clock marker
	lxUpTo                         // "up to", "bis zu": duration is an upper bound
	lxAfter                        // "after", "dopo", "plus tard" style: duration after a point
	lxDeclare                      // declared, detected: start cue that needs an impact word nearby
	lxResponse                     // "investigation", "mitigation": what a start cue is about when it is not the impact
)

// Relative day words.
const (
	relNone = iota
	relToday
	relYesterday
	relTomorrow
	// relWeekday is a weekday named without a date ("at 3:01 PM PDT on
	// Monday"): the latest such day on or before the publication, the
	// next one for planned events.
	relWeekday
)

// lexEntry is what the lexicon knows about one lower-cased word.
type lexEntry struct {
	flags   uint64
	unit    int32 // duration unit in seconds
	month   int8
	weekday int8 // 1 = Monday ... 7 = Sunday
	mer     int8 // merAM, merPM, merEvening
	num     int8 // number word value
	rel     int8 // relToday ...
}

// Meridiem markers.
const (
	merNone int8 = iota
	merAM
	merPM
	merEvening // "evening", "저녁": PM for hours before 12
	merNight   // "night": PM for evening hours, AM for small hours
)

var lexEntries, lexIndex = buildLexicon()

// lexAt returns the entry of a token's lexicon index (index 0 is empty).
func lexAt(i int16) *lexEntry { return &lexEntries[i] }

// lexGroup lists words sharing one setting.
type lexGroup struct {
	words string // space-separated
	set   func(*lexEntry)
}

func lxSet(f uint64) func(*lexEntry) { return func(e *lexEntry) { e.flags |= f } }

func buildLexicon() ([]lexEntry, map[string]int16) {
	entries := []lexEntry{{}}
	index := map[string]int16{}
	add := func(w string, set func(*lexEntry)) {
		i, ok := index[w]
		if !ok {
			i = int16(len(entries))
			entries = append(entries, lexEntry{})
			index[w] = i
		}
		set(&entries[i])
	}
	for m, words := range monthWords {
		for _, w := range strings.Fields(words) {
			add(w, func(e *lexEntry) { e.month = int8(m + 1) })
		}
	}
	for d, words := range weekdayWords {
		for _, w := range strings.Fields(words) {
			add(w, func(e *lexEntry) { e.weekday = int8(d + 1) })
		}
	}
	for _, g := range lexGroups() {
		for _, w := range strings.Fields(g.words) {
			add(w, g.set)
		}
	}
	for name := range zoneNames {
		first, _, _ := strings.Cut(name, " ")
		first, _, _ = strings.Cut(first, "/")
		add(first, lxSet(lxZoneStart))
	}
	return entries, index
}

var monthWords = [12]string{
	"january jan janvier janv januar jänner enero gennaio janeiro",
	"february feb février fevrier févr fevr februar febrero febbraio fevereiro",
	"march mar mars märz maerz marzo março",
	"april apr avril avr abril aprile",
	"may mai mayo maggio maio",
	"june jun juin juni junio giugno junho",
	"july jul juillet juil juli julio luglio julho",
	"august aug août aout agosto",
	"september sep sept septembre setiembre septiembre settembre setembro",
	"october oct octobre oktober okt octubre ottobre outubro",
	"november nov novembre noviembre novembro",
	"december dec décembre decembre déc dezember dez diciembre dicembre dezembro",
}

var weekdayWords = [7]string{
	"monday mon lundi montag lunes lunedì lunedi",
	"tuesday tue tues mardi dienstag martes martedì martedi",
	"wednesday wed mercredi mittwoch miércoles miercoles mercoledì mercoledi",
	"thursday thu thur thurs jeudi donnerstag jueves giovedì giovedi",
	"friday fri vendredi freitag viernes venerdì venerdi",
	"saturday sat samedi samstag sonnabend sábado sabado sabato",
	"sunday sun dimanche sonntag domingo domenica",
}

func unit(sec int32) func(*lexEntry) { return func(e *lexEntry) { e.unit = sec } }
func numw(n int8) func(*lexEntry)    { return func(e *lexEntry) { e.num = n } }
func mer(m int8) func(*lexEntry)     { return func(e *lexEntry) { e.mer = m } }
func rel(r int8) func(*lexEntry)     { return func(e *lexEntry) { e.rel = r } }

func lexGroups() []lexGroup {
	return []lexGroup{
		{"at on the of à a las los el le um am dem den der diesem dieser de del della alle ore t ce cette this 기준", lxSet(lxGlue)},
		{"around approximately approx about roughly circa ca vers environ alentours gegen etwa ungefähr " +
			"hacia aproximadamente alrededor verso intorno nearly almost 약", lxSet(lxApprox)},
		{"between from entre du von zwischen desde dalle dal dalla tra fra", lxSet(lxOpen)},
		{"de da ab", lxSet(lxOpenWeak)},
		{"to until till through thru bis au hasta alle al jusqu aux", lxSet(lxTo)},
		{"a à", lxSet(lxToWeak)},
		{"and et y e und", lxSet(lxAnd)},
		{"began begin begins beginning started start starts starting commenced commencing onset " +
			"occurred occurring experienced experiencing observed reports démarré démarre débuté débute " +
			"commencé commence déclenché déclenchée survenu survenue apparu apparus signalements " +
			"begann begonnen beginnt startete gestartet aufgetreten comenzó comenzaron empezó empezaron " +
			"inició iniciaron aparecieron reportes partire partir iniziato iniziata iniziati cominciato " +
			"cominciata verificato verificata 발생 시작", lxSet(lxStart)},
		{"declared detected aware déclaré déclarée", lxSet(lxStart | lxDeclare)},
		{"since depuis seit desde", lxSet(lxStart | lxSince)},
		{"resolved restored recovered recovery mitigated fixed ended ending until till stabilized " +
			"stabilised normal normally operational healthy resumed corrected restoration rétabli rétablie " +
			"rétablis rétablissement résolu résolue corrigé terminé terminée jusqu behoben " +
			"wiederhergestellt beendet resuelto resuelta restablecido restablecida restableció resolvió recuperó solucionó mitigado solucionado " +
			"hasta recuperación end ende fin ripristino ripristinato ripristinata risolto risolta fino 복구 해결 종료", lxSet(lxEnd)},
		{"posted published updated update updates publié publiée publication mise aktualisiert " +
			"aktualisierung veröffentlicht actualizado actualización publicado aggiornato aggiornamento " +
			"pubblicato next announced announcement founded launched screenshot", lxSet(lxNeg)},
		{"will shall planned prévu prévue fournirons wird", lxSet(lxFuture)},
		{"outage outages disruption disruptions incident incidents issue issues problem problems errors " +
			"error failure failures failing failed trouble troubles impact impacted impacting degradation degraded loss lost " +
			"unavailable unavailability down downtime unreachable fire crash crashes stuck event panne pannes " +
			"incendie perturbation perturbations dysfonctionnement dysfonctionnements problème problèmes " +
			"erreur erreurs indisponible indisponibilité störung störungen ausfall probleme fehler " +
			"beeinträchtigung caída fallo fallos interrupción incidencia problema problemas errores " +
			"apagón interruzione problemi guasto disservizio malfunzionamento errori 장애 오류 에러",
			lxSet(lxImpact)},
		{"ongoing still currently continuing continue continues investigating toujours actuellement " +
			"encore noch derzeit weiterhin todavía aún actualmente ancora attualmente", lxSet(lxOngoing)},
		{"lasting lasted lasts for duration pendant durant durée für dauerte durante duró durado per durata", lxSet(lxDurCue)},
		{"after dopo après nach después", lxSet(lxAfter)},
		{"investigation investigating work working mitigation mitigating remediation rollout rollback enquête", lxSet(lxResponse)},
		{"up bis zu hasta", lxSet(lxUpTo)},
		{"st nd rd th er ère eme ème e º o", lxSet(lxOrdinal)},
		{"jan feb mar apr jun jul aug sep sept oct nov dec approx ca no vs etc mr dr st inc corp ltd fig " +
			"janv févr fevr avr juil déc okt dez nr bzw ggf", lxSet(lxAbbrev)},
		{"local locale locales ortszeit", lxSet(lxLocal)},
		{"uhr", lxSet(lxUhr | lxGlue)},
		{"h heures heure horas hs", lxSet(lxHourWord)},
		{"nuit nacht noche notte", lxSet(lxNight)},
		{"time times heure heures zeit zeiten hora horas ora orari timezone", lxSet(lxTimeWord)},
		{"all toutes tous alle todas todos tutti", lxSet(lxAll)},
		{"second seconds sec secs seconde secondes sekunde sekunden segundo segundos secondo secondi", unit(1)},
		{"minute minutes min mins minuten minuto minutos minuti", unit(60)},
		{"hour hours hr hrs heure heures stunde stunden hora horas ora ore", unit(3600)},
		{"day days jour jours tag tage tagen día días giorno giorni", unit(86400)},
		{"week weeks semaine semaines woche wochen semana semanas settimana settimane", unit(7 * 86400)},
		{"one an a un une ein eine einer einem uno una", numw(1)},
		{"two deux zwei dos due", numw(2)},
		{"three trois drei tres tre", numw(3)},
		{"four quatre vier cuatro quattro", numw(4)},
		{"five cinq fünf cinco cinque", numw(5)},
		{"six sechs seis sei", numw(6)},
		{"seven sept sieben siete sette", numw(7)},
		{"eight huit acht ocho otto", numw(8)},
		{"nine neuf neun nueve nove", numw(9)},
		{"ten dix zehn diez dieci", numw(10)},
		{"eleven onze elf once undici", numw(11)},
		{"twelve douze zwölf doce dodici", numw(12)},
		{"fifteen quinze fünfzehn quince quindici", numw(15)},
		{"twenty vingt zwanzig veinte venti", numw(20)},
		{"thirty trente dreißig treinta trenta", numw(30)},
		{"half demi demie halb media mezza", numw(-1)},
		{"am 오전 새벽 아침", mer(merAM)},
		{"pm 오후", mer(merPM)},
		{"저녁 evening soir soirée abend tarde sera", mer(merEvening)},
		{"밤 night", mer(merNight)},
		{"today tonight aujourd heute hoy oggi 오늘", rel(relToday)},
		{"yesterday hier gestern ayer ieri 어제", rel(relYesterday)},
		{"tomorrow demain domani 내일", rel(relTomorrow)},
	}
}
