package web_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestAddressesShowTheirALabels: the directory page and the letter page's dispatch showed a
// recipient's address as the admin wrote it, "registry@аррӏе.com" in Cyrillic letters, which
// looks like apple.com, while the mail goes to its A-labels, xn--80ak6aa92e.com. Members are
// now shown the A-labels beside a domain in other letters than ASCII's, isolated left to
// right in any page; an address in ASCII is shown as it was, and the directory's field for
// changing the addresses still holds them as written.
func TestAddressesShowTheirALabels(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{RateLimit: -1})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	for name, email := range map[string]string{"apple": "registry@аррӏе.com", "ministry": "registry@mod.example"} {
		if _, _, err := o.reg.AddRecipient(ctx, o.actors["root"], registry.NewRecipient{Name: name, Emails: []string{email}}); err != nil {
			t.Fatal(err)
		}
	}
	ref := o.letter("Notice", "# Notice\n\nSir,\n")
	o.release(ref)
	if _, err := o.reg.Dispatch(ctx, o.actors["otto"], ref, []string{"apple", "ministry"}); err != nil {
		t.Fatal(err)
	}
	// The A-labels in a span the style sheet keeps on one line (alabels_browser_test.go).
	const shown = `<bdi dir="ltr">registry@аррӏе.com <span class="alabel">(xn--80ak6aa92e.com)</span></bdi>`
	admin := o.client()
	admin.signIn("root")
	resp, body := admin.get("/admin/recipients")
	body = html.UnescapeString(body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, shown) || !strings.Contains(body, `<bdi dir="ltr">registry@mod.example</bdi>`) {
		t.Errorf("the directory page does not show the A-labels of the Cyrillic domain:\n%s", mainOf(body))
	}
	if !strings.Contains(body, `value="registry@аррӏе.com"`) {
		t.Errorf("the field for changing the addresses does not hold them as written:\n%s", mainOf(body))
	}
	officer := o.client()
	officer.signIn("otto")
	resp, body = officer.get("/letters/" + ref)
	body = html.UnescapeString(body)
	if resp.StatusCode != http.StatusOK || strings.Count(body, shown) != 2 || strings.Contains(body, "mod.example (") {
		t.Errorf("the letter page's dispatch (its status and its form) does not show the A-labels of the Cyrillic domain, once each:\n%s", mainOf(body))
	}
}
