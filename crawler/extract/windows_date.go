package extract

// dateAt parses a date that starts with a number at token j: ISO
// "2024-03-14", "2016/4/16", numeric "4/18/22" or "29.09.", "14 March
// 2024", "18. April 2022", "17 de noviembre de 2025", CJK "2025年10月19日"
// and Korean "25년 12월 5일" parts. It returns j when none fits.
func (ps *dtParser) dateAt(j int, p *point) int {
	t := ps.tok(j)
	if k := ps.cjkDatePart(j, p); k > j {
		return k
	}
	if year4(t) {
		return ps.yearFirst(j, p)
	}
	if t.digits > 2 || t.num < 1 || t.num > 31 {
		return j
	}
	if k := ps.numericDate(j, p); k > j {
		return k
	}
	return ps.dayMonth(j, p)
}

// cjkDatePart reads one "2025年", "10月", "19日", "25년", "12월", "5일".
func (ps *dtParser) cjkDatePart(j int, p *point) int {
	t := ps.tok(j)
	n := int(t.num)
	switch {
	case ps.han(j+1, '年') || ps.hangulPrefix(j+1, "년") && ps.glued(j+1):
		if p.year != 0 {
			return j
		}
		if t.digits == 2 {
			n += 2000
		} else if !year4(t) {
			return j
		}
		p.year = n
		return j + 2
	case ps.han(j+1, '月') || ps.hangulPrefix(j+1, "월") && ps.glued(j+1):
		if p.month != 0 || n < 1 || n > 12 {
			return j
		}
		p.month = n
		return j + 2
	case ps.han(j+1, '日') || ps.han(j+1, '号') || ps.hangulPrefix(j+1, "일") && ps.glued(j+1):
		if p.day != 0 || n < 1 || n > 31 || ps.han(j+2, '間') {
			return j
		}
		p.day = n
		return j + 2
	}
	return j
}

// yearFirst parses "2024-03-14", "2016/4/16", "2024.03.14" and the
// year-month "2024-01", or a bare year that completes a date.
func (ps *dtParser) yearFirst(j int, p *point) int {
	y := int(ps.tok(j).num)
	sep := ps.tok(j + 1)
	m := ps.tok(j + 2)
	if sep.kind == tokPunct && (sep.r == '-' || sep.r == '/' || sep.r == '.') && ps.glued(j+1) && ps.glued(j+2) &&
		m.kind == tokNum && m.digits <= 2 && m.num >= 1 && m.num <= 12 {
		d := ps.tok(j + 4)
		if ps.isPunct(j+3, sep.r) && ps.glued(j+3) && ps.glued(j+4) && d.kind == tokNum && d.digits <= 2 && d.num >= 1 && d.num <= 31 {
			if setDate(p, y, int(m.num), int(d.num)) {
				return j + 5
			}
			return j
		}
		if sep.r == '-' && p.year == 0 && p.month == 0 && !p.hasTime() && ps.tok(j+3).kind != tokNum {
			p.year, p.month, p.yearHint = y, int(m.num), true
			return j + 3
		}
		return j
	}
	if p.hasDate() && p.year == 0 && !ps.clockAfter(j) {
		p.year = y
		return j + 1
	}
	return j
}

// numericDate parses "4/18/22", "20/08/2020" and "29.09.2020" or "29.09.".
// Slash dates are month-first in English unless the first number cannot
// be a month, day-first in other languages; dotted dates are day-first.
func (ps *dtParser) numericDate(j int, p *point) int {
	s1, b := ps.tok(j+1), ps.tok(j+2)
	if s1.kind != tokPunct || (s1.r != '/' && s1.r != '.') || !ps.glued(j+1) || !ps.glued(j+2) || b.kind != tokNum || b.digits > 2 {
		return j
	}
	if prev := ps.tok(j - 1); j > 0 && prev.kind == tokPunct && (prev.r == '/' || prev.r == '.') && ps.glued(j) {
		return j
	}
	a, bn := int(ps.tok(j).num), int(b.num)
	y, k := 0, j+3
	if ps.isPunct(j+3, s1.r) && ps.glued(j+3) {
		yt := ps.tok(j + 4)
		switch {
		case ps.glued(j+4) && yt.kind == tokNum && (year4(yt) || yt.digits == 2):
			if ps.isPunct(j+5, s1.r) && ps.glued(j+5) && ps.tok(j+6).kind == tokNum {
				return j // "1.1.1.1", version numbers
			}
			y, k = int(yt.num), j+5
			if yt.digits == 2 {
				y += 2000
			}
		case s1.r == '.' && !(yt.kind == tokNum && ps.glued(j+4)):
			k = j + 4 // German "29.09."
		default:
			return j
		}
	} else if s1.r == '.' || ps.tok(j+3).kind == tokNum {
		return j // "7.11", "2/3 4"
	} else if s1.r == '/' && !(ps.tok(j+3).kind == tokPunct && ps.tok(j+3).r == ',') {
		return j
	}
	m, d := a, bn
	if s1.r == '.' || ps.dayFirst && bn <= 12 || a > 12 {
		m, d = bn, a
	}
	if !setDate(p, y, m, d) {
		return j
	}
	return k
}

