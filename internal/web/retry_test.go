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
