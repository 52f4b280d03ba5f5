package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

// TestPreviewOverPlainHTTPNotFromElsewhere: an office that serves its registry over plain
// HTTP on its intranet, at a name other than loopback, gets no fetch metadata from browsers
// (they send Sec-Fetch-Site to secure origins only), while a signed-in member's session
// cookie (SameSite=Lax) still goes with a link followed from another site. In real Chromium,
// a link to the preview on another site, with or without a Referer, records no draft copy in
// the member's name; the member's own click on the letter page does, and the confirmation
// after the member's own form is still shown.
func TestPreviewOverPlainHTTPNotFromElsewhere(t *testing.T) {
	ctx := browser(t, chromedp.Flag("host-resolver-rules", "MAP registry.test 127.0.0.1, MAP elsewhere.test 127.0.0.1"))
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir, the forces will be repositioned.\n")
	port := o.srv.URL[strings.LastIndexByte(o.srv.URL, ':')+1:]
	site := "http://registry.test:" + port
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><a id="plain" href="%[1]s/letters/%[2]s/preview">plain</a> <a id="noref" rel="noreferrer" href="%[1]s/letters/%[2]s/preview">noreferrer</a>`, site, ref)
	}))
	t.Cleanup(elsewhere.Close)
	elsewhereURL := strings.Replace(elsewhere.URL, "127.0.0.1", "elsewhere.test", 1)

	copies := func() int {
		t.Helper()
		events, err := o.reg.Audit(context.Background(), o.actors["rita"], ref)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range events {
			if e.Action == "draft.preview" {
				n++
			}
		}
		return n
	}
	b := &tab{t: t, ctx: ctx, o: o}
	b.do(chromedp.Navigate(site + "/signin?next=/letters/" + ref))
	b.signIn("rita", "#versions")
	for _, link := range []string{"#plain", "#noref"} {
		b.do(chromedp.Navigate(elsewhereURL+"/"), chromedp.WaitVisible(chromedp.CSS(link)), chromedp.Click(chromedp.CSS(link)))
		// Refused, the tab shows the error page; served, the copy is recorded first.
		waitFor(t, func() bool {
			shown, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("p.error") !== null`))
			return shown || copies() > 0
		})
		if n := copies(); n != 0 {
			t.Fatalf("following the link %s on another site recorded %d draft copies in rita's name", link, n)
		}
	}
	b.do(chromedp.Navigate(site+"/letters/"+ref), chromedp.WaitVisible(chromedp.CSS(`a[href$="/preview"]`)),
		chromedp.Click(chromedp.CSS(`a[href$="/preview"]`)))
	waitFor(t, func() bool { return copies() > 0 })
	// The member's own form still gets its confirmation, by the Referer its redirect carries.
	b.do(chromedp.Navigate(site+"/letters/"+ref), chromedp.WaitVisible(chromedp.CSS("#approve")),
		chromedp.Click(chromedp.CSS("#approve")), chromedp.WaitVisible(chromedp.CSS("p.notice")))
	if got := b.text("p.notice"); got != "Your approval is recorded." {
		t.Errorf("the notice after rita's approval: %q", got)
	}
}

// waitFor polls cond for up to 20 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out")
}
