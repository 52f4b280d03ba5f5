// Package i18n is the message catalogue of Chancery's interfaces: the web pages, the stamps on
// released and draft PDFs, and the command line's verify output.
//
// A message is identified by its English text, as in gettext: templates and code say
// {{t "Verify a letter"}} or p.T("%d letters", n), so the English interface reads as it did and
// a missing translation falls back to English rather than to a key. Each area of the interface
// keeps its translations in its own file of this package (web_public.go, web_member.go,
// stamps.go, cli.go …) as a table from the English text to its French and Arabic texts; the
// tables are loaded into a golang.org/x/text/message catalogue, which formats the arguments.
//
// The catalogue test fails when a message used by a template or by code has no French or
// Arabic text, when a translation drops or adds a formatting verb, or when two tables disagree
// on one message.
package i18n

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Languages are the interface languages shipped complete, the default first.
var Languages = []language.Tag{language.English, language.French, language.Arabic}

// Translations maps a message's English text to its French and Arabic texts.
type Translations map[string][2]string

// Nothing here is built when the package is initialised: every run of the command line links
// this package, and most runs (`chancery verify` of a folder of letters in English, issue 19)
// never translate a message, so the tables, the catalogue, the printers and the language
// matcher are each made on first use.

// tables are the areas' tables, registered by this package's files; they are read into
// messages on first use.
var tables []func() Translations

// table registers an area's table, made when the messages are first needed.
func table(t func() Translations) bool {
	tables = append(tables, t)
	return true
}

// messages is every registered message, from the tables. A message given two different
// translations panics, so that the conflict is found by the first test that looks a message up.
var messages = sync.OnceValue(func() map[string][2]string {
	m := map[string][2]string{}
	for _, t := range tables {
		for en, tr := range t() {
			if old, ok := m[en]; ok && old != tr {
				panic(fmt.Sprintf("i18n: message %q translated twice, differently", en))
			}
			m[en] = tr
		}
	}
	return m
})

// catalogue is the catalogue of every message, which formats the arguments. It is filled on
// the first message formatted: it costs 10 to 25 ms, which every run of the command line would
// otherwise pay before doing anything.
var catalogue = sync.OnceValue(func() *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for en, tr := range messages() {
		must(b.SetString(language.English, en, en))
		must(b.SetString(language.French, en, tr[0]))
		must(b.SetString(language.Arabic, en, tr[1]))
	}
	return b
})

var matcher = sync.OnceValue(func() language.Matcher { return language.NewMatcher(Languages) })

// printers are the printers of Languages, one each, so that For returns the same printer for
// a language every time.
var printers = sync.OnceValue(func() map[language.Tag]*Printer {
	m := make(map[language.Tag]*Printer, len(Languages))
	for _, l := range Languages {
		m[l] = &Printer{tag: l, p: sync.OnceValue(func() *message.Printer {
			return message.NewPrinter(westernDigits(l), message.Catalog(catalogue()))
		})}
	}
	return m
})

// westernDigits is lang with the Latin numbering system (-u-nu-latn), so that the numbers a
// message formats are written 0 to 9 in every language, as dates, log indexes, references and
// check codes are, which the reader compares them with; Arabic's own digits (٠ to ٩) would
// otherwise be used. The language's decimal and group separators are kept.
func westernDigits(lang language.Tag) language.Tag {
	t, err := lang.SetTypeForKey("nu", "latn")
	if err != nil {
		return lang
	}
	return t
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// Printer formats messages in one language. It is safe for concurrent use.
type Printer struct {
	tag language.Tag
	p   func() *message.Printer
}

// For returns the printer of lang, one of Languages (anything else gets English).
func For(lang language.Tag) *Printer {
	base, _ := lang.Base()
	for _, l := range Languages {
		if b, _ := l.Base(); b == base {
			lang = l
			break
		}
	}
	if p, ok := printers()[lang]; ok {
		return p
	}
	return printers()[language.English]
}

// Parse returns the printer of a language code such as "fr" or "ar-EG", and false when the
// code names no language Chancery ships.
func Parse(code string) (*Printer, bool) {
	t, err := language.Parse(strings.TrimSpace(code))
	if err != nil {
		return For(language.English), false
	}
	base, _ := t.Base()
	for _, l := range Languages {
		if b, _ := l.Base(); b == base {
			return For(l), true
		}
	}
	return For(language.English), false
}

// Negotiate picks the language of a request: the explicit choice (a cookie or a query
// parameter set by the language switch) when it names a shipped language, otherwise the best
// match for the request's Accept-Language header (accept, empty when there is none),
// otherwise English. It takes the header's value rather than the request so that the package
// does not import net/http: the small verifier (cmd/chancery-verify) links this catalogue,
// and without net it is a static program that starts without the dynamic loader and the
// network packages' initialisers (issue 19 item 2).
func Negotiate(choice, accept string) *Printer {
	if choice != "" {
		if p, ok := Parse(choice); ok {
			return p
		}
	}
	if accept != "" {
		tags, _, err := language.ParseAcceptLanguage(accept)
		if err == nil && len(tags) > 0 {
			_, i, conf := matcher().Match(tags...)
			if conf != language.No {
				return For(Languages[i])
			}
		}
	}
	return For(language.English)
}

// T formats the message whose English text is key, with args, in the printer's language.
// Numbers are written in Western digits (0 to 9) in every language, with the language's
// decimal and group separators ("0,85" in French).
func (p *Printer) T(key string, args ...any) string {
	return p.p().Sprintf(key, args...)
}

// Lang is the printer's language code, for the lang attribute of a page ("en", "fr", "ar").
func (p *Printer) Lang() string {
	b, _ := p.tag.Base()
	return b.String()
}

// Dir is the writing direction of the printer's language, for the dir attribute of a page.
func (p *Printer) Dir() string {
	if p.Lang() == "ar" {
		return "rtl"
	}
	return "ltr"
}

// Messages returns the English texts of every registered message, sorted; for tests.
func Messages() []string {
	m := messages()
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Lookup returns the French and Arabic texts of a message, and whether it is registered.
func Lookup(en string) (fr, ar string, ok bool) {
	tr, ok := messages()[en]
	return tr[0], tr[1], ok
}
