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

// releaseFormVersion returns the version digest the letter page's release form carries.
func releaseFormVersion(t *testing.T, page, ref string) string {
	t.Helper()
	form := page[max(strings.Index(page, `action="/letters/`+ref+`/release"`), 0):]
	const marker = `name="version" value="`
	i := strings.Index(form, marker)
	if !strings.HasPrefix(form, `action="/letters/`) || i < 0 {
		t.Fatalf("the letter page has no release form carrying a version:\n%s", page)
	}
	v := form[i+len(marker):]
	return v[:strings.IndexByte(v, '"')]
}

// TestReleaseFormReleasesTheVersionShown: the letter page's button reads "Release version 1",
// and its form carries version 1's digest. A release officer who read version 1 and pressed
// the button after version 2 was uploaded (and approved and signed by others) is refused with
// a conflict, rather than releasing version 2, a text they never saw, as approvals are
// ("approve the version shown", issue 12 item 12). From the page showing version 2, the
// button releases version 2.
func TestReleaseFormReleasesTheVersionShown(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination", "# Coordination\n\nSir, version one.\n")
	if err := o.reg.Approve(ctx, o.actors["rita"], ref, "", ""); err != nil {
		t.Fatal(err)
	}
	o.sign(ref)

	c := o.client()
	c.signIn("otto")
	_, page := c.get("/letters/" + ref)
	if !strings.Contains(page, "Release version 1") {
		t.Fatalf("the release officer's page offers no release of version 1:\n%s", page)
	}
	tok, shown := csrfOf(t, page), releaseFormVersion(t, page, ref)

	// Meanwhile version 2 is uploaded, approved and signed.
	if _, err := o.reg.Revise(ctx, o.actors["dana"], ref, registry.Upload{Name: "letter.md", MediaType: "text/markdown",
		Data: []byte("# Coordination\n\nSir, version two, which otto never read.\n")}); err != nil {
		t.Fatal(err)
	}
	if err := o.reg.Approve(ctx, o.actors["rita"], ref, "", ""); err != nil {
		t.Fatal(err)
	}
	o.sign(ref)

	// otto presses "Release version 1" on the page he read.
	resp, body := c.post("/letters/"+ref+"/release", url.Values{"csrf": {tok}, "version": {shown}})
	v, err := o.reg.Letter(ctx, o.actors["otto"], ref)
	if err != nil {
		t.Fatal(err)
	}
	if v.Release != nil {
		t.Fatalf("the button \"Release version 1\" released version %d (%s)", v.Release.Version, resp.Status)
	}
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "not the latest version") {
		t.Errorf("releasing the version shown before a revision: %s, want 409 saying it is not the latest", resp.Status)
	}

	// The page now shows version 2, and its button releases it.
	_, page = c.get("/letters/" + ref)
	if !strings.Contains(page, "Release version 2") {
		t.Fatalf("the release officer's page offers no release of version 2:\n%s", page)
	}
	resp, _ = c.post("/letters/"+ref+"/release", url.Values{"csrf": {csrfOf(t, page)}, "version": {releaseFormVersion(t, page, ref)}})
	if v, err = o.reg.Letter(ctx, o.actors["otto"], ref); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSeeOther || v.Release == nil || v.Release.Version != 2 {
		t.Errorf("releasing version 2 from its page: %s, release %+v", resp.Status, v.Release)
	}
}
