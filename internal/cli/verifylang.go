package cli

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

// text is one of verify's messages twice: in English, for --json, and in the reader's
// language, for the lines verify prints.
type text struct{ en, local string }

// T formats the message whose English text is key in English and in the reader's language.
// Log indexes, years and other identifiers are passed as strings (%s), so that no language
// groups their digits.
func (vf *verifier) T(key string, args ...any) text {
	en := fmt.Sprintf(key, args...)
	if vf.p == nil || vf.p.Lang() == "en" {
		return text{en, en}
	}
	return text{en, vf.p.T(key, args...)}
}

// registryText is a message the registry wrote, in English, with its translation when the
// catalogue has it (the registry's fixed sentences, such as its "unknown" answer).
func (vf *verifier) registryText(msg string) text {
	if vf.p == nil {
		return text{msg, msg}
	}
	return text{msg, vf.p.Text(msg)}
}

// plus is t followed by u. In English both texts are the same string, joined once.
func (t text) plus(u text) text {
	if t.en == t.local && u.en == u.local {
		s := t.en + u.en
		return text{s, s}
	}
	return text{t.en + u.en, t.local + u.local}
}

// say sets the result's outcome and message.
func (r *VerifyResult) say(outcome string, t text) {
	r.Outcome, r.Message, r.local = outcome, t.en, t
}

// line is the message verify prints for r: in the reader's language when it was set so
// (code that sets Message directly gets its English printed, never a stale translation).
func (r *VerifyResult) line() string {
	if r.local.en == r.Message && r.local.local != "" {
		return r.local.local
	}
	return r.Message
}
