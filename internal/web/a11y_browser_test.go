package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// a11yLetter is a letter long enough for its text to be identified when pasted.
const a11yLetter = "# Coordination of force movements\n\nSir,\n\nTask Force North will reposition several units along the northern border over the coming weeks. " +
	"The liaison officers will report daily to the ministry on each movement, and the schedule attached to this letter gives the dates, the routes " +
	"and the number of vehicles of each convoy. We ask that the border posts be told in advance, so that no convoy is held at a crossing, " +
	"and that any change to the schedule be sent to the liaison office at once.\n\nYours faithfully,\n"

// a11yOffice is an office with a released letter, a retracted one, a superseded one and a
// draft, and the public addresses of their answers, by outcome.
func a11yOffice(t *testing.T) (*office, map[string]string) {
	t.Helper()
	o := newOffice(t, server.Config{RateLimit: -1, BaseURL: "https://tfn.example"})
	ref := o.letter("Coordination of force movements", a11yLetter)
	o.release(ref)
	gone := o.letter("Press statement", "Training from 3 to 14 February.\n")
	o.release(gone)
	o.withdraw(gone, "", "The training dates were wrong.")
	old := o.letter("Old statement", "Old text of the statement.\n")
	o.release(old)
	replacement := o.letter("New statement", "New text of the statement.\n")
	o.release(replacement)
	o.withdraw(old, replacement, "Replaced by the new one.")
	const draft = "# Repositioning\n\nUnits will leave.\n"
	o.letter("Repositioning of forces", draft)
	d := sha256.Sum256([]byte(draft))
	return o, map[string]string{
		"valid":            "/v/" + ref + "/" + o.code(ref),
		"valid-reference":  "/v/" + ref,
		"retracted":        "/v/" + gone + "/" + o.code(gone),
		"withdrawn":        "/v/" + gone,
		"superseded":       "/v/" + old + "/" + o.code(old),
		"draft":            "/verify?digest=sha256:" + hex.EncodeToString(d[:]),
		"unknown":          "/v/TFN-2026-999999",
		"unknown-file":     "/verify?digest=sha256:" + strings.Repeat("ab", 32),
		"draft-preview":    "/v/" + ref + "/PREVIEW",
		"wrong-check-code": "/v/" + ref + "/" + strings.Repeat("a", 26),
	}
}

// verdictOf is a heading's words without the sign before them (✔, ✖, ⚠), which the
// title leaves out.
func verdictOf(s string) string {
	return strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(s), "✔✖⚠"))
}

// TestVerifyAnswersTitleTheVerdict: the title of every public answer, which a screen reader
// reads first and a browser's tab shows, says its verdict as its heading does, in English,
// French and Arabic: the pages that answer for a file, a reference or a check code, and the
// answer for pasted text (before, "What this text is", whatever the answer).
func TestVerifyAnswersTitleTheVerdict(t *testing.T) {
	ctx := browser(t)
	o, pages := a11yOffice(t)
	altered := strings.Replace(a11yLetter, "several units", "four brigades", 1)
	texts := map[string]string{
		"text-valid":   a11yLetter,
		"text-altered": altered,
		"text-unknown": strings.Repeat("Nothing this office ever wrote, about anything at all. ", 10),
		// The text of a withdrawn letter, whose answer has a title of its own.
		"text-retracted":  "Training from 3 to 14 February.\n",
		"text-superseded": "Old text of the statement.\n",
	}
	for _, lang := range []string{"en", "fr", "ar"} {
		b := &tab{t: t, ctx: ctx, o: o}
		b.acceptLanguage(lang)
		check := func(name string) {
			t.Helper()
			title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
			if err != nil {
				t.Fatal(err)
			}
			heading := b.text("#verdict")
			want := verdictOf(heading)
			if got := strings.TrimSuffix(title, " · Chancery"); !strings.EqualFold(got, want) {
				t.Errorf("%s, %s: the title is %q, the verdict %q", lang, name, title, want)
			}
		}
		for name, path := range pages {
			b.open(path, "#verdict")
			check(name)
		}
		for name, text := range texts {
			b.open("/verify", "#text")
			b.do(chromedp.SetValue(chromedp.CSS("#text"), text),
				chromedp.Click(chromedp.CSS("#identify button")), chromedp.WaitVisible(chromedp.CSS("#verdict")))
			check(name)
		}
	}
}

