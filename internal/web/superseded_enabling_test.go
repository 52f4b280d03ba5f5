package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
)

// TestApprovalNamesTheEnablingsItSuperseded: an enabling carried out refuses the other pending
// enablings of the member as superseded, as it does their new tokens (one past its 7 days,
// which a duplicate proposal no longer counts, or one an older build left), and the notice
// under the token named each "new token for sam", whatever it asked: an enabling read as a
// new token (fifty-ninth session's review of 2a9b0e5 and 04d5cce). Each is named now by what
// it asked, in the page's language.
func TestApprovalNamesTheEnablingsItSuperseded(t *testing.T) {
	o, root, ada, rootTok, adaTok := twoAdminsOffice(t)
	issued := regexp.MustCompile(`<code id="issued-token">(chy_[A-Za-z0-9_-]+)</code>`)
	notice := regexp.MustCompile(`(?s)<p class="notice" id="superseded">(.*?)</p>`)
	for _, tc := range []struct{ lang, want string }{
		{"en", "Also refused, as superseded: change %s (enable sam, proposed by ada)"},
		{"fr", "Aussi refusées, car remplacées par ce jeton : modification %s (réactiver sam, proposée par ada)"},
		{"ar", "ورُفضت كذلك لأن هذا الرمز حلّ محلها: التغيير %s (إعادة تفعيل sam، اقترحه ada)"},
	} {
		if _, err := o.reg.DisableMember(context.Background(), o.actors["root"], "sam"); err != nil {
			t.Fatal(err)
		}
		resp, _ := root.post("/admin/members/sam/enable", url.Values{"csrf": {rootTok}, "password": {password("root")}})
		first := proposedChange(t, root, "root's enabling of sam", resp)
		second := duplicateProposal(t, o, "ada", registry.ChangeEnable, "sam")
		resp, body := ada.do("POST", "/admin/changes/"+first+"/approve", url.Values{"csrf": {adaTok}, "password": {password("ada")}},
			map[string]string{"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin", "Accept-Language": tc.lang})
		if resp.StatusCode != http.StatusOK || !issued.MatchString(body) {
			t.Fatalf("%s: the approval of root's enabling of sam: %s, no token shown", tc.lang, resp.Status)
		}
		want := strings.Replace(tc.want, "%s", second, 1)
		if m := notice.FindStringSubmatch(body); m == nil || html.UnescapeString(m[1]) != want {
			t.Errorf("%s: the notice under the token: %q, want %q", tc.lang, m, want)
		}
	}
}
