package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestMembersFormRefusedIsNotSpent: the members page's one-use value was recorded before its
// form was looked at, so a form refused without anything done (a wrong password, the sign-in's
// limit reached: "too many requests: try again in a moment") could not be sent again: sent
// with the right password, from the page kept in the history (Back) or by a reload after the
// 429, it was refused "this form was already sent: reload the members page to see what it
// did", though it had done nothing (found by review of e7d3ef3, sixtieth session). The value
// is spent only when the change is asked of the registry; a form carried out is still refused
// posted again.
func TestMembersFormRefusedIsNotSpent(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	if err := o.reg.SetPassword(ctx, o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	admin := o.client()
	admin.signIn("root")
	_, page := admin.get("/admin/members")
	token := formOf(t, page, "/admin/members/otto/token")
	if token.Get("once") == "" {
		t.Fatal("the new token's form has no one-use value")
	}
	token.Set("password", "not the password")
	if resp, body := admin.post("/admin/members/otto/token", token); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Your password is wrong") {
		t.Fatalf("the new token's form with a wrong password: %s, want 403 and the line", resp.Status)
	}
	token.Set("password", password("root"))
	issued := regexp.MustCompile(`<code id="issued-token">(chy_[A-Za-z0-9_-]+)</code>`)
	resp, body := admin.post("/admin/members/otto/token", token)
	tok := issued.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || tok == nil {
		t.Fatalf("the same form sent again with the right password, nothing done before: %s, want 200 and a token:\n%s", resp.Status, body)
	}
	if m, err := o.reg.Authenticate(ctx, tok[1]); err != nil || m.Name != "otto" {
		t.Errorf("the token given: %v, %v", m, err)
	}
	// Carried out, it is refused posted again.
	if resp, body := admin.post("/admin/members/otto/token", token); resp.StatusCode != http.StatusConflict || issued.MatchString(body) {
		t.Errorf("the form posted again once carried out: %s, want 409 and no token", resp.Status)
	}
	if m, err := o.reg.Authenticate(ctx, tok[1]); err != nil || m.Name != "otto" {
		t.Errorf("the token given, after the form was posted again: %v, %v", m, err)
	}
}