// focusContrastJS measures the focus indicator of the focused element (of the drop zone for
// the file input, which is unseen): the highest contrast ratio between the colours it draws
// (its outline and its box-shadow's rings) and the background around the element. It returns
// the element and the ratio, or "" for no element.
const focusContrastJS = `(() => {
  let e = document.activeElement;
  if (!e || e === document.body) { return ""; }
  const name = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + " " + (e.textContent || "").trim().slice(0, 30);
  if (e.id === "verify-file") { e = document.getElementById("drop"); }
  const rgb = s => { const m = s.match(/rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/); return m && (m[4] === undefined || +m[4] > 0.5) ? [+m[1], +m[2], +m[3]] : null; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  let bg = [255, 255, 255];
  for (let p = e.parentElement; p; p = p.parentElement) { const c = rgb(getComputedStyle(p).backgroundColor); if (c) { bg = c; break; } }
  const cs = getComputedStyle(e), drawn = [];
  if (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2) { const c = rgb(cs.outlineColor); if (c) { drawn.push(c); } }
  for (const m of (cs.boxShadow || "").matchAll(/rgba?\([^)]*\)/g)) { const c = rgb(m[0]); if (c) { drawn.push(c); } }
  return name + "\t" + Math.max(0, ...drawn.map(c => ratio(c, bg))).toFixed(2);
})()`

// focusedJS tells what Tab just focused: "end" past the page's last control, "again" for a
// control already reached since the page was loaded, "verdict" for a new one inside the
// answer's coloured verdict, "" for another new one. Controls are told apart as elements,
// not by their words: two links "inclusion proof" are two controls.
const focusedJS = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return "end"; }
  window.focusSeen = window.focusSeen || new Set();
  if (window.focusSeen.has(e)) { return "again"; }
  window.focusSeen.add(e);
  return e.closest(".outcome") ? "verdict" : "";
})()`

// TestFocusIsSeenOnVerifyPages: on the verify page and its answers, every control the
// keyboard reaches with Tab is drawn with a focus indicator of a contrast of 3:1 at least
// against what surrounds it (WCAG 1.4.11), on the white page as on the coloured verdicts:
// the links inside the answers for pasted text are on green, red and orange. Before, the
// indicator was one amber outline, 2.1:1 against white. (Its first version stopped at the
// first control whose words it had met already, the second "inclusion proof" of a holder's
// page, and never reached a control on a coloured verdict but the green one.)
func TestFocusIsSeenOnVerifyPages(t *testing.T) {
	ctx := browser(t)
	o, pages := a11yOffice(t)
	b := &tab{t: t, ctx: ctx, o: o}
	texts := map[string]string{
		"text-valid":      a11yLetter,
		"text-altered":    strings.Replace(a11yLetter, "several units", "four brigades", 1),
		"text-retracted":  "Training from 3 to 14 February.\n",
		"text-superseded": "Old text of the statement.\n",
	}
	for _, path := range []string{"/verify", pages["valid"], pages["retracted"], pages["superseded"], pages["valid-reference"], pages["unknown-file"],
		"text-valid", "text-altered", "text-retracted", "text-superseded"} {
		if text, ok := texts[path]; ok {
			b.open("/verify", "#text")
			b.do(chromedp.SetValue(chromedp.CSS("#text"), text),
				chromedp.Click(chromedp.CSS("#identify button")), chromedp.WaitVisible(chromedp.CSS("#verdict")))
		} else {
			b.open(path, "main h1")
		}
		// The page is shown before its stylesheet may be read: until then, focus is drawn
		// the browser's way.
		loaded, cancel := context.WithTimeout(ctx, 20*time.Second)
		_, err := chromedp.Run(loaded, chromedp.Poll[bool](`document.readyState === "complete"`))
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		seen, inVerdict := map[string]bool{}, 0
		for i := 0; ; i++ {
			if i == 80 {
				t.Fatalf("%s: 80 presses of Tab do not go round the page", path)
			}
			b.do(chromedp.KeyEvent("\t"))
			where, err := chromedp.Run(ctx, chromedp.Evaluate[string](focusedJS))
			if err != nil {
				t.Fatal(err)
			}
			if where == "end" || where == "again" {
				break
			}
			if where == "verdict" {
				inVerdict++
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](focusContrastJS))
			if err != nil {
				t.Fatal(err)
			}
			name, r, _ := strings.Cut(got, "\t")
			seen[name] = true
			if v, err := strconv.ParseFloat(r, 64); err != nil || v < 3 {
				t.Errorf("%s: %s is focused with a contrast of %s:1", path, name, r)
			}
		}
		if path == "/verify" && !seen["input#verify-file "] {
			t.Errorf("the keyboard does not reach the file input: %v", seen)
		}
		if _, ok := texts[path]; ok && inVerdict == 0 {
			t.Errorf("%s: the keyboard reaches no control inside the verdict", path)
		}
		if path == pages["retracted"] && !seen["a Download the released letter"] {
			t.Errorf("%s: the controls checked are %v, without the released letter's link", path, seen)
		}
	}
}

// TestVerifyPageWithoutJavaScript: with JavaScript off, the verify page offers no file
// chooser, which would take a file and do nothing, announcing nothing (a screen reader's
// user hears no answer, ever): it says to compute the fingerprint and paste it, and the
// reference and text forms answer. With JavaScript on, the file chooser is there.
func TestVerifyPageWithoutJavaScript(t *testing.T) {
	ctx := browser(t)
	o, _ := a11yOffice(t)
	b := &tab{t: t, ctx: ctx, o: o}
	shown := func(sel string) bool {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const e = document.querySelector(`+strconv.Quote(sel)+`); return !!e && e.getClientRects().length > 0; })()`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	b.open("/verify", "#verify-file")
	if !shown("#drop") {
		t.Errorf("with JavaScript, the verify page shows no file chooser")
	}
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	b.open("/verify", "#q")
	if shown("#drop") || shown("#verify-file") {
		t.Errorf("without JavaScript, the verify page shows a file chooser that does nothing")
	}
	if got := b.text("#main"); !strings.Contains(got, "Computing the fingerprint needs JavaScript") {
		t.Errorf("without JavaScript, the verify page does not say what to do:\n%s", got)
	}
	// The forms answer without it.
	b.do(chromedp.SendKeys(chromedp.CSS("#q"), "TFN-2026-999999"), chromedp.Click(chromedp.CSS("form[action='/verify'] button")),
		chromedp.WaitVisible(chromedp.CSS("#verdict")))
	if got := b.text("#verdict"); got != "Unknown to this registry" {
		t.Errorf("without JavaScript, a reference typed in answers %q", got)
	}
}

