package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

// TestVersionDifferenceIsSpoken: the member's letter page showed what changed from one
// version to the next by colour and line only (struck out, underlined), which a screen
// reader does not say: it read "reposition several units four brigades", the removed words
// and the added ones one after the other. Each change is now framed, for screen readers
// only and in the page's language, by the version that has the words and the one that has
// not, as the answer for a pasted text's is (item 858); a change of line breaks alone, which
// the eye does not see, is not framed; nothing more is drawn.
func TestVersionDifferenceIsSpoken(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	const v1 = "Sir,\n\nTask Force North will reposition several units along the northern border over the coming week.\n"
	v2 := strings.Replace(strings.Replace(v1, "several units", "four brigades", 1), "northern border over", "northern\nborder over", 1)
	ref := o.letter("Coordination of force movements", v1)
	if _, err := o.reg.Revise(context.Background(), o.actors["dana"], ref, registry.Upload{Name: "letter.md", MediaType: "text/markdown", Data: []byte(v2)}); err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: ctx, o: o}
	b.open("/signin?next=/letters/"+ref, "#password")
	b.signIn("dana", "pre.diff")
	for _, c := range []struct{ lang, del, ins string }{
		{"en", "[in version 1, not in version 2:", "[in version 2, not in version 1:"},
		{"fr", "[dans la version 1, pas dans la version 2 :", "[dans la version 2, pas dans la version 1 :"},
		{"ar", "[في النسخة 1، وليس في النسخة 2:", "[في النسخة 2، وليس في النسخة 1:"},
	} {
		b.acceptLanguage(c.lang)
		b.open("/letters/"+ref, "pre.diff")
		said := b.spoken()
		if want := c.del + " several units ] " + c.ins + " four brigades ]"; !strings.Contains(said, want) {
			t.Errorf("%s: a screen reader does not say %q of the difference:\n%s", c.lang, want, said)
		}
		for _, empty := range []string{c.del + " ]", c.ins + " ]"} {
			if strings.Contains(said, empty) {
				t.Errorf("%s: a screen reader is told of a change with nothing in it, %q:\n%s", c.lang, empty, said)
			}
		}
		// What is drawn is the words changed, as before.
		drawn, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("pre.diff > *")].filter(e => { const r = e.getBoundingClientRect(); return r.width > 1 || r.height > 1; }).map(e => e.tagName + ":" + e.textContent).join("|")`))
		if err != nil {
			t.Fatal(err)
		}
		if drawn != "DEL:several units|INS:four brigades|DEL: |INS:\n" {
			t.Errorf("%s: the difference draws %q", c.lang, drawn)
		}
	}
}
