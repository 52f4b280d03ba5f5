package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

// TestVerifyAnswerNotPostedAgainOnReload: the answer to a digest posted on the verify page
// (typed, or hashed from a file by the page's script) does not keep the posted form in the
// browser's history entry: a reload shows the empty form instead of posting the digest
// again. (Chromium's session files may still hold the post, written before the entry was
// replaced: docs/security.md, item 815.)
func TestVerifyAnswerNotPostedAgainOnReload(t *testing.T) {
	profile := t.TempDir()
	ctx := browser(t, chromedp.UserDataDir(profile))
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n")
	sum := sha256.Sum256(o.release(ref))
	hexSum := hex.EncodeToString(sum[:])

	b := &tab{t: t, ctx: ctx, o: o}
	b.open("/verify", "#q")
	b.do(chromedp.SendKeys(chromedp.CSS("#q"), "sha256:"+hexSum), chromedp.Submit(chromedp.CSS("#q")), chromedp.WaitVisible(chromedp.CSS("#verdict")))
	if got := b.text("#main"); !strings.Contains(got, "Coordination of force movements") {
		t.Fatalf("the answer for the typed digest:\n%s", got)
	}
	b.do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#q")))
	answered, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.getElementById("verdict") !== null`))
	if err != nil {
		t.Fatal(err)
	}
	if answered {
		t.Errorf("a reload of the answer posted the digest again: %s", b.text("#main"))
	}
}
