package extract

import (
	"unicode/utf8"
)

// Point roles, learned from the words around a point.
const (
	roleNeg        uint16 = 1 << iota // publication or update stamp, "next update at"
	roleFuture                        // "will be deployed at"
	roleStart                         // "began at", "since", "depuis"
	roleSince                         // start of something still ongoing
	roleEnd                           // "resolved at", "until", "rétabli"
	roleStampStart                    // line-initial stamp of an "investigating" update
	roleStampEnd                      // line-initial stamp of a "resolved" update
	roleLabelEnd                      // end cue is a line's leading label ("- resolved Sep 23")
)

// hangulCues gives cue flags to Korean words by their first two
// syllables (particles are attached: "발생하게", "복구되었습니다").
var hangulCues = map[string]uint64{
	"발생": lxStart, "시작": lxStart, "복구": lxEnd, "해결": lxEnd, "종료": lxEnd, "정상": lxEnd,
	"장애": lxImpact, "오류": lxImpact, "에러": lxImpact, "문제": lxImpact, "현재": lxOngoing,
}

// hanCues gives cue flags to two-character Chinese and Japanese words.
var hanCues = map[[2]rune]uint64{
	{'開', '始'}: lxStart, {'开', '始'}: lxStart, {'発', '生'}: lxStart, {'发', '生'}: lxStart,
	{'終', '了'}: lxEnd, {'结', '束'}: lxEnd, {'復', '旧'}: lxEnd, {'回', '復'}: lxEnd, {'恢', '复'}: lxEnd,
	{'解', '消'}: lxEnd, {'解', '决'}: lxEnd, {'障', '害'}: lxImpact, {'故', '障'}: lxImpact,
	{'中', '断'}: lxImpact, {'停', '止'}: lxImpact, {'異', '常'}: lxImpact, {'异', '常'}: lxImpact,
	{'問', '題'}: lxImpact, {'问', '题'}: lxImpact, {'現', '在'}: lxOngoing, {'目', '前'}: lxOngoing,
	{'今', 'も'}: lxOngoing, {'仍', '然'}: lxOngoing,
	{'予', '定'}: lxFuture, {'更', '新'}: lxNeg, {'公', '開'}: lxNeg, {'发', '布'}: lxNeg,
}

// cueFlags returns the lexicon flags of token k, including Korean and
// CJK words that the lexicon cannot hold.
func (x *extractor) cueFlags(k int) uint64 {
	t := &x.toks[k]
	switch t.kind {
	case tokWord:
		if t.lex != 0 {
			return lexAt(t.lex).flags
		}
		w := x.text[t.pos:t.end]
		if w[0] >= utf8.RuneSelf {
			_, s1 := utf8.DecodeRuneInString(w)
			if s1 < len(w) {
				_, s2 := utf8.DecodeRuneInString(w[s1:])
				return hangulCues[w[:s1+s2]]
			}
		}
	case tokHan:
		if k+1 < len(x.toks) && x.toks[k+1].kind == tokHan {
			return hanCues[[2]rune{t.r, x.toks[k+1].r}]
		}
	}
	return 0
}

// sentenceFlags ORs the cue flags of every sentence.
func (x *extractor) sentenceFlags() []uint64 {
	n := 0
	if len(x.sent) > 0 {
		n = int(x.sent[len(x.sent)-1]) + 1
	}
	out := make([]uint64, n)
	for k := range x.toks {
		out[x.sent[k]] |= x.cueFlags(k)
	}
	return out
}

// assignRoles reads the words next to every point: the nearest cue word
// within six tokens before it (back to the previous point or the start of
// the sentence), else one within a few tokens after it. A start cue needs
// an impact word in the sentence ("the outage began", not "the rollout
// began"); "since"/"depuis"/"seit" need none.
func (x *extractor) assignRoles() {
	sf := x.sentenceFlags()
	perSent := map[int32]int{}
	for i := range x.pts {
		if !x.pts[i].yearHint && !x.pts[i].alias {
			perSent[x.sent[x.pts[i].ts]]++
		}
	}
	labels := 0
	for i := range x.pts {
		p := &x.pts[i]
		if p.yearHint {
			continue
		}
		s := x.sent[p.ts]
		lo, hi := x.clause(i)
		role, labelTok, label := x.beforeRole(p, lo)
		if x.verbFinal(p) {
			// Korean, Japanese, Chinese: the verb follows the time.
			if r := x.afterRole(p, hi); r != 0 {
				role = role&^(roleStart|roleEnd|roleSince) | r
			}
		} else if role&(roleStart|roleEnd) == 0 {
			role |= x.afterRole(p, hi)
		}
		if role&roleStart != 0 && role&roleSince == 0 && !label && sf[s]&lxImpact == 0 {
			role &^= roleStart
		}
		if role&(roleStart|roleEnd) == 0 && sf[s]&lxEnd != 0 && sf[s]&lxOngoing == 0 && perSent[s] == 1 {
			role |= roleEnd
		}
		if d := x.adjacentDuration(p); d >= 0 && role&roleEnd == 0 {
			x.info[i].dur = d + 1
			role |= roleStart
		}
		if labelTok >= 0 && role&roleEnd != 0 && x.lineInitial(labelTok) {
			role |= roleLabelEnd
			labels++
		}
		if x.lineInitial(p.ts) {
			role |= x.stampRole(p)
		}
		x.info[i].role = role
	}
	if labels >= 2 {
		// "- resolved Sep 23, 10:32 PM" on every update: a status label,
		// not the time the issue was resolved.
		for i := range x.info {
			if x.info[i].role&roleLabelEnd != 0 {
				x.info[i].role &^= roleEnd | roleLabelEnd
			}
		}
	}
}

