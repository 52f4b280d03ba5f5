package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// formOf returns the fields of the form of body whose action is action: its hidden inputs.
func formOf(t *testing.T, body, action string) url.Values {
	t.Helper()
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form for %s in the page", action)
	}
	form := body[i : i+strings.Index(body[i:], "</form>")]
	out := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([a-z]+)" value="([^"]*)">`).FindAllStringSubmatch(form, -1) {
		out.Add(m[1], m[2])
	}
	return out
}

// TestMembersFormPostedAgainIsRefused: after row 1010, a browser without JavaScript still
// posted the members page's form again when the page that answered it was reloaded: a second
// new token, the one just shown no longer working, where the policy asks for no second admin
// (fifty-ninth session's not-fixed list). Each form of the page now carries a one-use value of
// its own, recorded when it is posted: posted again, the form is refused (409) with a line
// saying so and a link back to the members page, in the page's language, and nothing is done.
func TestMembersFormPostedAgainIsRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	admin := o.client()
	admin.signIn("root")
	_, page := admin.get("/admin/members")
	token, disable := formOf(t, page, "/admin/members/otto/token"), formOf(t, page, "/admin/members/rita/disable")
	if token.Get("once") == "" || disable.Get("once") == "" || token.Get("once") == disable.Get("once") {
		t.Fatalf("the forms' one-use values: %q and %q, want two, each its own", token.Get("once"), disable.Get("once"))
	}
	token.Set("password", password("root"))

	issued := regexp.MustCompile(`<code id="issued-token">(chy_[A-Za-z0-9_-]+)</code>`)
	resp, body := admin.post("/admin/members/otto/token", token)
	first := issued.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || first == nil {
		t.Fatalf("the new token's form: %s, no token", resp.Status)
	}
	same := map[string]string{"Origin": o.srv.URL, "Sec-Fetch-Site": "same-origin"}
	for lang, want := range map[string]string{
		"en": "this form was already sent: reload the members page to see what it did",
		"fr": "Ce formulaire a déjà été envoyé : rechargez la page des membres pour voir ce qu&#39;il a fait.",
		"ar": "سبق إرسال هذا النموذج: أعد تحميل صفحة الأعضاء لترى ما الذي فعله.",
	} {
		same["Accept-Language"] = lang
		resp, body = admin.do("POST", "/admin/members/otto/token", token, same)
		if resp.StatusCode != http.StatusConflict || issued.MatchString(body) || !strings.Contains(body, want) ||
			!strings.Contains(body, `<a id="back" href="/admin/members">`) {
			t.Errorf("the new token's form posted again (%s): %s, want 409, no token, %q and the link back:\n%s", lang, resp.Status, want, body)
		}
	}
	if m, err := o.reg.Authenticate(ctx, first[1]); err != nil || m.Name != "otto" {
		t.Errorf("the token the first post gave: %v, %v; the post again gave another", m, err)
	}

	// Another form of the same page has its own value; posted twice, it is refused too.
	if resp, _ := admin.post("/admin/members/rita/disable", disable); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("rita's disabling: %s, want 303", resp.Status)
	}
	if resp, body := admin.post("/admin/members/rita/disable", disable); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "this form was already sent") {
		t.Errorf("rita's disabling posted again: %s, want 409 and the line", resp.Status)
	}
}