// spoken is what a screen reader reads of the page's main part: the names of the text
// nodes of Chromium's accessibility tree under it, in order, each followed by a space.
func (b *tab) spoken() string {
	b.t.Helper()
	var tree accessibility.GetFullAXTreeResult
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
		tree, err = cdp.Call(ctx, tg, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
		return err
	}))
	nodes := map[accessibility.NodeID]*accessibility.Node{}
	for _, n := range tree.Nodes {
		nodes[n.NodeID] = n
	}
	var out strings.Builder
	var walk func(n *accessibility.Node, inMain bool)
	walk = func(n *accessibility.Node, inMain bool) {
		role, name := "", ""
		if n.Role != nil {
			json.Unmarshal(n.Role.Value, &role)
		}
		if n.Name != nil {
			json.Unmarshal(n.Name.Value, &name)
		}
		inMain = inMain || role == "main"
		if inMain && !n.Ignored && role == "StaticText" {
			out.WriteString(name + " ")
		}
		for _, id := range n.ChildIDs {
			if c := nodes[id]; c != nil {
				walk(c, inMain)
			}
		}
	}
	if len(tree.Nodes) > 0 {
		walk(tree.Nodes[0], false)
	}
	return strings.Join(strings.Fields(out.String()), " ")
}

// TestDifferenceIsSpoken: the answer for an altered text shows what differs by colour and
// line (struck out, underlined), which a screen reader does not say: it read the letter's
// words and the text's one after the other ("reposition several units four brigades"), so a
// blind reader could not tell which was the letter's. Each change is now said, in the page's
// language, and nothing more is drawn. The public, who is not shown the letter's words, hears
// how many there are, as before.
func TestDifferenceIsSpoken(t *testing.T) {
	ctx := browser(t)
	o, _ := a11yOffice(t)
	altered := strings.Replace(a11yLetter, "several units", "four brigades", 1)
	for _, c := range []struct{ lang, del, ins, omitted string }{
		{"en", "[in the letter, not in this text:", "[in this text, not in the letter:", "[2 words of the letter not in this text]"},
		{"fr", "[dans la lettre, pas dans ce texte :", "[dans ce texte, pas dans la lettre :", "[2 mots de la lettre absents de ce texte]"},
		{"ar", "[في الرسالة، وليس في هذا النص:", "[في هذا النص، وليس في الرسالة:", "[2 من كلمات الرسالة ليست في هذا النص]"},
	} {
		b := &tab{t: t, ctx: ctx, o: o}
		b.acceptLanguage(c.lang)
		for _, member := range []bool{false, true} {
			if member {
				b.open("/signin?next=/verify", "#password")
				b.signIn("dana", "#text")
			} else {
				b.open("/verify", "#text")
			}
			b.do(chromedp.SetValue(chromedp.CSS("#text"), altered),
				chromedp.Click(chromedp.CSS("#identify button")), chromedp.WaitVisible(chromedp.CSS("pre.diff")))
			said := b.spoken()
			wants, deleted := []string{c.omitted + " " + c.ins + " four brigades ]"}, c.omitted
			if member {
				wants, deleted = []string{c.del + " several units ] " + c.ins + " four brigades ]"}, "several units"
			} else if strings.Contains(said, c.del) {
				t.Errorf("%s: the public hears the letter's part announced, then the count of its words:\n%s", c.lang, said)
			}
			for _, want := range wants {
				if !strings.Contains(said, strings.Join(strings.Fields(want), " ")) {
					t.Errorf("%s, member %v: a screen reader does not say %q of the difference:\n%s", c.lang, member, want, said)
				}
			}
			// What is drawn is the difference alone.
			drawn, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("pre.diff > *")].filter(e => { const r = e.getBoundingClientRect(); return r.width > 1 || r.height > 1; }).map(e => e.tagName.toLowerCase() + ":" + e.textContent.trim()).join("|")`))
			if err != nil {
				t.Fatal(err)
			}
			if want := "del:" + deleted + "|ins:four brigades"; drawn != want {
				t.Errorf("%s, member %v: the difference draws %q, want %q", c.lang, member, drawn, want)
			}
			if member {
				b.signOut()
			}
		}
	}
}

// TestVerifyRefusalTitledAsAnError: the verify form given neither a reference nor a digest
// comes back with the refusal, and its title, which a screen reader reads first, says it is
// an error, in the page's language; before, it was the form's own title, "Check a letter".
func TestVerifyRefusalTitledAsAnError(t *testing.T) {
	ctx := browser(t)
	o, _ := a11yOffice(t)
	for lang, want := range map[string]string{"en": "Error: Check a letter", "fr": "Erreur : Vérifier une lettre", "ar": "خطأ: التحقق من رسالة"} {
		b := &tab{t: t, ctx: ctx, o: o}
		b.acceptLanguage(lang)
		b.open("/verify", "#q")
		b.do(chromedp.SendKeys(chromedp.CSS("#q"), "not a reference!\r"), chromedp.WaitVisible(chromedp.CSS("main p.error[role=alert]")))
		title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
		if err != nil {
			t.Fatal(err)
		}
		if title != want+" · Chancery" {
			t.Errorf("%s: the refusal is titled %q, want %q", lang, title, want)
		}
	}
	// The form's own page is titled as before; an error page's heading is its own.
	b := &tab{t: t, ctx: ctx, o: o}
	b.acceptLanguage("en")
	b.open("/verify", "#q")
	if title, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`)); title != "Check a letter · Chancery" {
		t.Errorf("the verify page is titled %q", title)
	}
	b.open("/no/such/page", "main h1")
	title, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
	if heading := b.text("main h1"); strings.HasPrefix(heading, "Error") || title != "Error: "+heading+" · Chancery" {
		t.Errorf("an error page is titled %q, with the heading %q", title, heading)
	}
}

