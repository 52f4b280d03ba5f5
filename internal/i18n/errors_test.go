package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

// TestErrorEnglishUnchanged: an Error reads in English exactly as the fmt.Errorf it replaces,
// and errors.Is still finds its sentinel, also wrapped further.
func TestErrorEnglishUnchanged(t *testing.T) {
	invalid := errors.New("invalid request")
	const format = "%s is not the latest version of %s (version %d is %s): read the latest version first"
	args := []any{"sha256:aa", "TFN-2026-000001", 12345, "sha256:bb"}
	err := Errorf(invalid, format, args...)
	if want := fmt.Errorf("%w: "+format, append([]any{invalid}, args...)...).Error(); err.Error() != want {
		t.Errorf("English text %q, want %q", err.Error(), want)
	}
	wrapped := fmt.Errorf("registry: approve: %w", err)
	if !errors.Is(wrapped, invalid) {
		t.Error("errors.Is lost the sentinel")
	}
	if got := For(language.English).Error(wrapped); got != wrapped.Error() {
		t.Errorf("English page text %q, want %q", got, wrapped.Error())
	}
	// Without a sentinel, the error is its message, and wraps the errors among its arguments.
	pe := &fs.PathError{Op: "open", Path: "trust.json", Err: fs.ErrNotExist}
	e2 := Errorf(nil, "trust root %s: %v", "trust.json", pe)
	if e2.Error() != "trust root trust.json: open trust.json: file does not exist" || !errors.Is(e2, fs.ErrNotExist) {
		t.Errorf("an Error without sentinel: %q, wraps ErrNotExist %v", e2, errors.Is(e2, fs.ErrNotExist))
	}
}

// TestErrorTranslated: the web's and the command line's reader gets the sentinel, the message
// and its message arguments in their language, with numbers as in English.
func TestErrorTranslated(t *testing.T) {
	invalid := errors.New("invalid request")
	err := fmt.Errorf("registry: %w", Errorf(invalid, "a password needs at least %d characters (and at most %d bytes)", 12, 1024))
	fr, ar := For(language.French), For(language.Arabic)
	if got, want := fr.Error(err), "requête invalide : un mot de passe doit compter au moins 12 caractères (et au plus 1024 octets)"; got != want {
		t.Errorf("French: %q, want %q", got, want)
	}
	if got := ar.Error(err); !strings.HasPrefix(got, "طلب غير صالح: ") || !strings.Contains(got, "1024") || strings.Contains(got, "password") {
		t.Errorf("Arabic: %q", got)
	}
	empty := Errorf(invalid, "%s is empty", Msg("subject"))
	if got, want := fr.Error(empty), "requête invalide : l'objet est vide"; got != want {
		t.Errorf("a message argument: %q, want %q", got, want)
	}
	if empty.Error() != "invalid request: subject is empty" {
		t.Errorf("a message argument in English: %q", empty.Error())
	}
	// An error the catalogue does not know stays as it is, and a list joins in the language.
	if got := fr.Error(errors.New("100% unknown")); got != "100% unknown" {
		t.Errorf("an unknown error: %q", got)
	}
	if got := ar.Join([]Message{Msg("a reviewer"), Msg("a signer")}); got != "مراجِع؛ موقِّع" {
		t.Errorf("Arabic list: %q", got)
	}
}

// TestCodeMessagesFound: the catalogue test sees the messages Go code builds for the
// interfaces, whatever the sentinel.
func TestCodeMessagesFound(t *testing.T) {
	src := "return i18n.Errorf(ErrInvalid, \"%s is empty\", i18n.Msg(\"subject\"))\n" +
		"return i18n.Errorf(nil, \"no trust root\")\n" +
		"x := i18n.Msg(`a reviewer`)\n" +
		"return i18n.Errorf(registry.ErrConflict,\n\t\"%s is already released\", ref)\n" +
		"p.T(\"Language\")\n"
	var got []string
	for _, m := range codeRE.FindAllStringSubmatch(src, -1) {
		got = append(got, strings.Trim(m[1], "\"`"))
	}
	want := []string{"%s is empty", "subject", "no trust root", "a reviewer", "%s is already released", "Language"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("found %q, want %q", got, want)
	}
}

func TestAuditActions(t *testing.T) {
	if got := For(language.French).Action("letter.approve"); got != "a approuvé la version" {
		t.Errorf("French letter.approve: %q", got)
	}
	if got := For(language.English).Action("letter.approve"); got != "approved the version" {
		t.Errorf("English letter.approve: %q", got)
	}
	if got := For(language.Arabic).Action("office.unknown"); got != "office.unknown" {
		t.Errorf("an unknown action: %q", got)
	}
	for code, en := range auditActions() {
		if _, _, ok := Lookup(en); !ok {
			t.Errorf("action %s: %q is not in the catalogue", code, en)
		}
	}
}
