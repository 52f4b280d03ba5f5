package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

// elsewhere serves page as the one page of another site: http://localhost:PORT, which is
// cross-site to the office's http://127.0.0.1:PORT (and, being loopback, a secure origin to
// which Chromium sends fetch metadata).
func elsewhere(t *testing.T, page string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)
	return strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
}

// wrongCode is a check code of the right form that is not code.
func wrongCode(code string, i int) string {
	return code[:len(code)-2] + fmt.Sprintf("%02x", (i+1)%256)
}

// TestOtherSitesImagesDoNotSpendCheckCodes: in real Chromium, a page of another site that
// shows a visitor twelve invisible images of wrong check codes of a letter (more than the
// burst of wrong codes a client has) does not lock the visitor out: their own QR code page
// (a top-level navigation, Sec-Fetch-Site none) then shows the letter, and a link to it from
// another site (a mail read in a webmail) opens it too.
func TestOtherSitesImagesDoNotSpendCheckCodes(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir, the forces will be repositioned.\n")
	o.release(ref)
	code := o.code(ref)
	var imgs strings.Builder
	for i := range server.CodeBurst + 2 {
		fmt.Fprintf(&imgs, `<img src="%s/v/%s/%s" alt="">`, o.srv.URL, ref, wrongCode(code, i))
	}
	page := elsewhere(t, `<!doctype html>`+imgs.String()+fmt.Sprintf(`<a id="mail" href="%s/v/%s/%s">your letter</a>`, o.srv.URL, ref, code))
	b := &tab{t: t, ctx: ctx, o: o}
	b.do(chromedp.Navigate(page+"/"), chromedp.WaitVisible(chromedp.CSS("#mail")))
	waitFor(t, func() bool {
		done, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.images].every(i => i.complete)`))
		return done
	})
	b.do(chromedp.Navigate(o.srv.URL+"/v/"+ref+"/"+code), chromedp.WaitReady(chromedp.CSS("body")))
	if got := b.text("body"); !strings.Contains(got, "Coordination of force movements") {
		t.Fatalf("the holder's own QR code page after another site's images: %.300s", got)
	}
	b.do(chromedp.Navigate(page+"/"), chromedp.WaitVisible(chromedp.CSS("#mail")), chromedp.Click(chromedp.CSS("#mail")))
	waitFor(t, func() bool {
		got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		return strings.Contains(got, "Coordination of force movements")
	})
}

// TestOtherSitesLinkDoesNotSwitchLanguage: in real Chromium, a link on another site to the
// language switch changes nothing (the visitor gets a page that says so, with the switch
// itself), while the site's own switch still changes the language.
func TestOtherSitesLinkDoesNotSwitchLanguage(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	page := elsewhere(t, fmt.Sprintf(`<!doctype html><a id="ar" href="%s/lang/ar?next=/verify">arabic</a>`, o.srv.URL))
	b := &tab{t: t, ctx: ctx, o: o}
	lang := func() string {
		t.Helper()
		l, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	b.do(chromedp.Navigate(page+"/"), chromedp.WaitVisible(chromedp.CSS("#ar")), chromedp.Click(chromedp.CSS("#ar")))
	waitFor(t, func() bool {
		at, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState == "complete" ? location.origin : ""`))
		return at == o.srv.URL
	})
	if got := b.text("body"); !strings.Contains(got, "The language was not changed") {
		t.Errorf("another site's link to /lang/ar shows %.200q", got)
	}
	b.open("/verify", "main")
	if l := lang(); l != "en" {
		t.Fatalf("after another site's link to /lang/ar the verify page is in %q", l)
	}
	b.do(chromedp.Click(chromedp.CSS(`nav.languages a[lang="ar"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="ar"]`)))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != o.srv.URL+"/verify" {
		t.Errorf("the site's own switch went to %s", loc)
	}
}

// TestCheckCodeRefusedToOtherSitesSubresources: the fetch metadata each kind of request
// carries decides, before any limit counts it: another site's image, frame, script fetch or
// prefetch of a check code's page is refused (403) and spends nothing, while a navigation
// from another site (a link in a mail), the QR code opened by a phone's camera, the site's
// own pages and a program (no fetch metadata) are served.
func TestCheckCodeRefusedToOtherSitesSubresources(t *testing.T) {
	o := newOffice(t, server.Config{})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir, the forces will be repositioned.\n")
	o.release(ref)
	code := o.code(ref)
	c := o.client()
	meta := func(site, mode, dest string) map[string]string {
		return map[string]string{"Sec-Fetch-Site": site, "Sec-Fetch-Mode": mode, "Sec-Fetch-Dest": dest}
	}
	refused := []map[string]string{
		meta("cross-site", "no-cors", "image"),
		meta("same-site", "no-cors", "image"),
		meta("cross-site", "cors", "empty"),
		meta("cross-site", "navigate", "iframe"),
		meta("cross-site", "no-cors", "script"),
		{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document", "Sec-Purpose": "prefetch"},
	}
	for i := range 2 * server.CodeBurst {
		hdr := refused[i%len(refused)]
		if resp, _ := c.do("GET", "/v/"+ref+"/"+wrongCode(code, i), nil, hdr); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a wrong code with %v: %s, want 403", hdr, resp.Status)
		}
	}
	for i := range 2 * server.CodeBurst {
		hdr := refused[i%len(refused)]
		if resp, _ := c.do("GET", "/api/v1/letters/"+ref+"/file?code="+wrongCode(code, i), nil, hdr); resp.StatusCode != http.StatusForbidden {
			t.Errorf("the API's file with a wrong code and %v: %s, want 403", hdr, resp.Status)
		}
	}
	for _, hdr := range []map[string]string{
		meta("none", "navigate", "document"),       // the QR code, opened by a phone's camera
		meta("cross-site", "navigate", "document"), // a link in a mail read in a webmail
		meta("same-origin", "navigate", "document"),
		nil, // a program
	} {
		if resp, body := c.do("GET", "/v/"+ref+"/"+code, nil, hdr); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Coordination of force movements") {
			t.Errorf("the right code with %v after other sites' requests: %s", hdr, resp.Status)
		}
	}
	if resp, _ := c.get("/api/v1/letters/" + ref + "/file?code=" + code); resp.StatusCode != http.StatusOK {
		t.Errorf("a program's request for the file: %s", resp.Status)
	}
}
