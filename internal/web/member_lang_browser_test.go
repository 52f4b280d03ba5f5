package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

// TestBrowserSigningInArabic: a signer who chose Arabic with the switch sees the letter page
// right to left, and the browser's signing speaks Arabic too (its messages come from the page,
// not from the script); the signature is recorded as in English.
func TestBrowserSigningInArabic(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	b := &tab{t: t, ctx: ctx, o: o}
	ref := o.letter("Request for overflight clearance", "Sir,\n\nWe request clearance for two flights.\n")
	if err := o.reg.Approve(context.Background(), o.actors["rita"], ref, "", ""); err != nil {
		t.Fatal(err)
	}
	b.open("/lang/ar?next=/letters/"+ref, "#password")
	b.signIn("sam", "#browser-key-create")
	dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.dir + " " + getComputedStyle(document.querySelector("main")).direction`))
	if err != nil || dir != "rtl rtl" {
		t.Errorf("the Arabic letter page's direction: %q (%v)", dir, err)
	}
	if got := b.text("#browser-key-status"); !strings.Contains(got, "للتوقيع هنا، أنشئ مفتاح توقيع على هذا الجهاز") {
		t.Errorf("before a key, the page says %q", got)
	}
	b.screenshot("letter-sign-ar")
	b.do(chromedp.Click(chromedp.CSS("#browser-key-create")), chromedp.WaitVisible(chromedp.CSS("#browser-sign")))
	if got := b.text("#browser-key-status"); !strings.Contains(got, "يحتفظ هذا المتصفح بمفتاح توقيعك") {
		t.Errorf("after creating a key, the page says %q", got)
	}
	if got := b.text("#browser-sign"); got != "توقيع النسخة 1 في هذا المتصفح" {
		t.Errorf("the sign button reads %q", got)
	}
	b.do(chromedp.Click(chromedp.CSS("#browser-sign")), chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := b.text(".notice"); got != "سُجّل توقيعك." {
		t.Fatalf("after signing the page says %q", got)
	}
	if got := b.text("section[aria-labelledby=reviews]"); !strings.Contains(got, "وقّعها sam") {
		t.Errorf("the letter page lists the signatures as:\n%s", got)
	}
}
