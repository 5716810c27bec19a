package extract

import (
	"sort"
	"strings"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// WindowHints carries the context that resolves ambiguous text: the
// publication time supplies missing dates and years, the vendor resolves
// ambiguous zone abbreviations, the language picks numeric date order and
// the zone of local-language news, and Timezone overrides the zone of
// zone-less times.
type WindowHints struct {
	// Published is the publication time (UTC); zero if unknown.
	Published time.Time
	// Vendor is the notice's vendor, e.g. "AWS", "Microsoft", "Google
	// Cloud". It resolves "CST" (China for Azure China and Chinese clouds,
	// US Central otherwise) and "IST" (India unless the vendor names
	// Ireland), and gives a default zone (US/Pacific for AWS and Google).
	Vendor string
	// Language is "en", "fr", "de", "es", "it", "ja", "zh", "ko" or "".
	Language string
	// Timezone is the IANA zone of times that state none; "" infers it
	// from the vendor, then the language, then UTC.
	Timezone string
}

// ExtractWindows returns every window of impact stated in text, in UTC,
// deduplicated, in order of appearance. A window with a nil End is one the
// text says is still ongoing (or whose end it does not state). Dates that
// are not impact windows — publication and update stamps, "next update
// at" promises, planned fixes — are left out.
func ExtractWindows(text string, h WindowHints) []notice.Window {
	x := newExtractor(text, h)
	x.run()
	return x.windows()
}

// maxPoints caps the date-time expressions read from one text. Several
// rules compare points pairwise; a real notice has a few dozen, so the cap
// only bounds the work on pathological input.
const maxPoints = 1000

// extractor holds the state of one extraction; it is not shared, so the
// package has no mutable state.
type extractor struct {
	text  string
	h     WindowHints
	toks  []token
	sent  []int32 // sentence index of every token
	pts   []point
	info  []pinfo
	durs  []duration
	decls []decl
	zc    zoneCtx
	def   zoneRef
	ref   time.Time // latest explicit date of the text, for year inference
	out   []cand
}

// pinfo is what the rules learned about one point.
type pinfo struct {
	role    uint16
	t       time.Time // resolved instant (UTC)
	prec    notice.Precision
	ok      bool // t is known
	inRange bool
	used    bool
	dur     int // index+1 of an adjacent duration ("15:42 UTC (lasting 1 hour)")
}

// zoneRef is a zone id or a fixed offset.
type zoneRef struct {
	id     int
	off    int32
	hasOff bool
	local  bool
}

func (z zoneRef) known() bool { return z.id != 0 || z.hasOff }

// decl is a zone declared for the text ("all times are US/Pacific").
type decl struct {
	tok  int
	zone zoneRef
}

// cand is a window candidate before deduplication.
type cand struct {
	w        notice.Window
	pos      int  // byte offset of its evidence
	explicit bool // stated as a range or a start/end pair
}

func newExtractor(text string, h WindowHints) *extractor {
	x := &extractor{text: text, h: h}
	var tz tokenizer
	x.toks = tz.tokenize(text, make([]token, 0, len(text)/4))
	x.zc = zoneCtx{vendor: strings.ToLower(h.Vendor), lang: h.Language, cjk: hasCJK(text)}
	x.def = x.defaultZone()
	return x
}

// hasCJK reports Chinese or Japanese script, which makes "CST" China time.
func hasCJK(s string) bool {
	for _, r := range s {
		if isHanKana(r) {
			return true
		}
	}
	return false
}

func (x *extractor) run() {
	x.sent = sentenceIndex(x.toks, x.sent)
	ps := dtParser{text: x.text, toks: x.toks, dayFirst: x.h.Language != "" && x.h.Language != "en"}
	all := ps.points(nil)
	if len(all) > maxPoints {
		all = all[:maxPoints]
	}
	x.splitDecls(all)
	x.info = make([]pinfo, len(x.pts))
	x.markAliases()
	x.attachFollowingDates()
	x.attachPrecedingDates()
	x.durs = x.findDurations()
	x.assignRoles()
	ranges := x.findRanges()
	x.resolveAll()
	x.emitRanges(ranges)
	x.emitPairs()
	x.emitCueWindows()
	if len(x.out) == 0 {
		x.emitFallback()
	}
}

// sentenceIndex numbers sentences so rules can keep to one.
func sentenceIndex(toks []token, dst []int32) []int32 {
	dst = dst[:0]
	n := int32(-1)
	for i := range toks {
		if toks[i].is(fSent) {
			n++
		}
		dst = append(dst, n)
	}
	return dst
}

// splitDecls keeps real points and turns standalone zones preceded by a
// word such as "times" into zone declarations.
func (x *extractor) splitDecls(all []point) {
	x.pts = all[:0:0]
	for _, p := range all {
		if p.valid() || p.yearHint {
			x.pts = append(x.pts, p)
			continue
		}
		if !p.hasZone() {
			continue
		}
		for k := p.ts - 1; k >= 0 && k >= p.ts-5; k-- {
			if x.toks[k].kind == tokWord && lexAt(x.toks[k].lex).flags&lxTimeWord != 0 {
				x.decls = append(x.decls, decl{tok: p.ts, zone: zoneRef{id: p.zone, off: p.off, hasOff: p.hasOff}})
				break
			}
		}
	}
}

// markAliases flags a point written in parentheses right after another
// point, such as "10:51 PDT (1:51 PM EDT)": it restates the same instant.
func (x *extractor) markAliases() {
	for i := 1; i < len(x.pts); i++ {
		p, prev := &x.pts[i], &x.pts[i-1]
		if prev.yearHint || p.yearHint {
			continue
		}
		open := -1
		for k := prev.te; k < p.ts && k <= prev.te+4; k++ {
			if x.toks[k].kind == tokPunct && x.toks[k].r == '(' {
				open = k
				break
			}
		}
		if open < 0 || p.ts-open > 4 || x.sent[p.ts] != x.sent[prev.ts] {
			continue
		}
		for k := p.te; k < len(x.toks) && k <= p.te+2; k++ {
			if x.toks[k].kind == tokPunct && x.toks[k].r == ')' {
				p.alias = true
				break
			}
		}
	}
}

// attachFollowingDates gives a time without a date the date written just
// after it in the same clause ("à 0h40 dans la nuit du 9 au 10 mars").
func (x *extractor) attachFollowingDates() {
	for i := 0; i+1 < len(x.pts); i++ {
		p := &x.pts[i]
		if !p.hasTime() || p.hasDate() || p.day > 0 || p.rel != relNone || p.alias {
			continue
		}
		gap, j := p.te, i+1
		for j < len(x.pts) && x.pts[j].alias {
			gap, j = x.pts[j].te, j+1
		}
		if j >= len(x.pts) {
			break
		}
		q := &x.pts[j]
		if q.hasTime() || !q.hasDate() || q.ts-gap > 3 || x.sent[q.ts] != x.sent[p.ts] {
			continue
		}
		clean := true
		for k := gap; k < q.ts; k++ {
			t := &x.toks[k]
			if f := x.cueFlags(k); f&(lxOpen|lxTo|lxAnd|lxStart|lxEnd|lxNeg) != 0 || t.kind == tokPunct && t.r != ',' && t.r != ')' {
				clean = false
			}
		}
		if clean {
			p.year, p.month, p.day, p.night, p.weekday, p.ownDate = q.year, q.month, q.day, q.night, q.weekday, true
			p.te = q.te
			q.yearHint, q.day, q.month = true, 0, 0 // consumed: keep only as context
		}
	}
}

// attachPrecedingDates gives a time without a date the date written just
// before it ("Nacht zum Dienstag (29.09.) gegen 2 Uhr", "Monday, 10 June
// 2024, 16:46").
func (x *extractor) attachPrecedingDates() {
	for i := 0; i+1 < len(x.pts); i++ {
		p, q := &x.pts[i], &x.pts[i+1]
		if p.hasTime() || !p.hasDate() || p.alias || p.yearHint || !q.hasTime() || q.ownDate || q.alias {
			continue
		}
		if q.ts-p.te > 3 || x.sent[q.ts] != x.sent[p.ts] {
			continue
		}
		clean := true
		for k := p.te; k < q.ts; k++ {
			t := &x.toks[k]
			if t.kind == tokPunct && t.r != ',' && t.r != '(' && t.r != ')' || t.kind != tokPunct && x.cueFlags(k)&(lxGlue|lxApprox) == 0 {
				clean = false
			}
		}
		if clean {
			q.year, q.month, q.day, q.weekday, q.ownDate = p.year, p.month, p.day, p.weekday, true
			q.ts = p.ts
			p.yearHint, p.day, p.month = true, 0, 0
		}
	}
}

// windows deduplicates the candidates and returns them in order of
// appearance.
func (x *extractor) windows() []notice.Window {
	sort.SliceStable(x.out, func(i, j int) bool { return x.out[i].pos < x.out[j].pos })
	kept := make([]cand, 0, len(x.out))
	for _, c := range x.out {
		kept = mergeCand(kept, c)
	}
	if len(kept) == 0 {
		return nil
	}
	ws := make([]notice.Window, len(kept))
	for i, c := range kept {
		ws[i] = c.w
	}
	return ws
}

// evidence returns the text of tokens [a, b).
func (x *extractor) evidence(a, b int) string {
	if a < 0 || b > len(x.toks) || a >= b {
		return ""
	}
	return x.text[x.toks[a].pos:x.toks[b-1].end]
}
