package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
)

// TestLetterPageSendsAgainWhatFailed: a message that failed after the last attempt could not
// be sent again (audit, forty-eighth session). The letter page shows a release officer a form
// that queues it again (registry.RetryDispatch); others do not see it.
func TestLetterPageSendsAgainWhatFailed(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	if _, _, err := o.reg.AddRecipient(ctx, o.actors["root"], registry.NewRecipient{Name: "liaison", Organization: "Freedonia",
		Emails: []string{"liaison@freedonia.example"}}); err != nil {
		t.Fatal(err)
	}
	ref := o.letter("Coordination", "Sir, the letter.\n")
	o.release(ref)
	if _, err := o.reg.Dispatch(ctx, o.actors["otto"], ref, []string{"liaison"}); err != nil {
		t.Fatal(err)
	}
	due, err := o.reg.DueMessages(ctx, 10, time.Minute)
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %+v, %v", due, err)
	}
	if err := o.reg.Sending(ctx, due); err != nil {
		t.Fatal(err)
	}
	if err := o.reg.Failed(ctx, due[0], "550 mailbox unavailable"); err != nil {
		t.Fatal(err)
	}
	rita := o.client()
	rita.signIn("rita")
	if _, page := rita.get("/letters/" + ref); strings.Contains(page, "retry-button") {
		t.Error("a reviewer is offered to send again what failed")
	}
	otto := o.client()
	tok := otto.signIn("otto")
	if _, page := otto.get("/letters/" + ref); !strings.Contains(page, `id="retry-button"`) {
		t.Fatalf("the release officer is not offered to send again what failed:\n%s", page)
	}
	resp, _ := otto.post("/letters/"+ref+"/dispatch/retry", url.Values{"csrf": {tok}})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "done=retried") {
		t.Fatalf("send again: %s %s, want 303 to the page", resp.Status, resp.Header.Get("Location"))
	}
	ms, err := o.reg.Dispatches(ctx, o.actors["otto"], ref)
	if err != nil || len(ms) != 1 || ms[0].Status != store.StatusQueued {
		t.Fatalf("messages after sending again: %+v, %v", ms, err)
	}
	if _, page := otto.get("/letters/" + ref); strings.Contains(page, "retry-button") {
		t.Error("the form is still offered with nothing failed")
	}
}

// TestRecipientsPageCorrectsAndRetires: the recipients page lets an admin replace a
// recipient's addresses, retire a recipient, give an endpoint a new secret (shown once) and
// remove it (audit, forty-eighth session: none could be undone before), and post again what
// failed (refused here: nothing did).
func TestRecipientsPageCorrectsAndRetires(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	if _, _, err := o.reg.AddRecipient(ctx, o.actors["root"], registry.NewRecipient{Name: "liaison", Emails: []string{"cell@liaison.exmaple"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.AddWebhook(ctx, o.actors["root"], "records", "https://records.example/hook"); err != nil {
		t.Fatal(err)
	}
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	c := o.client()
	tok := c.signIn("root")
	if _, page := c.get("/admin/recipients"); !strings.Contains(page, `action="/admin/recipients/liaison/retire"`) || !strings.Contains(page, `action="/admin/webhooks/records/remove"`) ||
		!strings.Contains(page, `action="/admin/webhooks/records/retry"`) {
		t.Fatalf("the recipients page offers no change:\n%s", page)
	}
	for _, step := range []struct {
		path   string
		form   url.Values
		status int
		holds  string
	}{
		{"/admin/recipients/liaison/emails", url.Values{"csrf": {tok}, "emails": {"cell@liaison.example"}}, http.StatusSeeOther, ""},
		{"/admin/webhooks/records/retry", url.Values{"csrf": {tok}}, http.StatusConflict, "has failed"},
		{"/admin/webhooks/records/rekey", url.Values{"csrf": {tok}}, http.StatusOK, `id="webhook-secret"`},
		{"/admin/webhooks/records/remove", url.Values{"csrf": {tok}}, http.StatusSeeOther, ""},
		{"/admin/recipients/liaison/retire", url.Values{"csrf": {tok}}, http.StatusSeeOther, ""},
		{"/admin/recipients/liaison/retire", url.Values{"csrf": {tok}}, http.StatusConflict, "retired"},
	} {
		resp, body := c.post(step.path, step.form)
		if resp.StatusCode != step.status || !strings.Contains(body, step.holds) {
			t.Errorf("POST %s: %s, want %d holding %q", step.path, resp.Status, step.status, step.holds)
		}
	}
	if rs, err := o.reg.Recipients(ctx, o.actors["root"]); err != nil || len(rs) != 0 {
		t.Errorf("the directory after the retirement: %+v, %v", rs, err)
	}
	if ws, err := o.reg.Webhooks(ctx, o.actors["root"]); err != nil || len(ws) != 0 {
		t.Errorf("the endpoints after the removal: %+v, %v", ws, err)
	}
}
