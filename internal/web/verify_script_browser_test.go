package web_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
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

// TestSameFileChosenAgain: a file the verify page gets no answer for, a seal or a file that
// could not be read, stayed chosen in the file input, so that choosing it again (the file
// now readable, or chosen by mistake twice) was no change to the browser: nothing was
// checked and the status, which a screen reader announces, said nothing more. The page now
// empties the input once it has said why, and the same file chosen again is answered again.
func TestSameFileChosenAgain(t *testing.T) {
	ctx := browser(t)
	o, _ := a11yOffice(t)
	b := &tab{t: t, ctx: ctx, o: o}
	dir := t.TempDir()
	sealFile := filepath.Join(dir, "letter.seal")
	if err := os.WriteFile(sealFile, []byte(`{"chancery_seal": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	// A file not there yet, as one still being copied or on a drive not yet reachable: the
	// browser cannot read it.
	later := filepath.Join(dir, "letter.pdf")
	b.open("/verify", "#verify-file")
	// said counts the status's changes, which a screen reader announces.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.said = 0; new MutationObserver(ms => { window.said += ms.length; }).observe(document.getElementById("verify-status"), {childList: true, characterData: true, subtree: true}); 0`)); err != nil {
		t.Fatal(err)
	}
	choose := func(file, want string, round int) {
		t.Helper()
		b.do(chromedp.SetUploadFiles(chromedp.CSS("#verify-file"), []string{file}))
		wait, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		// Each choice is said twice: the fingerprint being computed, then why there is no answer.
		if _, err := chromedp.Run(wait, chromedp.Poll[bool](`window.said >= `+strconv.Itoa(2*round)+` && document.getElementById("verify-status").textContent.startsWith(`+strconv.Quote(want)+`)`)); err != nil {
			got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.said + " changes: " + document.getElementById("verify-status").textContent`))
			t.Fatalf("%s chosen (choice %d): the status is not said again (%s)", filepath.Base(file), round, got)
		}
	}
	choose(sealFile, "This is a seal file", 1)
	choose(sealFile, "This is a seal file", 2)
	choose(later, "This file could not be read.", 3)
	if err := os.WriteFile(later, []byte("%PDF-1.7\nnot a letter of this office\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#verify-file"), []string{later}), chromedp.WaitVisible(chromedp.CSS("#verdict")))
	if got := b.text("#verdict"); got != "Unknown to this registry" {
		t.Errorf("the file chosen again once readable is answered %q", got)
	}
}

// accessibleName is the name Chromium's accessibility tree gives the element sel selects,
// which a screen reader says and speech input matches.
func (b *tab) accessibleName(sel string) string {
	b.t.Helper()
	var name string
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		e, err := cdp.Call(ctx, tg, runtime.Evaluate, runtime.EvaluateParams{Expression: `document.querySelector(` + strconv.Quote(sel) + `)`})
		if err != nil {
			return err
		}
		if e.Result == nil || e.Result.ObjectID == "" {
			b.t.Fatalf("no element %s", sel)
		}
		no := false
		tree, err := cdp.Call(ctx, tg, accessibility.GetPartialAXTree, accessibility.GetPartialAXTreeParams{ObjectID: e.Result.ObjectID, FetchRelatives: &no})
		if err != nil {
			return err
		}
		if len(tree.Nodes) > 0 && tree.Nodes[0].Name != nil {
			return json.Unmarshal(tree.Nodes[0].Name.Value, &name)
		}
		return nil
	}))
	return name
}

// TestFileInputNamedAsShown: the verify page's file input, unseen over its drop zone, shows
// a button, "Choose a file", whose words were not in its name (only its label's, "Choose the
// letter's file, or drop it here"): a speech-input user who said "click Choose a file" was
// not understood (WCAG 2.5.3, label in name). Its name is now both texts, in every language.
func TestFileInputNamedAsShown(t *testing.T) {
	ctx := browser(t)
	o, _ := a11yOffice(t)
	b := &tab{t: t, ctx: ctx, o: o}
	for _, lang := range []string{"en", "fr", "ar"} {
		b.acceptLanguage(lang)
		b.open("/verify", "#verify-file")
		label, button := strings.TrimSpace(b.text(`label[for="verify-file"]`)), strings.TrimSpace(b.text("#drop .button"))
		if name := b.accessibleName("#verify-file"); !strings.Contains(name, label) || !strings.Contains(name, button) {
			t.Errorf("%s: the file input is named %q, not with its label %q and its button's words %q", lang, name, label, button)
		}
	}
}

// TestVerifyPageCannotHash: a browser that cannot hash a file, without crypto.subtle (a page
// served over plain HTTP from another host) and without the page's own SHA-256 (sha256.js
// not loaded), was shown the drop zone, and every file chosen was answered "This file could
// not be read.", the note on computing the fingerprint by hand hidden. It now keeps the note
// and is shown no drop zone; with sha256.js, the drop zone is there.
func TestVerifyPageCannotHash(t *testing.T) {
	ctx := browser(t)
	o, _ := a11yOffice(t)
	b := &tab{t: t, ctx: ctx, o: o}
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `Object.defineProperty(Crypto.prototype, "subtle", {get: () => undefined});`})
		return err
	}))
	b.blockScript("/static/sha256.js")
	b.open("/verify", "#q")
	if sub, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(window.crypto && window.crypto.subtle)`)); sub {
		t.Fatal("the browser still has crypto.subtle")
	}
	if b.shownOnPage("#drop") || !b.shownOnPage("#verify-by-hand") {
		t.Errorf("a browser that cannot hash: the drop zone shown %v, the note on computing by hand shown %v", b.shownOnPage("#drop"), b.shownOnPage("#verify-by-hand"))
	}
	b.blockScript("")
	b.open("/verify", "#verify-file")
	if !b.shownOnPage("#drop") || b.shownOnPage("#verify-by-hand") {
		t.Errorf("with sha256.js, without crypto.subtle: the drop zone shown %v, the note on computing by hand shown %v", b.shownOnPage("#drop"), b.shownOnPage("#verify-by-hand"))
	}
}
