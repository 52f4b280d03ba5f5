package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

func TestLettersPage(t *testing.T) {
	o := newOffice(t, server.Config{})
	draft := o.letter("Coordination of force movements", "# Coordination\n\nSir, the troop withdrawal is postponed.\n")
	released := o.letter("Exercise in March", "# Exercise\n\nSir, the exercise takes place in March.\n")
	o.release(released)

	// Letters are confidential: the public is sent to sign in and sees no letter.
	anon := o.client()
	resp, body := anon.get("/letters?q=coordination")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin?next=") || strings.Contains(body, draft) {
		t.Errorf("GET /letters for the public: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	if _, body := anon.get("/verify"); strings.Contains(body, `href="/letters"`) {
		t.Error("the public's navigation links to the letters page")
	}

	c := o.client()
	c.signIn("rita")
	_, body = c.get("/inbox")
	if !strings.Contains(body, `<a href="/letters">Letters</a>`) {
		t.Error("a member's navigation has no link to the letters page")
	}
	resp, body = c.get("/letters")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("GET /letters: %s, Cache-Control %q", resp.Status, resp.Header.Get("Cache-Control"))
	}
	if !strings.Contains(body, `href="/letters/`+draft+`"`) || !strings.Contains(body, `href="/letters/`+released+`"`) ||
		strings.Index(body, released) > strings.Index(body, draft) {
		t.Errorf("every letter, newest first: the page lists\n%s", body)
	}
	for _, tc := range []struct {
		query      string
		want, miss []string
	}{
		{"?q=" + url.QueryEscape(draft), []string{draft, "found in the reference"}, []string{released}},
		{"?q=force+movements", []string{draft, "found in the subject"}, []string{released}},
		{"?q=ministry+of+defence&state=released", []string{released, "found in the addressee"}, []string{draft}},
		{"?q=WITHDRAWAL", []string{draft, "found in the text"}, []string{released}},
		{"?q=place+in+march", []string{released, "found in the text"}, []string{draft}},
		{"?state=draft", []string{draft}, []string{released}},
		{"?class=press", []string{"No letter matches."}, []string{draft, released}},
		{"?q=armistice", []string{"No letter matches."}, []string{draft, released}},
	} {
		resp, body := c.get("/letters" + tc.query)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", tc.query, resp.Status)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the page does not show %q", tc.query, w)
			}
		}
		for _, m := range tc.miss {
			if strings.Contains(body, `href="/letters/`+m+`"`) {
				t.Errorf("%s: the page lists %s", tc.query, m)
			}
		}
	}
	// The form keeps the query; a refused query is explained on the page, with the form.
	_, body = c.get("/letters?q=troop&state=draft")
	if !strings.Contains(body, `value="troop"`) || !strings.Contains(body, `<option value="draft" selected>`) {
		t.Error("the form does not keep the query")
	}
	resp, body = c.get("/letters?state=valid")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `class="error"`) || !strings.Contains(body, `id="q"`) {
		t.Errorf("a bad state: %s", resp.Status)
	}
	// Markup in a query is text.
	_, body = c.get("/letters?q=" + url.QueryEscape(`<script>x</script>`))
	if strings.Contains(body, "<script>x") {
		t.Error("the query is not escaped")
	}
}

// TestBrowserSearch: a member searches from the navigation in a real browser and follows a
// result to the letter.
func TestBrowserSearch(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir, the troop withdrawal is postponed.\n")
	o.letter("Another letter", "# Another\n\nSir, nothing to see.\n")
	b := &tab{t: t, ctx: ctx, o: o}
	b.open("/signin", "#password")
	b.signIn("sam", "#waiting")
	b.do(chromedp.Click(chromedp.CSS(`nav a[href="/letters"]`)), chromedp.WaitVisible(chromedp.CSS("#q")))
	if got := b.text("#letters"); !strings.Contains(got, ref) || !strings.Contains(got, "Another letter") {
		t.Errorf("the letters page lists:\n%s", got)
	}
	// The results page keeps the query in the field's value attribute, which typing into the
	// page before it does not set: waiting for it waits for the new page (the result's link
	// is on the page before it too, and reading that page as it went away failed).
	b.do(chromedp.SendKeys(chromedp.CSS("#q"), "troop withdrawal"), chromedp.Submit(chromedp.CSS("#q")),
		chromedp.WaitVisible(chromedp.CSS(`#q[value="troop withdrawal"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#letters a[href="/letters/`+ref+`"]`)))
	if got := b.text("#letters"); strings.Contains(got, "Another letter") || !strings.Contains(got, "found in the text") {
		t.Errorf("search for a phrase of the text lists:\n%s", got)
	}
	b.do(chromedp.Click(chromedp.CSS(`#letters a[href="/letters/`+ref+`"]`)), chromedp.WaitVisible(chromedp.CSS("#versions")))
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || loc != o.srv.URL+"/letters/"+ref {
		t.Errorf("the result led to %s (%v)", loc, err)
	}
}
