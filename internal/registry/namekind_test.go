package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/i18n"
	"golang.org/x/text/language"
)

// TestNameErrorsSayWhoseName: a recipient's or a webhook's name that is refused is called a
// recipient's or a webhook's name, in every language, not a member's.
func TestNameErrorsSayWhoseName(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	fr := i18n.For(language.French)
	for _, name := range []string{"a b", "", "..", "mini\u200bstry"} {
		_, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: name, Organization: "Ministry", Emails: []string{"registry@ministry.example"}})
		if err == nil || !strings.Contains(err.Error(), "recipient name") || strings.Contains(err.Error(), "member") ||
			!strings.Contains(fr.Error(err), "nom de destinataire") {
			t.Errorf("recipient %q: %v (in French: %v)", name, err, fr.Error(err))
		}
		_, err = o.r.AddWebhook(ctx, o.admin, name, "https://hooks.example/chancery")
		if err == nil || !strings.Contains(err.Error(), "webhook name") || strings.Contains(err.Error(), "member") ||
			!strings.Contains(fr.Error(err), "nom du webhook") {
			t.Errorf("webhook %q: %v (in French: %v)", name, err, fr.Error(err))
		}
	}
	if err := CheckMemberName("a b"); err == nil || !strings.HasPrefix(err.Error(), "invalid request: member name") {
		t.Errorf("member name: %v", err)
	}
}
