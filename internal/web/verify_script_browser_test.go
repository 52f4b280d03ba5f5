package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// shownOnPage reports whether the page draws the element sel selects.
func (b *tab) shownOnPage(sel string) bool {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(() => { const e = document.querySelector(`+strconv.Quote(sel)+`); return !!e && e.getClientRects().length > 0; })()`))
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// blockScript makes the tab's browser fail to load the page's script at path, as a network
// error, a content blocker or a proxy would; an empty path lets every script load again.
func (b *tab) blockScript(path string) {
	b.t.Helper()
	var patterns []*network.BlockPattern
	if path != "" {
		patterns = append(patterns, &network.BlockPattern{URLPattern: "*://*:*" + path, Block: true})
	}
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: patterns})
		return err
	}))
}

// TestVerifyPageScriptFails: in a browser that runs JavaScript but did not get the verify
// page's script (a network error, a content blocker, a proxy that strips it), the section
// "With the file" said only that the browser computes the fingerprint: the drop zone is
// shown by the script, and the note on computing it by hand was in a noscript element, which
// such a browser does not show. The note is now in the page, hidden by the script when it
// shows the drop zone, in every language.
func TestVerifyPageScriptFails(t *testing.T) {
	ctx := browser(t)
	o, _ := a11yOffice(t)
	b := &tab{t: t, ctx: ctx, o: o}
	for lang, want := range map[string]string{
		"en": "compute it yourself",
		"fr": "calculez-la vous-même",
		"ar": "فاحسبها بنفسك",
	} {
		b.acceptLanguage(lang)
		b.blockScript("/static/verify.js")
		b.open("/verify", "#q")
		section := b.text("section[aria-labelledby=by-file]")
		if b.shownOnPage("#drop") || !b.shownOnPage("#verify-by-hand") || !strings.Contains(section, want) {
			t.Errorf("%s, the page's script not loaded: the file's section does not say how to check a file:\n%s", lang, section)
		}
		// With its script, the page shows the drop zone, not the note.
		b.blockScript("")
		b.open("/verify", "#verify-file")
		if !b.shownOnPage("#drop") || b.shownOnPage("#verify-by-hand") {
			t.Errorf("%s, with the page's script: the drop zone shown %v, the note on computing by hand shown %v", lang, b.shownOnPage("#drop"), b.shownOnPage("#verify-by-hand"))
		}
	}
}