// lead is the first 60 characters of s.
func lead(s string) string {
	r := []rune(s)
	return string(r[:min(len(r), 60)])
}

// TestVerdictSpokenWithoutItsSign: a screen reader reads each answer's heading as its words
// alone: the sign drawn before them (✔, ✖, ⚠), which repeats the verdict for the eye, was
// read first by its Unicode name ("heavy multiplication x, Retracted"), in the voice of the
// page's language or another.
func TestVerdictSpokenWithoutItsSign(t *testing.T) {
	ctx := browser(t)
	o, pages := a11yOffice(t)
	b := &tab{t: t, ctx: ctx, o: o}
	for _, lang := range []string{"en", "ar"} {
		b.acceptLanguage(lang)
		for name, path := range pages {
			b.open(path, "#verdict")
			drawn := strings.TrimSpace(b.text("#verdict"))
			said := b.spoken()
			if verdict := verdictOf(drawn); !strings.HasPrefix(said, verdict) {
				t.Errorf("%s, %s: the heading %q is read as %q", lang, name, drawn, lead(said))
			}
		}
		b.open("/verify", "#text")
		b.do(chromedp.SetValue(chromedp.CSS("#text"), a11yLetter),
			chromedp.Click(chromedp.CSS("#identify button")), chromedp.WaitVisible(chromedp.CSS("#verdict")))
		if said, verdict := b.spoken(), verdictOf(b.text("#verdict")); !strings.HasPrefix(said, verdict) {
			t.Errorf("%s, pasted text: the heading is read as %q", lang, lead(said))
		}
	}
}