// clause returns the token bounds around point i: from the end of the
// previous point (or the sentence start) to the next point (or the
// sentence end).
func (x *extractor) clause(i int) (lo, hi int) {
	p := &x.pts[i]
	s := x.sent[p.ts]
	lo = p.ts
	for lo > 0 && x.sent[lo-1] == s {
		lo--
	}
	hi = p.te
	for hi < len(x.toks) && x.sent[hi] == s {
		hi++
	}
	for j := range x.pts {
		q := &x.pts[j]
		if j == i || q.yearHint {
			continue
		}
		if q.te <= p.ts && q.te > lo {
			lo = q.te
		}
		if q.ts >= p.te && q.ts < hi {
			hi = q.ts
		}
	}
	return lo, hi
}

// beforeRole reads the six tokens before p; it returns the role, the
// token of the start or end cue (-1 if none) and whether that cue is a
// label ("Start Time:", "End:").
func (x *extractor) beforeRole(p *point, lo int) (uint16, int, bool) {
	var role uint16
	cue, words := -1, 0
	for k := p.ts - 1; k >= lo && words < 6; k-- {
		if x.toks[k].kind != tokPunct {
			words++
		}
		f := x.cueFlags(k)
		if f&lxNeg != 0 && k >= p.ts-5 {
			role |= roleNeg
		}
		if f&lxFuture != 0 {
			role |= roleFuture
		}
		if cue >= 0 || x.wordAt(k+1, "to") {
			continue // "started to see", "starting to recover"
		}
		switch {
		case f&lxEnd != 0:
			role |= roleEnd
			cue = k
		case f&lxStart != 0:
			role |= roleStart
			if f&lxSince != 0 {
				role |= roleSince
			}
			cue = k
		}
	}
	label := cue >= 0 && (x.tokIsPunct(cue+1, ':') || cue+1 < len(x.toks) && x.cueFlags(cue+1)&lxTimeWord != 0)
	return role, cue, label
}

func (x *extractor) tokIsPunct(k int, r rune) bool {
	return k < len(x.toks) && x.toks[k].kind == tokPunct && x.toks[k].r == r
}

// leadsSentence reports a point that opens its sentence, possibly after
// "On" or "At": its subject and verb follow it.
func (x *extractor) leadsSentence(p *point) bool {
	for k := p.ts; k >= 0 && k >= p.ts-2; k-- {
		if x.toks[k].is(fSent) {
			return true
		}
		if k < p.ts && x.cueFlags(k)&lxGlue == 0 {
			return false
		}
	}
	return false
}

// verbFinal reports points followed by Han or Hangul text, whose cue verb
// comes after the time.
func (x *extractor) verbFinal(p *point) bool {
	if p.te >= len(x.toks) {
		return false
	}
	t := &x.toks[p.te]
	return t.kind == tokHan || t.kind == tokWord && x.text[t.pos] >= utf8.RuneSelf && !isASCIILetter(x.text[t.pos]) && x.cueFlags(p.te)&lxGlue == 0 ||
		x.toks[p.te-1].kind == tokHan || x.toks[p.te-1].kind == tokWord && x.text[x.toks[p.te-1].pos] >= 0xE0
}

// afterRole reads the few tokens after p ("| Outage begins", "に開始し",
// "장애가 또다시 발생").
func (x *extractor) afterRole(p *point, hi int) uint16 {
	limit := 4
	if x.verbFinal(p) || x.leadsSentence(p) {
		limit = 8 // "At 2:53pm PT, Okta's Engineering Team became aware"
	}
	for k := p.te; k < hi && k < p.te+limit; k++ {
		f := x.cueFlags(k)
		if x.wordAt(k+1, "to") || k+2 < len(x.toks) && (x.cueFlags(k+1)|x.cueFlags(k+2))&lxResponse != 0 {
			continue // "starting to see", "began an investigation"
		}
		switch {
		case f&lxNeg != 0:
			return 0
		case f&lxEnd != 0 && f&lxTo == 0:
			return roleEnd
		case f&lxStart != 0 && f&lxOpen == 0:
			if f&lxSince != 0 {
				return roleStart | roleSince
			}
			return roleStart
		}
	}
	return 0
}

// lineInitial reports whether token k begins its line, ignoring bullets,
// table bars and brackets.
func (x *extractor) lineInitial(k int) bool {
	for j := k; j >= 0; j-- {
		t := &x.toks[j]
		if j < k && t.kind != tokPunct {
			return false
		}
		if t.is(fLine) || j == 0 {
			return true
		}
	}
	return true
}

// stampRole classifies a line-initial update stamp by the status words of
// its line ("Investigating - ...", "Resolved - ...", "... has been
// resolved").
func (x *extractor) stampRole(p *point) uint16 {
	var role uint16
	words := 0
	for k := p.te; k < len(x.toks) && k < p.te+80; k++ {
		if k > p.te && x.toks[k].is(fLine) && words > 0 {
			break // the status may sit on the line after the stamp
		}
		if x.toks[k].kind == tokWord {
			words++
		}
		f := x.cueFlags(k)
		switch {
		case f&lxEnd != 0 && f&lxTo == 0:
			return roleStampEnd
		case f&(lxStart|lxOngoing) != 0 && role == 0:
			role = roleStampStart
		}
	}
	return role
}

// adjacentDuration returns the index of a duration stated right after p
// ("15:42 UTC (lasting 1 hour and 26 minutes)"), or -1.
func (x *extractor) adjacentDuration(p *point) int {
	for i := range x.durs {
		d := &x.durs[i]
		if d.cueTok >= p.te && d.cueTok <= p.te+2 && x.sent[d.cueTok] == x.sent[p.ts] && !d.after {
			return i
		}
	}
	return -1
}
