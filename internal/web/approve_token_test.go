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

// TestApprovingATokenAsksThePassword: under two_admins, a new token, an enabling or a member
// added is proposed by one admin and its token shown to the admin who approves it. The
// members page asked the password for an admin's own new token and another's (items 782,
// 805) but not for such an approval: whoever held the second admin's session (a browser left
// open, a stolen cookie) approved a pending proposal with one post and was shown the
// member's token, a lasting credential, an admin's if the member was one (found by review,
// fifty-sixth session, of item 805). The approval now asks the approver's password; a role
// change's, which shows no token, does not.
func TestApprovingATokenAsksThePassword(t *testing.T) {
	ctx := context.Background()
	o, root, ada, rootTok, adaTok := twoAdminsOffice(t)
	if _, err := o.reg.DisableMember(ctx, o.actors["root"], "dana"); err != nil {
		t.Fatal(err)
	}
	resp, _ := root.post("/admin/members/sam/token", url.Values{"csrf": {rootTok}})
	token := proposedChange(t, root, "a token", resp)
	resp, _ = root.post("/admin/members/dana/enable", url.Values{"csrf": {rootTok}})
	enable := proposedChange(t, root, "an enabling", resp)
	resp, _ = root.post("/admin/members/rita/roles", url.Values{"csrf": {rootTok}, "role": {"reviewer", "signer"}})
	roles := proposedChange(t, root, "a role", resp)

	_, body := ada.get("/admin/members")
	for id, asks := range map[string]bool{token: true, enable: true, roles: false} {
		if got := strings.Contains(changeRow(body, id), `name="password"`); got != asks {
			t.Errorf("the approval of change %s asks for a password: %v, want %v", id, got, asks)
		}
	}
	if _, body := root.get("/admin/members"); strings.Contains(changeRow(body, token), `name="password"`) {
		t.Error("the proposer's row, which offers no approval, asks for a password")
	}

	// Three tries: the sign-in's limits count them, and a fifth would be answered 429.
	issued := regexp.MustCompile(`<code id="issued-token">(chy_[A-Za-z0-9_-]+)</code>`)
	for _, try := range []struct {
		id      string
		form    url.Values
		lang    string
		refusal string
	}{
		{token, url.Values{"csrf": {adaTok}}, "en", "Your password is wrong: a new token needs it."},
		{token, url.Values{"csrf": {adaTok}, "password": {"not the password"}}, "fr", "Votre mot de passe est incorrect : un nouveau jeton le demande."},
		{enable, url.Values{"csrf": {adaTok}}, "ar", "كلمة المرور الخاصة بك غير صحيحة: رمز الدخول الجديد يتطلبها."},
	} {
		resp, body := ada.do("POST", "/admin/changes/"+try.id+"/approve", try.form,
			map[string]string{"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin", "Accept-Language": try.lang})
		if resp.StatusCode != http.StatusForbidden || issued.MatchString(body) || !strings.Contains(html.UnescapeString(body), try.refusal) {
			t.Errorf("approval of change %s with password %q (%s): %s, want 403, %q and no token", try.id, try.form.Get("password"), try.lang, resp.Status, try.refusal)
		}
	}
	if v, _ := o.reg.Member(ctx, o.actors["root"], "dana"); v.State == registry.MemberActive {
		t.Error("dana was enabled by an approval without the password")
	}

	resp, body = ada.post("/admin/changes/"+token+"/approve", url.Values{"csrf": {adaTok}, "password": {password("ada")}})
	if m := issued.FindStringSubmatch(body); resp.StatusCode != http.StatusOK || m == nil {
		t.Errorf("approval with the password: %s, no token", resp.Status)
	} else if who, err := o.reg.Authenticate(ctx, m[1]); err != nil || who.Name != "sam" {
		t.Errorf("the token shown: %v, %v", who, err)
	}
	if resp, _ := ada.post("/admin/changes/"+roles+"/approve", url.Values{"csrf": {adaTok}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("approval of a role change without a password: %s, want 303", resp.Status)
	}
}
