package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestSigninNextActsOnNothing: the page a sign-in goes on to is a navigation from the site
// itself (the sign-in form's own post, then its redirect), whoever chose it: a link from a
// mail to a member's page with ?done=approved, followed by a member signed out (sessions end
// after 30 idle minutes), sends them through the sign-in, which then showed "Your approval is
// recorded." for an approval never given (the item 90 and 144 confirmations), and a link to
// a letter's preview had it recorded as a draft copy taken in the member's name. Browsers
// send "Sec-Fetch-Site: same-origin" for the redirect that follows the form's post, and
// without fetch metadata (plain HTTP) the sign-in page's address as Referer.
func TestSigninNextActsOnNothing(t *testing.T) {
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination", "Sir, ...\n")
	for _, tc := range []struct {
		name, link string
		acted      func(resp *http.Response, body string) bool
	}{
		{"approval notice", "/letters/" + ref + "?done=approved", func(_ *http.Response, body string) bool {
			return strings.Contains(body, "Your approval is recorded.")
		}},
		{"preview", "/letters/" + ref + "/preview", func(resp *http.Response, _ string) bool {
			return resp.StatusCode == http.StatusOK && resp.Header.Get("Content-Type") == "application/pdf"
		}},
		{"preview, path not clean", "/letters/" + ref + "/preview/.", func(resp *http.Response, _ string) bool {
			return resp.StatusCode == http.StatusOK && resp.Header.Get("Content-Type") == "application/pdf"
		}},
		{"language switch", "/lang/ar?next=/inbox", func(resp *http.Response, _ string) bool {
			for _, c := range resp.Cookies() {
				if c.Name == "chancery_lang" {
					return true
				}
			}
			return false
		}},
	} {
		for _, meta := range []string{"fetch metadata", "referer"} {
			c := o.client()
			// The member follows the link from elsewhere: a member's page sends them to sign in.
			signin := "/signin?next=" + url.QueryEscape(tc.link)
			if strings.HasPrefix(tc.link, "/letters/") && !strings.HasSuffix(tc.link, "/.") {
				resp, _ := c.do("GET", tc.link, nil, map[string]string{"Sec-Fetch-Site": "cross-site"})
				if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin?") {
					t.Fatalf("%s: a signed-out member's link: %s to %q", tc.name, resp.Status, resp.Header.Get("Location"))
				}
				signin = resp.Header.Get("Location")
			}
			_, page := c.do("GET", signin, nil, map[string]string{"Sec-Fetch-Site": "cross-site"})
			m := regexp.MustCompile(`<input type="hidden" name="next" value="([^"]*)">`).FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("%s: no next in the sign-in form:\n%s", tc.name, page)
			}
			resp, _ := c.post("/signin", url.Values{"name": {"rita"}, "password": {password("rita")}, "next": {html.UnescapeString(m[1])}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s: sign-in: %s", tc.name, resp.Status)
			}
			to := resp.Header.Get("Location")
			hdr := map[string]string{"Sec-Fetch-Site": "same-origin"}
			if meta == "referer" {
				hdr = map[string]string{"Referer": o.srv.URL + signin}
			}
			resp, body := c.do("GET", to, nil, hdr)
			if tc.acted(resp, body) {
				t.Errorf("%s (%s): the sign-in went on to %q, which acted as if the member's own page had asked", tc.name, meta, to)
			}
		}
	}
}

// TestLanguageSwitchNextActsOnNothing: the language switch is a link of the site's own pages
// back to the page it is on, whose address the visitor may have come by from elsewhere: a
// link to a letter's preview gets a refusal page, a link with ?done=approved a page without
// the confirmation, and the switch on either page went on to what that address asks, as a
// navigation from the site: the preview recorded in the member's name, the confirmation shown.
func TestLanguageSwitchNextActsOnNothing(t *testing.T) {
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination", "Sir, ...\n")
	c := o.client()
	c.signIn("rita")
	for _, tc := range []struct {
		name, link string
		acted      func(resp *http.Response, body string) bool
	}{
		{"approval notice", "/letters/" + ref + "?done=approved", func(_ *http.Response, body string) bool {
			return strings.Contains(body, "Votre approbation est enregistrée.")
		}},
		{"preview", "/letters/" + ref + "/preview", func(resp *http.Response, _ string) bool {
			return resp.StatusCode == http.StatusOK && resp.Header.Get("Content-Type") == "application/pdf"
		}},
	} {
		// The link from elsewhere: no confirmation, no preview; the page's switch leads back.
		resp, page := c.do("GET", tc.link, nil, map[string]string{"Sec-Fetch-Site": "cross-site"})
		if tc.acted(resp, page) {
			t.Fatalf("%s: the link from elsewhere acted", tc.name)
		}
		m := regexp.MustCompile(`<a href="(/lang/fr\?next=[^"]*)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s: no language switch on the page:\n%s", tc.name, page)
		}
		resp, _ = c.do("GET", html.UnescapeString(m[1]), nil, map[string]string{"Sec-Fetch-Site": "same-origin"})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: the switch: %s", tc.name, resp.Status)
		}
		to := resp.Header.Get("Location")
		resp, body := c.do("GET", to, nil, map[string]string{"Sec-Fetch-Site": "same-origin"})
		if tc.acted(resp, body) {
			t.Errorf("%s: the language switch went on to %q, which acted as if the member's own page had asked", tc.name, to)
		}
	}
}
