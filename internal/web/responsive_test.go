package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

// TestResponsive opens the public and the members' pages at phone width (390 px) and at
// desktop width (1280 px) in Chromium: no page scrolls sideways, long digests wrap, and the
// skip link leads to the content. With CHANCERY_UPDATE_SCREENSHOTS=1 it saves each page as
// docs/screenshots/<page>-<width>.png.
func TestResponsive(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1, BaseURL: "https://tfn.example"})
	ref := o.letter("Coordination of force movements along the northern border and the liaison arrangements",
		"# Coordination\n\nSir,\n\nTask Force North will reposition several units.\n")
	o.release(ref)
	draft := o.letter("Repositioning of forces", "# Repositioning\n\nUnits will leave.\n")
	if err := o.reg.SetPassword(context.Background(), o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	unknown := "/verify?digest=sha256:" + strings.Repeat("ab", 32)
	pages := []struct{ name, path, wait string }{
		{"verify", "/verify", "#verify-file"},
		{"verify-unknown", unknown, "#verdict"},
		{"verify-holder", "/v/" + ref + "/" + o.code(ref), "#verdict"},
		{"not-found", "/no/such/page", "main h1"},
		{"inbox", "/inbox", "#waiting"},
		{"letter", "/letters/" + ref, "#versions"},
		{"letter-draft", "/letters/" + draft, "#versions"},
		{"letters", "/letters?q=coordination", "#q"},
		{"members", "/admin/members", "#member-rita"},
	}
	for _, width := range []int64{390, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			b := &tab{t: t, ctx: ctx, o: o}
			b.do(chromedp.EmulateViewport(width, 844))
			signedIn := false
			for _, p := range pages {
				if p.name == "inbox" && !signedIn {
					// The admin sees every member page, the admin's own included.
					b.open("/signin?next=/inbox", "#password")
					// Wait for the inbox itself: the sign-in page has a #main too, and a
					// navigation started before the form's redirect lands would be aborted.
					b.signIn("root", "#waiting")
					signedIn = true
				}
				b.open(p.path, p.wait)
				over, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth - window.innerWidth`))
				if err != nil {
					t.Fatal(err)
				}
				if over > 0 {
					t.Errorf("%s at %d px scrolls sideways by %d px", p.name, width, over)
				}
				if os.Getenv("CHANCERY_UPDATE_SCREENSHOTS") == "1" {
					png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					name := filepath.Join("..", "..", "docs", "screenshots", fmt.Sprintf("%s-%d.png", p.name, width))
					if err := os.WriteFile(name, png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			// The skip link is the first thing the keyboard reaches, and it leads to the content.
			href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("body > a.skip").getAttribute("href")`))
			if err != nil || href != "#main" {
				t.Errorf("skip link %q, %v", href, err)
			}
			b.signOut()
		})
	}

	// A path nothing serves: a page for people, JSON for the API.
	for path, want := range map[string]string{"/no/such/page": "text/html", "/api/v1/no-such-endpoint": "application/json"} {
		resp, err := http.Get(o.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), want) {
			t.Errorf("GET %s: %d %s\n%s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}
