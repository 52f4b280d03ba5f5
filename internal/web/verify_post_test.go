package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestVerifyPostAnswersWithTheResult: the verify page posts a file's digest (digest, with
// earlier) or the typed line (q) to /verify, and the answer is the result page itself, not a
// redirect to an address that carries the digest; a reference typed in is sent to its own
// page. Another site's post is refused before anything is looked up. GET /verify?digest=
// answers as before. Before, POST /verify was not served (405).
func TestVerifyPostAnswersWithTheResult(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n")
	sum := sha256.Sum256(o.release(ref))
	d := "sha256:" + hex.EncodeToString(sum[:])
	c := o.client()
	valid := func(what string, resp *http.Response, body string) {
		t.Helper()
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Released and valid") || !strings.Contains(body, "Coordination of force movements") {
			t.Errorf("%s: %s\n%s", what, resp.Status, mainOf(body))
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", what, cc)
		}
		if l := resp.Header.Get("Location"); l != "" {
			t.Errorf("%s: sent on to %s", what, l)
		}
	}
	resp, body := c.post("/verify", url.Values{"digest": {d}})
	valid("POST digest", resp, body)
	resp, body = c.post("/verify", url.Values{"digest": {d}, "earlier": {"sha256:" + strings.Repeat("ab", 32)}})
	valid("POST digest and earlier", resp, body)
	resp, body = c.post("/verify", url.Values{"q": {hex.EncodeToString(sum[:]) + "  letter.md"}})
	valid("POST q (sha256sum's line)", resp, body)
	resp, body = c.get("/verify?digest=" + d)
	valid("GET ?digest=", resp, body)

	if resp, _ := c.post("/verify", url.Values{"q": {ref}}); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/v/"+ref {
		t.Errorf("POST q=%s: %s to %q, want 303 to /v/%s", ref, resp.Status, resp.Header.Get("Location"), ref)
	}
	for _, form := range []url.Values{
		{"digest": {"sha256:xyz"}},
		{"digest": {"sha256:" + strings.Repeat("ab", 32)}, "earlier": {"sha256:xyz"}},
		{"q": {"not a reference!"}},
		{"digest": {d, d}},
		{"digest": {d}, "ref": {ref}},
	} {
		if resp, body := c.post("/verify", form); resp.StatusCode != http.StatusBadRequest || strings.Contains(body, "Coordination of force") {
			t.Errorf("POST %v: %s, want 400 without the letter", form, resp.Status)
		}
	}
	// Another site's page may not have a visitor's browser post the digest (nor a member's
	// browser, whose answer shows more).
	for _, hdr := range []map[string]string{
		{"Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://elsewhere.example"},
		{"Sec-Fetch-Site": "same-site"},
	} {
		resp, body := c.do("POST", "/verify", url.Values{"digest": {d}}, hdr)
		if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Coordination of force") {
			t.Errorf("POST from %v: %s, want 403 without the letter", hdr, resp.Status)
		}
	}
}

// TestSealByDigestPosted: the answer for a file's digest offers the seal through a form that
// posts the digest to /verify/seal: no address on the page holds it (a download's address is
// kept in the browser's list of downloads). Before, the page linked /verify/seal?digest=.
// The post answers the seal, no-store; another site's is refused; ?digest= answers as before.
func TestSealByDigestPosted(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n")
	sum := sha256.Sum256(o.release(ref))
	hexSum := hex.EncodeToString(sum[:])
	d := "sha256:" + hexSum
	c := o.client()
	_, body := c.post("/verify", url.Values{"digest": {d}})
	if !strings.Contains(body, `action="/verify/seal"`) {
		t.Errorf("the answer offers no form for the seal:\n%s", mainOf(body))
	}
	for _, attr := range []string{"href=", "action=", "src="} {
		for rest := body; ; {
			i := strings.Index(rest, attr)
			if i < 0 {
				break
			}
			rest = rest[i+len(attr):]
			if v, _, _ := strings.Cut(strings.TrimPrefix(rest, `"`), `"`); strings.Contains(v, hexSum) {
				t.Errorf("the answer has the address %s", v)
			}
		}
	}
	seal := func(what string, resp *http.Response, body string) {
		t.Helper()
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "chancery_seal") || resp.Header.Get("Cache-Control") != "no-store" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s: %s, Cache-Control %q, Content-Disposition %q\n%.200s", what, resp.Status, resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Disposition"), body)
		}
	}
	resp, body := c.post("/verify/seal", url.Values{"digest": {d}})
	seal("POST /verify/seal", resp, body)
	resp, body = c.get("/verify/seal?digest=" + d)
	seal("GET /verify/seal?digest=", resp, body)
	for _, form := range []url.Values{{"digest": {"sha256:xyz"}}, {"digest": {d, d}}, {"digest": {d}, "q": {ref}}} {
		if resp, body := c.post("/verify/seal", form); resp.StatusCode != http.StatusBadRequest || strings.Contains(body, "chancery_seal") {
			t.Errorf("POST /verify/seal %v: %s, want 400", form, resp.Status)
		}
	}
	if resp, body := c.do("POST", "/verify/seal", url.Values{"digest": {d}}, map[string]string{"Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"}); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "chancery_seal") {
		t.Errorf("another site's post: %s, want 403", resp.Status)
	}
}
