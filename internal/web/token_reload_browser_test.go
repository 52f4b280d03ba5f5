package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserApprovalNotPostedOnReload: the members page that shows the token an
// approval made answers the post itself; a reload (which headless Chromium does without
// asking) posted the approval, with the approving admin's password, again, and answered
// "change 1 is carried out already" in place of the page.
func TestBrowserApprovalNotPostedOnReload(t *testing.T) {
	ctx := browser(t)
	o, root, _, rootTok, _ := twoAdminsOffice(t)
	resp, _ := root.post("/admin/members/sam/token", url.Values{"csrf": {rootTok}})
	proposedChange(t, root, "new token for sam", resp)
	b := &tab{t: t, ctx: ctx, o: o}
	b.open("/admin/members", "#password")
	b.signIn("ada", "#change-1")
	b.do(chromedp.SendKeys(chromedp.CSS(`#change-1 form[action$="/approve"] input[name="password"]`), password("ada")),
		chromedp.Click(chromedp.CSS(`#change-1 form[action$="/approve"] button`)), chromedp.WaitVisible(chromedp.CSS("#issued-token")))
	tok := b.text("#issued-token")
	b.do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#member-sam")))
	if got := b.text("#main"); strings.Contains(got, "carried out already") {
		t.Errorf("a reload of the token's page posted the approval again:\n%s", got)
	}
	if m, err := o.reg.Authenticate(context.Background(), tok); err != nil || m.Name != "sam" {
		t.Fatalf("the token shown before the reload: %v, %+v", err, m)
	}
}

// TestBrowserNewTokenNotIssuedAgainOnReload: where the policy asks for no second admin, a
// reload of the page that shows another member's new token posted the form, with the admin's
// password, again: it issued a second token, so that the one just shown no longer worked and
// the member's keys were revoked again.
func TestBrowserNewTokenNotIssuedAgainOnReload(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{})
	if err := o.reg.SetPassword(context.Background(), o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: ctx, o: o}
	b.open("/admin/members", "#password")
	b.signIn("root", "#member-sam")
	b.do(chromedp.SendKeys(chromedp.CSS(`#member-sam form[action$="/token"] input[name="password"]`), password("root")),
		chromedp.Click(chromedp.CSS(`#member-sam form[action$="/token"] button`)), chromedp.WaitVisible(chromedp.CSS("#issued-token")))
	tok := b.text("#issued-token")
	b.do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#member-sam")))
	if m, err := o.reg.Authenticate(context.Background(), tok); err != nil || m.Name != "sam" {
		t.Errorf("after a reload, the token shown before it: %v, %+v", err, m)
	}
}

// TestBrowserNoScriptsTokenNotIssuedAgain: members.js keeps a reload from
// posting the form again only where scripts run; without them the reload posted it again, and
// gave a second token (fifty-ninth session's not-fixed list). The form's one-use value is
// refused posted again: the reload shows the refusal and its link back, and the token shown
// before it still works.
func TestBrowserNoScriptsTokenNotIssuedAgain(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{})
	if err := o.reg.SetPassword(context.Background(), o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: ctx, o: o}
	b.open("/admin/members", "#password")
	b.signIn("root", "#member-sam")
	noScripts := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	b.do(noScripts, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#member-sam")))
	b.do(chromedp.SendKeys(chromedp.CSS(`#member-sam form[action$="/token"] input[name="password"]`), password("root")),
		chromedp.Submit(chromedp.CSS(`#member-sam form[action$="/token"] button`)), chromedp.WaitVisible(chromedp.CSS("#issued-token")))
	tok := b.text("#issued-token")
	b.do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#back")))
	if got := b.text("#main"); !strings.Contains(got, "this form was already sent") {
		t.Errorf("a reload of the token's page without scripts answered:\n%s", got)
	}
	if m, err := o.reg.Authenticate(context.Background(), tok); err != nil || m.Name != "sam" {
		t.Errorf("after a reload without scripts, the token shown before it: %v, %+v", err, m)
	}
}
