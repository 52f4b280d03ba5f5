package web_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
)

// TestWebhookOfARetiredRecipientIsMarked: migration 45 binds to recipient NAME an office
// endpoint named "recipient:NAME" also when NAME was retired before it, and the lead kept the
// binding; the directory page's endpoints showed "(recipient former)" of a recipient the page
// no longer lists (fifty-eighth session's list). It says the recipient is retired, in each
// language; a recipient in the directory is shown as before.
func TestWebhookOfARetiredRecipientIsMarked(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{RateLimit: -1})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	for _, nr := range []registry.NewRecipient{
		{Name: "ministry", Emails: []string{"registry@ministry.example"}, Webhook: "https://hooks.ministry.example/in"},
		{Name: "former", Emails: []string{"registry@former.example"}},
	} {
		if _, _, err := o.reg.AddRecipient(ctx, o.actors["root"], nr); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.reg.RetireRecipient(ctx, o.actors["root"], "former"); err != nil {
		t.Fatal(err)
	}
	// What migration 45 leaves of such an endpoint (store.TestRecipientNamedOfficeEndpointsBound).
	err := o.db.Update(ctx, func(tx *store.Tx) error {
		rec, err := tx.RecipientByName(ctx, "former")
		if err != nil {
			return err
		}
		return tx.AddWebhookEndpoint(ctx, &store.WebhookEndpoint{Name: "recipient:former", URL: "https://hooks.former.example/in",
			Secret: "whsec_AAAA", RecipientID: rec.ID, CreatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	admin := o.client()
	admin.signIn("root")
	for lang, want := range map[string][2]string{
		"en": {"(retired recipient former: it hears only about the letters sent to them before)", "(recipient ministry)"},
		"fr": {"(destinataire retiré former : il ne reçoit que ce qui concerne les lettres envoyées auparavant à ce destinataire)", "(destinataire ministry)"},
		"ar": {"(المستلِم المسحوب من الدليل former: لا تتلقى نقطة الاستقبال إلا ما يخص الرسائل التي أُرسلت إليه من قبل)", "(المستلِم ministry)"},
	} {
		resp, body := admin.do("GET", "/admin/recipients", nil, map[string]string{"Accept-Language": lang})
		body = html.UnescapeString(body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want[0]) || !strings.Contains(body, want[1]) {
			t.Errorf("the directory page in %s does not mark the retired recipient's endpoint %q, beside %q:\n%s", lang, want[0], want[1], mainOf(body))
		}
		if strings.Contains(body, "(recipient former)") || strings.Contains(body, "(destinataire former)") || strings.Contains(body, "(المستلِم former)") {
			t.Errorf("the directory page in %s shows the retired recipient's endpoint as a recipient's", lang)
		}
	}
}
