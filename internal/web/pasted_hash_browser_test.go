package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// TestVerifyTakesAHashToolsAnswerPasted: the verify page without JavaScript named only
// sha256sum for computing the fingerprint by hand; it now names shasum (macOS) and
// Get-FileHash (Windows PowerShell) too, in every language. What each tool prints, and
// certutil -hashfile's three lines (its digest's bytes apart before Windows 10), copied and
// pasted into the one-line field, which Chromium joins with spaces, answers for the file.
func TestVerifyTakesAHashToolsAnswerPasted(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n")
	sum := sha256.Sum256(o.release(ref))
	h := hex.EncodeToString(sum[:])
	b := &tab{t: t, ctx: ctx, o: o}
	scripts := func(on bool) {
		b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
			return err
		}))
	}
	// key presses Ctrl with the key, sending the browser's editing command (copy, paste) as
	// the keyboard shortcut does.
	key := func(k string, code int64, command string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeRawKeyDown,
				Key: k, Code: "Key" + strings.ToUpper(k), WindowsVirtualKeyCode: code, Modifiers: 2, Commands: []string{command}}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp,
				Key: k, Code: "Key" + strings.ToUpper(k), WindowsVirtualKeyCode: code, Modifiers: 2})
			return err
		})
	}

	for lang, want := range map[string][]string{
		"en": {"sha256sum FILE", "shasum -a 256 FILE", "Get-FileHash FILE", "Windows PowerShell", "macOS"},
		"fr": {"sha256sum FILE", "shasum -a 256 FILE", "Get-FileHash FILE", "sous macOS", "dans Windows PowerShell"},
		"ar": {"sha256sum FILE", "shasum -a 256 FILE", "Get-FileHash FILE", "في macOS", "في Windows PowerShell"},
	} {
		b.acceptLanguage(lang)
		scripts(false)
		b.open("/verify", "#verify-by-hand")
		note := b.text("#verify-by-hand")
		for _, w := range want {
			if !strings.Contains(note, w) {
				t.Errorf("%s: the note on computing the fingerprint by hand does not say %q:\n%s", lang, w, note)
			}
		}
		scripts(true)
	}
	b.acceptLanguage("en")

	for name, printed := range map[string]string{
		"sha256sum": h + "  " + ref + ".pdf\n",
		"shasum":    h + "  /Users/me/Downloads/" + ref + ".pdf\n",
		"Get-FileHash": "\r\nAlgorithm       Hash                                                                   Path\r\n" +
			"---------       ----                                                                   ----\r\n" +
			"SHA256          " + strings.ToUpper(h) + "       C:\\Users\\me\\Downloads\\" + ref + ".pdf\r\n\r\n",
		"certutil":                   "SHA256 hash of C:\\Users\\me\\Downloads\\" + ref + ".pdf:\r\n" + h + "\r\nCertUtil: -hashfile command completed successfully.\r\n",
		"certutil before Windows 10": "SHA256 hash of file C:\\Users\\me\\Downloads\\" + ref + ".pdf:\r\n" + bytesApart(h) + "\r\nCertUtil: -hashfile command completed successfully.\r\n",
	} {
		// What the tool printed, selected and copied.
		b.open("/verify", "#q")
		b.do(chromedp.Evaluate[chromedp.Void](`(() => { const a = document.createElement('textarea'); a.value = `+strconv.Quote(printed)+`; document.body.append(a); a.focus(); a.select(); })()`),
			key("c", 67, "copy"))
		// Pasted into the field of the page without JavaScript.
		scripts(false)
		b.open("/verify", "#q")
		b.do(chromedp.Focus(chromedp.CSS("#q")), key("v", 86, "paste"))
		pasted, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#q")))
		if err != nil || !strings.Contains(strings.ToLower(pasted), h[:2]) {
			t.Fatalf("%s: the field holds %q after the paste (%v)", name, pasted, err)
		}
		// The answer, or the form again with its refusal.
		b.do(chromedp.Click(chromedp.CSS("form[action='/verify'] button")), chromedp.WaitVisible(chromedp.CSS("#verdict, p.error")))
		if got := b.text("#verdict, p.error"); !strings.Contains(got, "Released and valid") {
			t.Errorf("%s's answer pasted (%q): the page answers %q\n%s", name, pasted, got, b.text("#main"))
		}
		scripts(true)
	}
}
