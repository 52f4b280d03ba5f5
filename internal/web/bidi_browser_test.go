package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

// placed is where the browser drew one occurrence of a text: the left edges of its first
// and last characters, and the element it is in.
type placed struct {
	In          string
	First, Last float64
}

// placesJS finds each occurrence of a text (%[1]s, JSON) in the page's main part and header,
// and measures its first and last characters.
const placesJS = `(() => {
  const needle = %[1]s, out = [];
  for (const root of document.querySelectorAll("header, main")) {
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      for (let i = n.data.indexOf(needle); i >= 0; i = n.data.indexOf(needle, i + 1)) {
        const at = k => { const r = document.createRange(); r.setStart(n, k); r.setEnd(n, k + 1); return r.getBoundingClientRect().left; };
        const p = n.parentElement;
        out.push({In: p.tagName.toLowerCase() + (p.className ? "." + p.className : ""), First: at(i), Last: at(i + needle.length - 1)});
      }
    }
  }
  return JSON.stringify(out);
})()`

// places measures where the page draws each occurrence of text.
func (b *tab) places(text string) []placed {
	b.t.Helper()
	q, _ := json.Marshal(text)
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(placesJS, q)))
	if err != nil {
		b.t.Fatal(err)
	}
	var ps []placed
	if err := json.Unmarshal([]byte(s), &ps); err != nil {
		b.t.Fatal(err)
	}
	return ps
}

// wantInOrder checks that each occurrence of text, written left to right, is drawn in its
// own order: its last character to the right of its first.
func (b *tab) wantInOrder(page, text string, atLeast int) {
	b.t.Helper()
	ps := b.places(text)
	if len(ps) < atLeast {
		b.t.Errorf("%s: %q appears %d times, want %d at least", page, text, len(ps), atLeast)
	}
	for _, p := range ps {
		if p.Last <= p.First {
			b.t.Errorf("%s: %q in <%s> is drawn out of order: its last character at %.0f px, left of its first at %.0f px",
				page, text, p.In, p.Last, p.First)
		}
	}
}

// TestArabicPagesDrawTheOfficesNameInOrder: on the Arabic public pages, an office's name in
// Latin letters that ends with a full stop or starts with a figure is drawn as written, in the
// sentences that name it and on its own, rather than with the stop or the figure moved to its
// other end by the right-to-left text around it ("Commando Brigade 3", ".Northern Liaison
// Office, Ltd").
func TestArabicPagesDrawTheOfficesNameInOrder(t *testing.T) {
	ctx := browser(t)
	for _, name := range []string{"Northern Liaison Office, Ltd.", "3 Commando Brigade"} {
		o := newOffice(t, server.Config{RateLimit: -1}, func(c *registry.Config) { c.Office.Name = name })
		ref := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n\nTask Force North will reposition several units.\n")
		o.release(ref)
		gone := o.letter("Press statement", "Training from 3 to 14 February.\n")
		o.release(gone)
		o.withdraw(gone, "", "The training dates were wrong.")
		b := &tab{t: t, ctx: ctx, o: o}
		b.acceptLanguage("ar")
		for _, p := range []struct {
			path string
			n    int // the page's occurrences: the header's, and the answer's
		}{
			{"/verify", 2},
			{"/v/" + ref, 2},
			{"/v/" + ref + "/" + o.code(ref), 4},
			{"/v/" + gone + "/" + o.code(gone), 3},
			{"/v/TFN-2026-999999", 2},
			{"/verify?digest=sha256:" + strings.Repeat("ab", 32), 2},
		} {
			b.open(p.path, "main h1")
			b.wantLayout("ar", "")
			b.wantInOrder(p.path, name, p.n)
		}
		b.open("/verify", "#text")
		b.do(chromedp.SetValue(chromedp.CSS("#text"), "Nothing this office ever wrote, about anything at all."),
			chromedp.Click(chromedp.CSS("#identify button")), chromedp.WaitVisible(chromedp.CSS("#verdict")))
		b.wantInOrder("/verify/text", name, 2)
	}
}

// TestArabicLetterPageDrawsTextsInOrder: on a letter's page in Arabic, a reviewer's comment
// and a withdrawal's reason written in Latin letters, starting with a figure or ending with a
// full stop, are drawn as written rather than with the figure or the stop moved to their other
// end by the right-to-left words around them; so are the drafter's name and the class.
func TestArabicLetterPageDrawsTextsInOrder(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	const comment, reason = "15 March is fine.", "3 dates were wrong."
	gone := o.letter("Press statement", "Training from 3 to 14 February.\n")
	o.release(gone)
	o.withdraw(gone, "", reason)
	draft := o.letter("Coordination", "Task Force North will reposition several units.\n")
	if err := o.reg.Approve(context.Background(), o.actors["rita"], draft, "", comment); err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: ctx, o: o}
	b.acceptLanguage("ar")
	b.open("/signin?next=/letters/"+gone, "#password")
	b.signIn("dana", "#versions") // on the letter page: the sign-in page has a "main h1" too
	b.wantInOrder("the withdrawn letter's page", reason, 1)
	b.open("/letters/"+draft, "main h1")
	b.wantInOrder("the draft's page", comment, 1)
	// In the inbox, the reference comes first, at the right, then the subject, then the
	// class, each as written, rather than the three drawn as one left-to-right run.
	b.open("/inbox", "main h1")
	at := func(text string) float64 {
		ps := b.places(text)
		if len(ps) == 0 {
			t.Fatalf("the inbox lacks %q", text)
		}
		return ps[0].First
	}
	if ref, subject, class := at(draft), at("Coordination"), at("foreign-government"); !(ref > subject && subject > class) {
		t.Errorf("the inbox draws the draft's reference at %.0f px, its subject at %.0f px and its class at %.0f px: want them from right to left", ref, subject, class)
	}
}
