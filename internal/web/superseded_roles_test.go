package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestRoleChangeNamesTheChangesItSuperseded: a role change carried out on the members page
// (another admin's approved there, or a role taken away at once) refuses the pending role
// changes about the member proposed before it as superseded, and the page redirected to
// "The change is approved" or "The roles are changed" with no word of them, where it names
// under a token the changes a token refused (fifty-ninth session's not-fixed list, the lead's
// decision). One notice line names them now, in the page's language; none when none were.
func TestRoleChangeNamesTheChangesItSuperseded(t *testing.T) {
	_, root, ada, rootTok, adaTok := twoAdminsOffice(t)
	notice := regexp.MustCompile(`(?s)<p class="notice" id="superseded">(.*?)</p>`)
	roles := func(c *browserless, tok, held string, want ...string) *http.Response {
		t.Helper()
		resp, _ := c.post("/admin/members/sam/roles", url.Values{"csrf": {tok}, "held": {held}, "role": want})
		return resp
	}
	// follow gets the page an answer redirects to, in lang, and returns its superseded
	// notice ("" when none).
	follow := func(c *browserless, what, lang string, resp *http.Response) string {
		t.Helper()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/members?done=") {
			t.Fatalf("%s: %s to %q, want a redirect to the members page", what, resp.Status, loc)
		}
		resp, body := c.do("GET", loc, nil, map[string]string{"Sec-Fetch-Site": "same-origin", "Accept-Language": lang})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: the members page: %s", what, resp.Status)
		}
		if m := notice.FindStringSubmatch(body); m != nil {
			return html.UnescapeString(m[1])
		}
		return ""
	}
	for _, tc := range []struct{ lang, approved, taken string }{
		{"en", "Also refused, as superseded: change %s (roles of sam: +reviewer, proposed by ada)",
			"Also refused, as superseded: change %s (roles of sam: +reviewer, proposed by ada)"},
		{"fr", "Aussi refusées, car remplacées par ce changement de rôles : modification %s (rôles de sam : +reviewer, proposée par ada)",
			"Aussi refusées, car remplacées par ce changement de rôles : modification %s (rôles de sam : +reviewer, proposée par ada)"},
		{"ar", "ورُفضت كذلك لأن تغيير الأدوار هذا حلّ محلها: التغيير %s (أدوار sam: +reviewer، اقترحه ada)",
			"ورُفضت كذلك لأن تغيير الأدوار هذا حلّ محلها: التغيير %s (أدوار sam: +reviewer، اقترحه ada)"},
	} {
		// Approved on the page: ada's "+reviewer", proposed first, is superseded by root's
		// "+drafter" that she approves.
		older := proposedChange(t, ada, "ada's +reviewer for sam", roles(ada, adaTok, "signer", "signer", "reviewer"))
		newer := proposedChange(t, root, "root's +drafter for sam", roles(root, rootTok, "signer", "signer", "drafter"))
		resp, _ := ada.post("/admin/changes/"+newer+"/approve", url.Values{"csrf": {adaTok}})
		if got, want := follow(ada, tc.lang+": the approval", tc.lang, resp), strings.Replace(tc.approved, "%s", older, 1); got != want {
			t.Errorf("%s: the approval of root's role change: notice %q, want %q", tc.lang, got, want)
		}
		// The same query, on a page of an admin who refused none of them, names nothing.
		if _, body := root.do("GET", "/admin/members?done=approved&superseded="+older, nil, map[string]string{"Sec-Fetch-Site": "same-origin"}); strings.Contains(body, `id="superseded"`) {
			t.Errorf("%s: root's page names a change ada refused as superseded by root", tc.lang)
		}

		// Taken away at once on the page: ada's new "+reviewer" is superseded by root's
		// taking drafter away (which also gives sam back the roles he had).
		older = proposedChange(t, ada, "ada's +reviewer for sam", roles(ada, adaTok, "signer,drafter", "signer", "drafter", "reviewer"))
		resp = roles(root, rootTok, "signer,drafter", "signer")
		if got, want := follow(root, tc.lang+": drafter taken", tc.lang, resp), strings.Replace(tc.taken, "%s", older, 1); got != want {
			t.Errorf("%s: drafter taken from sam: notice %q, want %q", tc.lang, got, want)
		}
	}

	// Role changes that superseded none: no notice.
	newer := proposedChange(t, root, "root's +drafter for sam", roles(root, rootTok, "signer", "signer", "drafter"))
	resp, _ := ada.post("/admin/changes/"+newer+"/approve", url.Values{"csrf": {adaTok}})
	if got := follow(ada, "an approval superseding none", "en", resp); got != "" {
		t.Errorf("an approval that superseded nothing: notice %q, want none", got)
	}
	if got := follow(root, "drafter taken, nothing pending", "en", roles(root, rootTok, "signer,drafter", "signer")); got != "" {
		t.Errorf("a role taken with nothing pending: notice %q, want none", got)
	}
}
