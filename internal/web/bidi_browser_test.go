package web_test

import (
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
