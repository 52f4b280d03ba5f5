package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
)

// TestVersionCopies: a member downloads any version of a draft from the letter page, always as
// a copy marked DRAFT and recorded, which then verifies as a draft, never as the version's
// own bytes.
func TestVersionCopies(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination", "# Coordination\n\nSir, version one.\n")
	if _, err := o.reg.Revise(ctx, o.actors["dana"], ref, registry.Upload{Name: "letter.md", MediaType: "text/markdown", Data: []byte("# Coordination\n\nSir, version two.\n")}); err != nil {
		t.Fatal(err)
	}
	c := o.client()
	tok := c.signIn("rita")
	_, page := c.get("/letters/" + ref)
	if !strings.Contains(page, `action="/letters/`+ref+`/versions/1/copy"`) || !strings.Contains(page, `action="/letters/`+ref+`/versions/2/copy"`) {
		t.Fatalf("the letter page offers no copy of each version:\n%s", page)
	}
	resp, body := c.post("/letters/"+ref+"/versions/1/copy", url.Values{"csrf": {tok}})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "DRAFT-"+ref+"-v1-") {
		t.Fatalf("copy of version 1: %s %s %s", resp.Status, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	text, err := pdf.Text([]byte(body))
	if err != nil || !strings.Contains(text, "version one") {
		t.Errorf("the copy of version 1 reads %q, %v", text, err)
	}
	st, err := o.reg.VerifyDigest(ctx, o.actors["rita"], seal.DigestOf([]byte(body)))
	if err != nil || st.Outcome != registry.Draft || st.Draft == nil || st.Draft.Version != 1 || len(st.Draft.Exports) != 1 ||
		st.Draft.Exports[0].Recipient != "own copy of rita" {
		t.Errorf("the copy verifies as %+v, %v; want a recorded draft of version 1", st, err)
	}
	if resp, _ := c.post("/letters/"+ref+"/versions/9/copy", url.Values{"csrf": {tok}}); resp.StatusCode == http.StatusOK {
		t.Errorf("a copy of a version that does not exist: %s", resp.Status)
	}
	if resp, _ := c.post("/letters/"+ref+"/versions/1/copy", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a copy without the form's token: %s, want 403", resp.Status)
	}
}
