package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDuplicateProposalOnMembersPage: proposing from the members page what a pending change
// asks already is refused there (409), naming that change, in the reader's language, and
// nothing is proposed.
func TestDuplicateProposalOnMembersPage(t *testing.T) {
	o, root, ada, rootTok, adaTok := twoAdminsOffice(t)
	resp, _ := root.post("/admin/members/sam/token", url.Values{"csrf": {rootTok}})
	id := proposedChange(t, root, "a token", resp)
	for _, try := range []struct {
		c          *browserless
		csrf, lang string
		want       string
	}{
		{ada, adaTok, "en", "change " + id + " already asks this: approve it"},
		{ada, adaTok, "fr", "la modification " + id + " le demande déjà : approuvez-la"},
		{ada, adaTok, "ar", "التعديل " + id + " يطلب هذا بالفعل: وافق عليه"},
		{root, rootTok, "fr", "vous l'avez déjà proposé comme modification " + id + " : un autre administrateur l'approuve"},
	} {
		resp, body := try.c.do("POST", "/admin/members/sam/token", url.Values{"csrf": {try.csrf}},
			map[string]string{"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin", "Accept-Language": try.lang})
		if resp.StatusCode != http.StatusConflict || !strings.Contains(html.UnescapeString(body), try.want) || !strings.Contains(body, `id="member-sam"`) {
			t.Errorf("a second new token for sam (%s): %s, want 409 on the members page saying %q", try.lang, resp.Status, try.want)
		}
	}
	_, body := ada.get("/admin/members")
	if n := strings.Count(body, "new token for sam"); n != 1 {
		t.Errorf("the members page lists %d new tokens for sam, want 1", n)
	}
}
