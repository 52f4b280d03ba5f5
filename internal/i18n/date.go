package i18n

import (
	"strconv"
	"time"
)

// The month names of the languages that do not write dates as Go's time package does. They
// are arrays, which the linker lays out as data, rather than a map, which the package's
// initialisation would build in every run of the command line.
var (
	frMonths = [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	arMonths = [12]string{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"}
)

// months returns the month names of a language code, and false for English.
func months(lang string) (*[12]string, bool) {
	switch lang {
	case "fr":
		return &frMonths, true
	case "ar":
		return &arMonths, true
	}
	return nil, false
}

// Date writes t in UTC as the interface shows dates: "2 January 2006, 15:04 UTC" in English,
// "2 janvier 2006, 15:04 UTC" in French, and the same order with Arabic month names and the
// Arabic comma in Arabic (digits stay Western, as in the letters' own references and footers).
func (p *Printer) Date(t time.Time) string {
	t = t.UTC()
	names, ok := months(p.Lang())
	if !ok {
		return t.Format("2 January 2006, 15:04 UTC")
	}
	comma := ", "
	if p.Lang() == "ar" {
		comma = "، "
	}
	return strconv.Itoa(t.Day()) + " " + names[t.Month()-1] + " " + strconv.Itoa(t.Year()) + comma + t.Format("15:04") + " UTC"
}

// Text translates a whole, already formatted text when it is a registered message, and
// returns it unchanged otherwise. It never formats, so a text that contains a per cent sign
// from a letter's content is safe.
func (p *Printer) Text(s string) string {
	tr, ok := messages()[s]
	if !ok {
		return s
	}
	switch p.Lang() {
	case "fr":
		return tr[0]
	case "ar":
		return tr[1]
	}
	return s
}
