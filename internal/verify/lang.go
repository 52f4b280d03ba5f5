package verify

import (
	"fmt"
	"strings"

	"github.com/chancery/chancery/internal/i18n"
	"golang.org/x/text/language"
)

// The language of verify's human output: --lang, else CHANCERY_LANG, else the POSIX locale
// (LC_ALL, then LC_MESSAGES, then LANG, as gettext reads them), else English. --json keeps
// its English messages: programs read it, and its fields are the contract.

// langEnv are the environment variables that name the reader's language, first match wins.
var langEnv = []string{"CHANCERY_LANG", "LC_ALL", "LC_MESSAGES", "LANG"}

// outputLanguage returns the printer for the --lang flag's value, or for the environment
// when the flag is empty. An explicit code Chancery does not ship is an error; a locale
// from the environment that names another language (de_DE.UTF-8) or none (C, POSIX) is
// English.
func outputLanguage(flag string, getenv func(string) string) (*i18n.Printer, error) {
	if flag != "" {
		p, ok := i18n.Parse(flag)
		if !ok {
			return nil, withHint(fmt.Errorf("unknown language %q", flag), "--lang takes en, fr or ar")
		}
		return p, nil
	}
	for _, name := range langEnv {
		v := getenv(name)
		if v == "" {
			continue
		}
		p, _ := i18n.Parse(posixLocale(v))
		return p, nil
	}
	return i18n.For(language.English), nil
}

// posixLocale turns a POSIX locale such as "fr_FR.UTF-8" or "ar_EG@latin" into a language
// tag ("fr-FR"); "C" and "POSIX" name no language.
func posixLocale(v string) string {
	if i := strings.IndexAny(v, ".@"); i >= 0 {
		v = v[:i]
	}
	if v == "C" || v == "POSIX" {
		return ""
	}
	return strings.ReplaceAll(v, "_", "-")
}

// Text is one of verify's messages twice: in English, for --json, and in the reader's
// language, for the lines verify prints.
type Text struct{ En, Local string }

// T formats the message whose English text is key in English and in the reader's language.
// Log indexes, years and other identifiers are passed as strings (%s), so that no language
// groups their digits.
func (vf *Verifier) T(key string, args ...any) Text {
	en := fmt.Sprintf(key, args...)
	if vf.P == nil || vf.P.Lang() == "en" {
		return Text{en, en}
	}
	return Text{en, vf.P.T(key, args...)}
}

// RegistryText is a message the registry wrote, in English, with its translation when the
// catalogue has it (the registry's fixed sentences, such as its "unknown" answer).
func (vf *Verifier) RegistryText(msg string) Text {
	if vf.P == nil {
		return Text{msg, msg}
	}
	return Text{msg, vf.P.Text(msg)}
}

// Plus is t followed by u. In English both texts are the same string, joined once.
func (t Text) Plus(u Text) Text {
	if t.En == t.Local && u.En == u.Local {
		s := t.En + u.En
		return Text{s, s}
	}
	return Text{t.En + u.En, t.Local + u.Local}
}

// Say sets the result's outcome and message.
func (r *Result) Say(outcome string, t Text) {
	r.Outcome, r.Message, r.local = outcome, t.En, t
}

// Add appends t to the result's message, keeping its outcome.
func (r *Result) Add(t Text) {
	cur := r.local
	if cur.En != r.Message {
		cur = Plain(r.Message)
	}
	r.Say(r.Outcome, cur.Plus(t))
}

// line is the message verify prints for r: in the reader's language when it was set so
// (code that sets Message directly gets its English printed, never a stale translation).
func (r *Result) line() string {
	if r.local.En == r.Message && r.local.Local != "" {
		return r.local.Local
	}
	return r.Message
}

// Plain is s, the same in every language (punctuation between messages).
func Plain(s string) Text { return Text{s, s} }
