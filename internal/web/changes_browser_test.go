package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserTwoAdmins: in a browser, one admin's "New token" under two_admins proposes the
// change; the second admin approves it from the members page and is the one shown the token.
func TestBrowserTwoAdmins(t *testing.T) {
	ctx := browser(t)
	o, _, _, _, _ := twoAdminsOffice(t)
	b := &tab{t: t, ctx: ctx, o: o}
	b.open("/admin/members", "#password")
	b.signIn("root", "#member-sam")
	b.do(chromedp.Click(chromedp.CSS(`#member-sam form[action$="/token"] button`)), chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := b.text(".notice"); !strings.Contains(got, "Proposed as change 1: another admin approves it on this page.") {
		t.Fatalf("after New token under two_admins the page says %q", got)
	}
	if got := b.text("#change-1"); !strings.Contains(got, "new token for sam") || !strings.Contains(got, "Withdraw") || strings.Contains(got, "Approve") {
		t.Errorf("the proposer's row of the change reads %q", got)
	}
	b.signOut()
	b.open("/admin/members", "#password")
	b.signIn("ada", "#change-1")
	// Approving shows a token: it asks ada's password.
	b.do(chromedp.SendKeys(chromedp.CSS(`#change-1 form[action$="/approve"] input[name="password"]`), password("ada")),
		chromedp.Click(chromedp.CSS(`#change-1 form[action$="/approve"] button`)), chromedp.WaitVisible(chromedp.CSS("#issued-token")))
	tok := b.text("#issued-token")
	m, err := o.reg.Authenticate(context.Background(), tok)
	if err != nil || m.Name != "sam" {
		t.Fatalf("the token shown to the approving admin: %v, %+v", err, m)
	}
}
