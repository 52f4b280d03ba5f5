package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
)

// TestPreviewLink: the letter page links to a preview, a PDF of the letter as a release would
// lay it out, recorded as a draft copy that the member took, so it verifies as a draft; a
// visitor who is not signed in gets none.
func TestPreviewLink(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination", "# Coordination\n\nSir, the forces will be repositioned.\n")
	anon := o.client()
	if resp, body := anon.get("/letters/" + ref + "/preview"); resp.StatusCode == http.StatusOK && strings.HasPrefix(body, "%PDF") {
		t.Fatal("a visitor got a preview")
	}
	c := o.client()
	c.signIn("rita")
	_, page := c.get("/letters/" + ref)
	if !strings.Contains(page, `href="/letters/`+ref+`/preview"`) {
		t.Fatalf("the letter page has no preview link:\n%s", page)
	}
	resp, body := c.get("/letters/" + ref + "/preview")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("preview: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	if text, err := pdf.Text([]byte(body)); err != nil || !strings.Contains(text, "repositioned") {
		t.Errorf("the preview reads %q, %v", text, err)
	}
	if st, err := o.reg.VerifyDigest(ctx, o.actors["rita"], seal.DigestOf([]byte(body))); err != nil || st.Outcome != registry.Draft ||
		st.Draft == nil || len(st.Draft.Exports) != 1 || st.Draft.Exports[0].By != "rita" {
		t.Errorf("the preview verifies as %+v, %v; want a draft copy taken by rita", st, err)
	}
}
