package i18n

import (
	"strconv"
	"strings"
	"time"
)

// The stamps printed on PDFs: the footer of a released letter, the watermark and band of a
// coordination (draft) copy, and those of a preview. They are printed in the office's stamp
// languages (StampLanguages), whatever the language of the reader's interface.
var _ = table(func() Translations {
	return Translations{
		"Official letter, released %s": {"Lettre officielle, émise le %s", "رسالة رسمية، صدرت بتاريخ %s"},
		"Verify at %s":                 {"Vérifier sur %s", "للتحقق: %s"},
		"Scan the code or open the address to check this letter against the office's public log.": {
			"Scannez le code ou ouvrez l'adresse pour vérifier cette lettre dans le journal public du service.",
			"امسح الرمز أو افتح العنوان للتحقق من هذه الرسالة في السجل العلني للجهة.",
		},
		"Scan the code or open the address above to check this letter against the office's public log.": {
			"Scannez le code ou ouvrez l'adresse ci-dessus pour vérifier cette lettre dans le journal public du service.",
			"امسح الرمز أو افتح العنوان أعلاه للتحقق من هذه الرسالة في السجل العلني للجهة.",
		},
		"DRAFT — NOT AN OFFICIAL DOCUMENT": {"PROJET — DOCUMENT NON OFFICIEL", "مسودة — ليست وثيقة رسمية"},
		"Coordination copy for %s · %s v%s · exported %s by %s": {
			"Copie de coordination pour %s · %s v%s · exportée le %s par %s",
			"نسخة تنسيق إلى %s · %s النسخة %s · صُدّرت في %s بواسطة %s",
		},
		"DRAFT PREVIEW — NOT AN OFFICIAL DOCUMENT": {"APERÇU DE PROJET — DOCUMENT NON OFFICIEL", "معاينة مسودة — ليست وثيقة رسمية"},
		"Preview of %s v%s for %s · %s · registered as a draft copy": {
			"Aperçu de %s v%s pour %s · %s · enregistré comme copie de projet",
			"معاينة %s النسخة %s لـ %s · %s · مسجّلة كنسخة مسودة",
		},
	}
})

// StampLanguages parses an office's stamp languages, a comma-separated list of codes such as
// "en,ar", into their codes in order ("en", "fr", "ar"). Each must be a shipped language, none
// may repeat, so there are at most as many as the shipped languages: the footer has a column
// for each below its text. An empty list is English alone.
func StampLanguages(list string) ([]string, bool) {
	var out []string
	for _, code := range strings.Split(list, ",") {
		if strings.TrimSpace(code) == "" {
			continue
		}
		p, ok := Parse(code)
		if !ok {
			return nil, false
		}
		for _, l := range out {
			if l == p.Lang() {
				return nil, false
			}
		}
		out = append(out, p.Lang())
	}
	if len(out) == 0 {
		out = []string{"en"}
	}
	return out, len(out) <= len(Languages)
}

// Day writes t's date in t's location as stamps print it: "2 January 2006", "2 janvier
// 2006", or the same order with the Arabic month name. Callers choose the location: the
// office's time zone for a release's footer, UTC for the lines of copies.
func (p *Printer) Day(t time.Time) string {
	names, ok := months(p.Lang())
	if !ok {
		return t.Format("2 January 2006")
	}
	return strconv.Itoa(t.Day()) + " " + names[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// DayTime writes t in UTC as the lines of draft copies and previews print it:
// "2 January 2006 15:04 UTC".
func (p *Printer) DayTime(t time.Time) string {
	t = t.UTC()
	return p.Day(t) + " " + t.Format("15:04") + " UTC"
}
