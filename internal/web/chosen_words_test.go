package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestVerifyPagesDoNotRepeatChosenWords: a link to a public verify page whose reference,
// digest or earlier digests are words of the link's author is refused without those words on
// the page, in every language, as /verify?q= refuses them; a reference, a digest and a check
// code are still taken.
func TestVerifyPagesDoNotRepeatChosenWords(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	o.release(ref)
	const words = "Genuine letter, call \u202e+33 1 23 45 67 89"
	w := url.PathEscape(words)
	digest := "sha256:" + strings.Repeat("ab", 32)
	for _, path := range []string{
		"/v/" + w,
		"/v/" + w + "/abcdefghijklmnopqrstuvwxyz",
		"/v/" + w + "/preview",
		"/verify/seal?digest=" + url.QueryEscape(words),
		"/verify?digest=" + digest + "&earlier=" + url.QueryEscape(words),
		"/verify?digest=" + digest + "&earlier=" + digest + "," + url.QueryEscape(words),
	} {
		for _, lang := range []string{"en", "fr", "ar"} {
			resp, body := o.client().getLang(path, lang)
			text := strings.ToLower(html.UnescapeString(body))
			if resp.StatusCode != http.StatusBadRequest || strings.Contains(text, "genuine letter") || strings.Contains(text, "+33") {
				t.Errorf("GET %s in %s: %s; want 400 without the link's words:\n%s", path, lang, resp.Status, mainOf(body))
			}
		}
	}
	for _, path := range []string{"/v/" + ref, "/verify?digest=" + digest + "&earlier=" + digest, "/verify/seal?digest=" + digest} {
		if resp, _ := o.client().get(path); resp.StatusCode == http.StatusBadRequest {
			t.Errorf("GET %s: %s", path, resp.Status)
		}
	}
}

// mainOf is the page's main element, for failure messages.
func mainOf(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if i := strings.Index(body, "</main>"); i >= 0 {
		body = body[:i]
	}
	return body
}
