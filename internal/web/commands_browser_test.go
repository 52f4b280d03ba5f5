package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"golang.org/x/text/language"
)

// drawnCommand is how Chromium drew one command of a page (a code element of class cmd): its
// text, the lines it is drawn on, and the words of it split across lines.
type drawnCommand struct {
	Text  string
	Lines int
	Split []string
}

// commandsJS measures every command in the page's main part: the lines its text is drawn on
// (the distinct tops of the boxes of its text), and each of its words (its spans) drawn in
// more than one box, which is a word broken across lines.
const commandsJS = `JSON.stringify([...document.querySelectorAll("main code.cmd")].map(c => {
  const r = document.createRange(); r.selectNodeContents(c);
  const tops = new Set([...r.getClientRects()].filter(b => b.width > 0).map(b => Math.round(b.top)));
  return {Text: c.textContent, Lines: tops.size,
    Split: [...c.querySelectorAll("span")].filter(s => s.getClientRects().length > 1).map(s => s.textContent)};
}))`

// TestCommandsNotBrokenAtHyphensInChromium: the verify page's note without JavaScript, in
// Arabic at 1000 px, broke "Get-FileHash FILE" at its hyphen, "Get-" at the end of one line
// and "FileHash FILE" at the start of the next, and a reader typing it from the page may type
// "Get- FileHash" (fifty-eighth session's not-fixed list). A command in a page is now drawn on
// one line there; on a 360 px phone, a command longer than the column breaks at its spaces
// only, no word of it at a hyphen, and no page scrolls sideways. A copy of the note is its
// text as written, without a non-breaking hyphen or anything else added.
func TestCommandsNotBrokenAtHyphensInChromium(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n")
	o.release(ref)
	if err := o.reg.SetPassword(context.Background(), o.actors["root"], "root", password("root")); err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: ctx, o: o}
	b.acceptLanguage("ar")
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	measure := func(page string, width int64) []drawnCommand {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](commandsJS))
		if err != nil {
			t.Fatal(err)
		}
		var cs []drawnCommand
		if err := json.Unmarshal([]byte(s), &cs); err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if len(c.Split) > 0 {
				t.Errorf("%s at %d px: %q is drawn with %q broken across lines", page, width, c.Text, c.Split)
			}
		}
		over, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth - window.innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if over > 0 {
			t.Errorf("%s at %d px scrolls sideways by %d px", page, width, over)
		}
		return cs
	}

	// The verify page's note without JavaScript, where "Get-" was left on its own.
	b.do(chromedp.EmulateViewport(1000, 900))
	b.open("/verify", "#verify-by-hand")
	cs := measure("the verify page", 1000)
	if got, _ := json.Marshal(cs); string(got) != `[{"Text":"sha256sum FILE","Lines":1,"Split":[]},{"Text":"shasum -a 256 FILE","Lines":1,"Split":[]},{"Text":"Get-FileHash FILE","Lines":1,"Split":[]}]` {
		t.Errorf("the verify page at 1000 px draws its commands %s: want each on one line", got)
	}
	copied, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const r = document.createRange();
	  r.selectNodeContents(document.getElementById("verify-by-hand")); const s = getSelection(); s.removeAllRanges(); s.addRange(r);
	  const t = s.toString(); s.removeAllRanges(); return t; })()`))
	if err != nil {
		t.Fatal(err)
	}
	note := i18n.For(language.Arabic).T("Computing the fingerprint needs JavaScript. Without it, compute it yourself and paste it below: <code class=\"cmd\">sha256sum FILE</code> on Linux, <code class=\"cmd\">shasum -a 256 FILE</code> on macOS, <code class=\"cmd\">Get-FileHash FILE</code> in Windows PowerShell.")
	note = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(note, "")
	if strings.Join(strings.Fields(copied), " ") != note || !strings.Contains(note, "Get-FileHash FILE") {
		t.Errorf("a copy of the note is %q, want %q", copied, note)
	}

	// On a phone: the public pages, and the members' pages with a command, each command
	// broken at its spaces at most, the longest (the result page's offline check) included.
	pages := []struct{ name, path, wait string }{
		{"the verify page", "/verify", "#verify-by-hand"},
		{"the result page", "/v/" + ref + "/" + o.code(ref), "#verdict"},
		{"the log page", "/log", "main h1"},
		{"the sign-in page", "/signin", "#password"},
	}
	b.do(chromedp.EmulateViewport(360, 800))
	for _, p := range pages {
		b.open(p.path, p.wait)
		if cs := measure(p.name, 360); len(cs) == 0 {
			t.Errorf("%s shows no command", p.name)
		}
	}
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
		return err
	}))
	b.open("/signin?next=/admin/members", "#password")
	b.signIn("root", "#member-rita")
	for _, width := range []int64{1000, 360} {
		b.do(chromedp.EmulateViewport(width, 800))
		b.open("/admin/members", "#member-rita")
		for _, c := range measure("the members page", width) {
			if width == 1000 && c.Lines != 1 {
				t.Errorf("the members page at 1000 px draws %q on %d lines", c.Text, c.Lines)
			}
		}
	}
}

// TestSealMessagesCommandNotBrokenInChromium: the verify page says of a seal file, chosen
// (its script's status line) or its fingerprint pasted (the page's error), that a seal "is
// checked offline, beside its letter, with chancery verify --offline", a plain text that broke
// at the command's hyphens in Arabic at 1000 px (fifty-eighth session's not-fixed list). The
// command is now drawn as the pages' commands are, on one line, and the text is unchanged.
func TestSealMessagesCommandNotBrokenInChromium(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	file := o.release(ref)
	sum := sha256.Sum256(file)
	st, err := o.reg.VerifyDigest(context.Background(), o.actors["otto"], seal.Digest("sha256:"+hex.EncodeToString(sum[:])))
	if err != nil || st.Seal == nil {
		t.Fatalf("the released letter's seal: %v", err)
	}
	sealFile := filepath.Join(t.TempDir(), ref+".pdf.seal")
	if err := os.WriteFile(sealFile, st.Seal.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
	sealSum := sha256.Sum256(st.Seal.Marshal())
	b := &tab{t: t, ctx: ctx, o: o}
	b.do(chromedp.EmulateViewport(1000, 900))
	ar := i18n.For(language.Arabic)
	for _, tc := range []struct{ name, open, wait, text string }{
		{"the line of a seal file chosen", "/verify", "#verify-status code.cmd",
			"This is a seal file, not a letter: choose the letter's own file. A seal is checked offline, beside its letter, with chancery verify --offline."},
		{"the answer to a seal's fingerprint pasted", "/verify?q=" + url.QueryEscape(hex.EncodeToString(sealSum[:])+"  "+ref+".pdf.seal"), "main p.error code.cmd",
			"This is the fingerprint of a seal file, not of a letter: compute the fingerprint of the letter's own file. A seal is checked offline, beside its letter, with chancery verify --offline."},
	} {
		for _, lang := range []string{"ar", "en"} {
			b.acceptLanguage(lang)
			if tc.open == "/verify" {
				b.open("/verify", "#verify-file")
				b.do(chromedp.SetUploadFiles(chromedp.CSS("#verify-file"), []string{sealFile}))
				b.do(chromedp.WaitVisible(chromedp.CSS(tc.wait)))
			} else {
				b.open(tc.open, tc.wait)
			}
			s, err := chromedp.Run(ctx, chromedp.Evaluate[string](commandsJS))
			if err != nil {
				t.Fatal(err)
			}
			var cs []drawnCommand
			if err := json.Unmarshal([]byte(s), &cs); err != nil {
				t.Fatal(err)
			}
			// The page's note without JavaScript is hidden (its commands are on no line).
			cs = slices.DeleteFunc(cs, func(c drawnCommand) bool { return c.Lines == 0 })
			if len(cs) != 1 || cs[0].Text != "chancery verify --offline" || cs[0].Lines != 1 || len(cs[0].Split) > 0 {
				t.Errorf("%s (%s) draws its command %+v: want it on one line", tc.name, lang, cs)
			}
			want := tc.text
			if lang == "ar" {
				want = ar.Text(want)
			}
			sel := "#verify-status"
			if tc.open != "/verify" {
				sel = "main p.error"
			}
			if got := b.text(sel); strings.Join(strings.Fields(got), " ") != want {
				t.Errorf("%s (%s) says %q, want %q", tc.name, lang, got, want)
			}
		}
	}
}

// TestRegistryErrorCommandsInChromium: the recipients page's error for a webhook
// named "Recipient:…" names 'chancery recipient add --webhook', a plain text that broke after
// its hyphens, "--" at the end of one line and "webhook" on the next, in English at 390 px and
// in Arabic at 412 px: the layout's commands function knew only chancery verify --offline
// (review of 0d67c44, fifty-ninth session). The letter page's error for a draft's dispatch
// named 'chancery draft send' in prose (the lead's decision, sixtieth session: every command
// the registry's errors name). Each is now drawn as the pages' commands are, on a phone's
// widths, and the error's text is unchanged.
func TestRegistryErrorCommandsInChromium(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	bg := context.Background()
	for _, name := range []string{"root", "otto"} {
		if err := o.reg.SetPassword(bg, o.actors["root"], name, password(name)); err != nil {
			t.Fatal(err)
		}
	}
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	if _, _, err := o.reg.AddRecipient(bg, o.actors["root"], registry.NewRecipient{Name: "apple", Emails: []string{"registry@apple.example"}}); err != nil {
		t.Fatal(err)
	}
	draft := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n")
	b := &tab{t: t, ctx: ctx, o: o}
	// check measures the page's error: one command, command, no word of it across lines, and
	// the error's text ends with want.
	check := func(page, lang string, width int64, command, want string) {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](commandsJS))
		if err != nil {
			t.Fatal(err)
		}
		var cs []drawnCommand
		if err := json.Unmarshal([]byte(s), &cs); err != nil {
			t.Fatal(err)
		}
		if len(cs) != 1 || cs[0].Text != command || len(cs[0].Split) > 0 {
			t.Errorf("the error of %s (%s, %d px) draws its command %+v: want %q drawn as a command, no word of it broken", page, lang, width, cs, command)
		}
		if got := strings.Join(strings.Fields(b.text("main p.error")), " "); !strings.HasSuffix(got, want) {
			t.Errorf("the error of %s (%s, %d px) says %q, want it to end %q", page, lang, width, got, want)
		}
	}
	b.open("/signin?next=/admin/recipients", "#password")
	b.signIn("root", "#w-name")
	for _, lang := range []string{"en", "ar"} {
		b.acceptLanguage(lang)
		want := i18n.For(language.Make(lang)).T("webhook name %q: names beginning with \"recipient:\" are those of recipients' endpoints, which 'chancery recipient add --webhook' adds", "Recipient:x")
		for _, width := range []int64{360, 390, 412} {
			b.do(chromedp.EmulateViewport(width, 800))
			b.open("/admin/recipients", "#w-name")
			b.do(chromedp.SendKeys(chromedp.CSS("#w-name"), "Recipient:x"), chromedp.SendKeys(chromedp.CSS("#w-url"), "https://hooks.example/in"),
				chromedp.Submit(chromedp.CSS("#w-url")), chromedp.WaitVisible(chromedp.CSS("main p.error")))
			check("the recipients page", lang, width, "chancery recipient add --webhook", want)
		}
	}

	// A release officer's dispatch of a draft, posted from its letter page (a form of the
	// page sent to the dispatch's address, as a stale page's would be).
	b.acceptLanguage("en")
	b.signOut()
	b.open("/signin?next=/letters/"+draft, "#password")
	b.signIn("otto", "main h1")
	for _, lang := range []string{"en", "ar"} {
		b.acceptLanguage(lang)
		want := i18n.For(language.Make(lang)).T("%s is not released: only a released letter leaves by dispatch (a draft leaves as a coordination copy: 'chancery draft send')", draft)
		for _, width := range []int64{360, 390, 412} {
			b.do(chromedp.EmulateViewport(width, 800))
			b.open("/letters/"+draft, "main h1")
			b.do(chromedp.Evaluate[chromedp.Void](`(() => { const f = document.createElement("form"); f.method = "post";
			  f.action = location.pathname + "/dispatch";
			  for (const [k, v] of [["csrf", document.querySelector("input[name=csrf]").value], ["recipient", "apple"]]) {
			    const i = document.createElement("input"); i.type = "hidden"; i.name = k; i.value = v; f.append(i); }
			  document.body.append(f); f.submit(); })()`), chromedp.WaitVisible(chromedp.CSS("main p.error")))
			check("the letter page", lang, width, "chancery draft send", want)
		}
	}
}
