package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/server"
)

// TestIdentifyPageSaysDraftMark: a leaked draft copy's text, close to the letter released
// since, carries the office's DRAFT banner; the page answered "altered" and said nothing of
// it. It now says that the text carries the mark, in the page's language, to the public and
// to members; a text without the banner is told nothing of it.
func TestIdentifyPageSaysDraftMark(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	released := synth.Corpus{Seed: 3, FamilySize: 1}.Letter(0).Text()
	ref := o.letter("Released", released)
	o.release(ref)
	marked := released + "\n\nDRAFT — NOT AN OFFICIAL DOCUMENT\n"
	public, member := o.client(), o.client()
	member.signIn("rita")
	for _, tc := range []struct{ lang, says string }{
		{"en", "a draft is not an official document, whatever letter its text is close to."},
		{"fr", "un projet n&#39;est pas un document officiel, quelle que soit la lettre dont son texte est proche."},
		{"ar", "المسودة ليست وثيقة رسمية، أيًّا كانت الرسالة التي يقترب منها نصها."},
	} {
		for who, c := range map[string]*browserless{"public": public, "member": member} {
			resp, body := c.do("POST", "/verify/text", url.Values{"text": {marked}}, map[string]string{
				"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin", "Accept-Language": tc.lang})
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, ref) {
				t.Fatalf("%s, %s: %s\n%s", tc.lang, who, resp.Status, prose(body))
			}
			if !strings.Contains(body, tc.says) {
				t.Errorf("%s, %s: the page does not say that the text carries the DRAFT mark (%q):\n%s", tc.lang, who, tc.says, prose(body))
			}
		}
	}
	_, body := public.post("/verify/text", url.Values{"text": {released}})
	if !strings.Contains(body, "The text of a released letter") || strings.Contains(body, "draft-mark") {
		t.Errorf("the released text: the page speaks of a DRAFT mark:\n%s", prose(body))
	}
}
