package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

// TestALabelsKeptOnOneLineInChromium: on the letter page's dispatch table, in Arabic at
// 1000 px, an address's A-labels broke at their hyphens, "(xn-" at the end of one line and
// "-80ak6aa92e.com)" on the next, where they are read (fifty-eighth session's not-fixed
// list). They are now one span drawn on one line, there and on the directory page, at
// 1000 px and on a 360 px phone, which does not scroll sideways; a copy of the address is the
// text as it was.
func TestALabelsKeptOnOneLineInChromium(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	bg := context.Background()
	for _, name := range []string{"root", "otto"} {
		if err := o.reg.SetPassword(bg, o.actors["root"], name, password(name)); err != nil {
			t.Fatal(err)
		}
	}
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	if _, _, err := o.reg.AddRecipient(bg, o.actors["root"], registry.NewRecipient{Name: "apple",
		Organization: "Apple Ministry of Foreign Affairs and International Cooperation", Emails: []string{"registry@аррӏе.com"}}); err != nil {
		t.Fatal(err)
	}
	ref := o.letter("Notice", "# Notice\n\nSir,\n")
	o.release(ref)
	if _, err := o.reg.Dispatch(bg, o.actors["otto"], ref, []string{"apple"}); err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: ctx, o: o}
	b.acceptLanguage("ar")
	const measure = `JSON.stringify([...document.querySelectorAll("main .alabel")].map(e => [e.textContent, e.getClientRects().length, e.closest("bdi").innerText]))`
	check := func(page string, width int64, want int) {
		t.Helper()
		b.do(chromedp.EmulateViewport(width, 900))
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](measure))
		if err != nil {
			t.Fatal(err)
		}
		line := `["(xn--80ak6aa92e.com)",1,"registry@аррӏе.com (xn--80ak6aa92e.com)"]`
		wanted := "["
		for i := range want {
			if i > 0 {
				wanted += ","
			}
			wanted += line
		}
		wanted += "]"
		if got != wanted {
			t.Errorf("%s at %d px: the A-labels (text, lines, the address's text) are %s, want %s", page, width, got, wanted)
		}
		over, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth - window.innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if over > 0 {
			t.Errorf("%s at %d px scrolls sideways by %d px", page, width, over)
		}
	}
	b.open("/signin?next=/letters/"+ref, "#password")
	b.signIn("otto", "#dispatch-section")
	for _, width := range []int64{1000, 360} {
		b.do(chromedp.EmulateViewport(width, 900))
		b.open("/letters/"+ref, "#dispatch-section")
		// The status table, and the form's list of recipients to send to.
		check(fmt.Sprintf("the letter page (%s)", ref), width, 2)
	}
	b.signOut()
	b.open("/signin?next=/admin/recipients", "#password")
	b.signIn("root", "#directory")
	for _, width := range []int64{1000, 360} {
		b.do(chromedp.EmulateViewport(width, 900))
		b.open("/admin/recipients", "#directory")
		check("the directory page", width, 1)
	}
}
