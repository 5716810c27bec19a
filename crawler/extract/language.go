package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopwordIndex maps each stopword to the languages using it. It is built
// once from stopwords and never changed.
var stopwordIndex = func() map[string][]string {
	index := map[string][]string{}
	for lang, words := range stopwords {
		for _, w := range words {
			index[w] = append(index[w], lang)
		}
	}
	return index
}()

// stopwords are frequent function words of each Latin-script language
// gapwatch reads, folded like the text. Words shared by several languages
// ("la", "de") count for each; the distinctive ones decide.
var stopwords = map[string][]string{
	"en": strings.Fields("the and of to in is was were for on with that this are be by at from have has been we our it not or as an which will"),
	"fr": strings.Fields("le la les des du de et est une un dans pour sur par pas que qui au aux avec ce cette sont ete il ne plus nous depuis"),
	"de": strings.Fields("der die das und ist nicht mit den dem von zu ein eine auf fur im auch sich wurde werden es bei oder aus nach wir sind war"),
	"es": strings.Fields("el la los las de y que en un una por para con no es se del al lo como mas su sus fue han ha este esta"),
	"it": strings.Fields("il lo la gli le di e che per non un una con del della dei delle sono nel nella al alla anche come piu stato ha hanno questo"),
}

// DetectLanguage guesses the language of a text ("en", "fr", "de", "es",
// "it", "ja", "zh", "ko") for sources that do not declare one: Hangul means
// Korean, kana Japanese, Han characters alone Chinese, when they outweigh
// the Latin words; otherwise the language whose function words are most
// frequent wins. It returns "" for a text with no letters.
func DetectLanguage(text string) string {
	var hangul, kana, han, latinWords int
	inWord := false
	for _, r := range text {
		if r < 0x1100 {
			isLatin := r < utf8.RuneSelf && (r|0x20 >= 'a' && r|0x20 <= 'z') || r >= utf8.RuneSelf && unicode.IsLetter(r)
			if isLatin && !inWord {
				latinWords++
			}
			inWord = isLatin
			continue
		}
		inWord = false
		switch {
		case r >= 0xAC00 && r <= 0xD7A3, r <= 0x11FF, r >= 0x3130 && r <= 0x318F:
			hangul++
		case r >= 0x3040 && r <= 0x30FF:
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		}
	}
	cjk := hangul + kana + han
	if cjk > 0 && cjk >= latinWords {
		switch {
		case hangul >= kana+han:
			return "ko"
		case kana > 0 && kana*10 >= han:
			return "ja"
		default:
			return "zh"
		}
	}
	if latinWords == 0 {
		return ""
	}
	return latinLanguage(text)
}

// latinLanguage picks the Latin-script language with the most stopwords,
// English on a tie or when none is found.
func latinLanguage(text string) string {
	counts := map[string]int{}
	b := fold(text).s
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && b[j] != ' ' {
			j++
		}
		for _, lang := range stopwordIndex[string(b[i:j])] {
			counts[lang]++
		}
		i = j + 1
	}
	best := "en"
	for _, lang := range []string{"fr", "de", "es", "it"} {
		if counts[lang] > counts[best] {
			best = lang
		}
	}
	return best
}