// dayMonth parses "14 March 2024", "4th of April", "18. April 2022",
// "1er mars", "17 de noviembre de 2025".
func (ps *dtParser) dayMonth(j int, p *point) int {
	d := int(ps.tok(j).num)
	k := j + 1
	if ps.glued(k) && lexAt(ps.tok(k).lex).flags&lxOrdinal != 0 && ps.tok(k).kind == tokWord {
		k++
	}
	if ps.isPunct(k, '.') && ps.glued(k) {
		k++
	}
	if ps.wordIs(k, "of", "de", "del", "di") {
		k++
	}
	m := ps.lex(k).month
	if m == 0 {
		return j
	}
	k++
	y, k := ps.trailingYear(k)
	if !setDate(p, y, int(m), d) {
		return j
	}
	return k
}

// trailingYear reads an optional ", 2024", " de 2025" or ". 2024" after a
// day and month and returns the year (0 if none) and the index after it.
func (ps *dtParser) trailingYear(k int) (int, int) {
	kk := k
	if ps.isPunct(kk, '.') && !ps.tok(kk+1).is(fSent) {
		kk++
	}
	if ps.isPunct(kk, ',') {
		kk++
	}
	if ps.wordIs(kk, "de", "del", "di") {
		kk++
	}
	if year4(ps.tok(kk)) && !ps.clockAfter(kk) && !ps.han(kk+1, '年') {
		return int(ps.tok(kk).num), kk + 1
	}
	if ps.isPunct(k, '.') && ps.glued(k) && !ps.tok(k+1).is(fSent) {
		return 0, k + 1 // "Dec." abbreviation dot
	}
	return 0, k
}

// monthFirst parses "March 14, 2024", "Dec.7", "Jan. 7th", and the
// year-month hints "October 2025", "noviembre de 2025".
func (ps *dtParser) monthFirst(j int, p *point) int {
	m := int(ps.lex(j).month)
	k := j + 1
	if ps.isPunct(k, '.') {
		k++
	}
	d := ps.tok(k)
	if d.kind == tokNum && d.digits <= 2 && d.num >= 1 && d.num <= 31 && !ps.isPunct(k+1, ':') &&
		!(ps.isPunct(k+1, '.') && ps.glued(k+1) && ps.tok(k+2).kind == tokNum) &&
		!(ps.wordIs(k+1, "h") && ps.glued(k+1)) && ps.lex(k+1).unit == 0 {
		k++
		if ps.glued(k) && ps.tok(k).kind == tokWord && ps.lex(k).flags&lxOrdinal != 0 {
			k++
		}
		y, kk := ps.trailingYear(k)
		if !setDate(p, y, m, int(d.num)) {
			return j
		}
		return kk
	}
	if ps.wordIs(j, "may", "mar", "sept") && !ps.toks[j].is(fUpper) {
		return j
	}
	kk := j + 1
	if ps.wordIs(kk, "de", "del", "di") || ps.isPunct(kk, ',') {
		kk++
	}
	if year4(ps.tok(kk)) && !ps.clockAfter(kk) && p.year == 0 && p.month == 0 && !p.hasTime() {
		p.month, p.year, p.yearHint = m, int(ps.tok(kk).num), true
		return kk + 1
	}
	return j
}

// nightAt parses "nuit du 9 au 10 mars", "night of 9 to 10 March",
// "noche del 9 al 10 de marzo": the date is the second day, or the first
// for evening hours.
func (ps *dtParser) nightAt(j int, p *point) int {
	k := j + 1
	for ps.wordIs(k, "du", "del", "de", "of", "from", "vom", "dal", "della", "la") {
		k++
	}
	a := ps.tok(k)
	if a.kind != tokNum || a.digits > 2 || a.num < 1 || a.num > 31 {
		return j
	}
	k++
	if ps.isPunct(k, '.') {
		k++
	}
	if ps.lex(k).flags&(lxTo|lxToWeak|lxAnd) == 0 && !ps.wordIs(k, "auf", "zum") {
		return j
	}
	k++
	if ps.wordIs(k, "den", "le") {
		k++
	}
	q := point{hour: -1}
	kk := ps.dateAt(k, &q)
	if kk == k || !q.hasDate() || !setDate(p, q.year, q.month, q.day) {
		return j
	}
	p.night = int(a.num)
	return kk
}

// clockAfter reports a number glued to ":" and more digits, the shape of
// a clock time rather than a year.
func (ps *dtParser) clockAfter(j int) bool {
	return ps.isPunct(j+1, ':') && ps.glued(j+1) && ps.glued(j+2) && ps.tok(j+2).kind == tokNum
}
