package registry

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/i18n"
	"golang.org/x/text/language"
)

// TestAddressMixingScriptsRefused: a recipient's address whose local part mixed Latin and
// Cyrillic letters in a word ("r\u0435gistry@mod.example", a Cyrillic е) was taken, and shown
// to members on the directory and dispatch pages and by recipient list and dispatch status
// exactly as "registry@mod.example" reads: a local part has no A-labels to show beside it, as
// a domain in Cyrillic letters now has (found by review of 03b3ec5, fifty-eighth session). Such
// an address, or one with such a label in its domain, is refused as a letter's addressee is,
// in the admin's language; an address whose words are each in one script is taken.
func TestAddressMixingScriptsRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	for _, addr := range []string{"r\u0435gistry@mod.example", "registry@r\u043eyal-navy.example", "\u0440ress.office@mod.example"} {
		_, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Emails: []string{addr}})
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "e-mail address mixes ") {
			t.Errorf("recipient add --email %s: %v, want it refused as mixing scripts", addr, err)
			continue
		}
		if fr := i18n.For(language.French).Error(err); !strings.Contains(fr, "l'adresse électronique mêle des lettres") {
			t.Errorf("in French: %s", fr)
		}
		if ar := i18n.For(language.Arabic).Error(err); !strings.Contains(ar, "عنوان البريد الإلكتروني يخلط") {
			t.Errorf("in Arabic: %s", ar)
		}
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "ministry", Emails: []string{"registry@mod.example"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.SetRecipientEmails(ctx, o.admin, "ministry", []string{"registry@mod.example", "r\u0435gistry@mod.example"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("recipient set-emails with a local part mixing scripts: %v, want ErrInvalid", err)
	}
	for _, addr := range []string{"иван.ivanov@mod.example", "registry@\u0430\u0440\u0440\u04cf\u0435.com", "müller@ministère.example", "ελένη@mod.example"} {
		if _, err := o.r.SetRecipientEmails(ctx, o.admin, "ministry", []string{addr}); err != nil {
			t.Errorf("recipient set-emails --email %s: %v, want it taken", addr, err)
		}
	}
}