// TestArabicStatusDrawsTheFileNameInOrder: while the Arabic verify page computes a file's
// fingerprint, its status (which a screen reader announces) names the file as it is
// written: "2026.pdf" was drawn "pdf.2026" by the right-to-left sentence around it. The
// browser's digest is held, so that the page stays on the status rather than post it.
func TestArabicStatusDrawsTheFileNameInOrder(t *testing.T) {
	ctx := browser(t)
	o, _ := a11yOffice(t)
	const name = "2026.pdf"
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte("%PDF-1.7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: ctx, o: o}
	b.acceptLanguage("ar")
	b.open("/verify", "#verify-file")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Object.defineProperty(crypto.subtle, "digest", {value: () => new Promise(() => {})}), 0`)); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#verify-file"), []string{file}))
	wait, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(wait, chromedp.Poll[bool](`document.getElementById("verify-status").textContent.includes(`+strconv.Quote(name)+`)`)); err != nil {
		t.Fatalf("the status does not name the file: %v", err)
	}
	b.wantInOrder("the Arabic verify page's status", name, 1)
}

// TestArabicDiffDirection: on the Arabic page, the difference of an
// English letter's text reads left to right (its direction is its text's own, dir="auto")
// even where a change opens it: the words said to screen readers around a change, in
// Arabic, are left out of the choice, as they are out of sight.
func TestArabicDiffDirection(t *testing.T) {
	ctx := browser(t)
	o, _ := a11yOffice(t)
	altered := strings.Replace(a11yLetter, "# Coordination of", "Reorganisation of", 1)
	b := &tab{t: t, ctx: ctx, o: o}
	b.acceptLanguage("ar")
	for _, member := range []bool{false, true} {
		if member {
			b.open("/signin?next=/verify", "#password")
			b.signIn("dana", "#text")
		} else {
			b.open("/verify", "#text")
		}
		b.do(chromedp.SetValue(chromedp.CSS("#text"), altered),
			chromedp.Click(chromedp.CSS("#identify button")), chromedp.WaitVisible(chromedp.CSS("pre.diff")))
		dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("pre.diff")).direction`))
		if err != nil {
			t.Fatal(err)
		}
		if dir != "ltr" {
			t.Errorf("member %v: the difference of an English text is drawn %s", member, dir)
		}
	}
}

// TestFileChosenByKeyboard: on the verify page, the keyboard alone reaches the file input
// (hidden under the drop zone's words), opens the chooser with the space bar, and the file
// chosen there is answered for, as a mouse's click would do.
func TestFileChosenByKeyboard(t *testing.T) {
	ctx := browser(t)
	o, _ := a11yOffice(t)
	file := filepath.Join(t.TempDir(), "leaked.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.7\nnot a letter of this office\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: ctx, o: o}
	b.open("/verify", "#verify-file")
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.SetInterceptFileChooserDialog, page.SetInterceptFileChooserDialogParams{Enabled: true})
		return err
	}))
	wait, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	opened := chromedp.Events(wait, page.FileChooserOpened)
	for i := 0; ; i++ {
		b.do(chromedp.KeyEvent("\t"))
		id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
		if err != nil {
			t.Fatal(err)
		}
		if id == "verify-file" {
			break
		}
		if i == 30 {
			t.Fatal("30 presses of Tab do not reach the file input")
		}
	}
	b.do(chromedp.KeyEvent(" "))
	for ev, err := range opened {
		if err != nil {
			t.Fatalf("the space bar on the file input opens no chooser: %v", err)
		}
		b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: []string{file}, BackendNodeID: ev.BackendNodeID})
			return err
		}))
		break
	}
	b.do(chromedp.WaitVisible(chromedp.CSS("#verdict")))
	if got := b.text("#verdict"); got != "Unknown to this registry" {
		t.Errorf("the file chosen by keyboard is answered %q", got)
	}
}
