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
	resp, body := c.do("GET", "/letters/"+ref+"/preview", nil, map[string]string{"Referer": o.srv.URL + "/letters/" + ref})
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

// TestPreviewNotFromElsewhere: a preview is a draft copy recorded in the member's name, so a
// link to it on another site (which a signed-in member's browser follows with their session
// cookie) and a browser's prefetch ahead of a click record none and get none; the member's
// own click does.
func TestPreviewNotFromElsewhere(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination", "# Coordination\n\nSir, the forces will be repositioned.\n")
	c := o.client()
	c.signIn("rita")
	copies := func() int {
		t.Helper()
		events, err := o.reg.Audit(ctx, o.actors["rita"], ref)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range events {
			if e.Action == "draft.preview" {
				n++
			}
		}
		return n
	}
	for _, hdr := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "same-site"},
		{"Sec-Fetch-Site": "same-origin", "Sec-Purpose": "prefetch"},
		{"Sec-Fetch-Site": "none", "Sec-Purpose": "prefetch;prerender"},
		{"Purpose": "prefetch"},
		// Over plain HTTP to a host other than loopback, browsers send no fetch metadata
		// (they send it only to secure origins), and the session cookie (SameSite=Lax) goes
		// with a link followed from another site: the Referer tells such a link, and one
		// whose page suppressed the Referer, from the member's own click.
		{"Referer": "http://evil.example/mail"},
		{},
	} {
		resp, body := c.do("GET", "/letters/"+ref+"/preview", nil, hdr)
		if resp.StatusCode != http.StatusForbidden || strings.HasPrefix(body, "%PDF") {
			t.Errorf("preview with %v: %s", hdr, resp.Status)
		}
	}
	// A HEAD, which GET routes take, on the page's route and the API's, with what rita's
	// own click would send: no preview is made for it, and none recorded.
	resp, _ := c.do("HEAD", "/letters/"+ref+"/preview", nil, map[string]string{"Sec-Fetch-Site": "same-origin"})
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("HEAD of the preview page: %s", resp.Status)
	}
	if n := copies(); n != 0 {
		t.Fatalf("%d draft copies recorded for requests rita never made", n)
	}
	for _, site := range []string{"same-origin", "none"} {
		resp, body := c.do("GET", "/letters/"+ref+"/preview", nil, map[string]string{"Sec-Fetch-Site": site})
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF") {
			t.Errorf("rita's own preview (Sec-Fetch-Site %s): %s", site, resp.Status)
		}
	}
	resp, body := c.do("GET", "/letters/"+ref+"/preview", nil, map[string]string{"Referer": o.srv.URL + "/letters/" + ref})
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("rita's own preview without fetch metadata: %s", resp.Status)
	}
	// The API's route too (a new token ends rita's web session, so it comes last).
	tok, err := o.reg.IssueToken(ctx, o.actors["root"], "rita")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("HEAD", o.srv.URL+"/api/v1/letters/"+ref+"/preview", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("HEAD of the API's preview: %v, %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if n := copies(); n != 3 {
		t.Errorf("%d draft copies recorded for rita's three previews", n)
	}
}
