package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestCoordinationCopiesAreOfTheVersionShown: the letter page's coordination copies (the
// download for a recipient and the copy mailed to one) carry the digest of the version the
// page showed, as the approval and release forms do; if a revision was uploaded since, the
// copy is refused rather than handing a recipient outside the office text the member never
// read. Once the page is read again, the new version goes out.
func TestCoordinationCopiesAreOfTheVersionShown(t *testing.T) {
	o := newOffice(t, server.Config{})
	ctx := context.Background()
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	if _, _, err := o.reg.AddRecipient(ctx, o.actors["root"], registry.NewRecipient{Name: "liaison", Organization: "Freedonia",
		Emails: []string{"liaison@freedonia.example"}}); err != nil {
		t.Fatal(err)
	}
	ref := o.letter("Coordination", "Sir, the draft for comment.\n")
	c := o.client()
	tok := c.signIn("rita")
	shown := func() string {
		_, page := c.get("/letters/" + ref)
		const marker = `name="version" value="`
		i := strings.Index(page, marker)
		if i < 0 {
			t.Fatalf("the letter page has no version in its forms:\n%s", page)
		}
		v := page[i+len(marker):]
		return v[:strings.IndexByte(v, '"')]
	}
	old := shown()
	if _, err := o.reg.Revise(ctx, o.actors["dana"], ref, registry.Upload{Name: "letter.md",
		Data: []byte("Sir, the draft for comment.\nInternal: do not show this to Freedonia.\n")}); err != nil {
		t.Fatal(err)
	}
	resp, body := c.post("/letters/"+ref+"/export", url.Values{"csrf": {tok}, "version": {old}, "recipient": {"Freedonia liaison"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "not the latest version") {
		t.Errorf("exporting a coordination copy of the version shown before a revision: %s %s, want 409 saying it is not the latest",
			resp.Status, resp.Header.Get("Content-Type"))
	}
	resp, _ = c.post("/letters/"+ref+"/drafts/send", url.Values{"csrf": {tok}, "version": {old}, "recipient": {"liaison"}})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("mailing a coordination copy of the version shown before a revision: %s, want 409", resp.Status)
	}
	if ms, err := o.reg.Dispatches(ctx, o.actors["rita"], ref); err != nil || len(ms) != 0 {
		t.Errorf("messages after refused copies: %+v, %v", ms, err)
	}
	audit, err := o.reg.Audit(ctx, o.actors["rita"], ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range audit {
		if e.Action == "draft.export" {
			t.Errorf("a refused copy was recorded: %+v", e)
		}
	}

	cur := shown()
	resp, body = c.post("/letters/"+ref+"/export", url.Values{"csrf": {tok}, "version": {cur}, "recipient": {"Freedonia liaison"}})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("exporting the version shown: %s %s, want 200 and a PDF", resp.Status, resp.Header.Get("Content-Type"))
	}
	if resp, _ = c.post("/letters/"+ref+"/drafts/send", url.Values{"csrf": {tok}, "version": {cur}, "recipient": {"liaison"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("mailing the version shown: %s, want 303", resp.Status)
	}
	if ms, err := o.reg.Dispatches(ctx, o.actors["rita"], ref); err != nil || len(ms) != 1 || ms[0].Version != 2 {
		t.Errorf("messages after mailing version 2: %+v, %v", ms, err)
	}
}
