package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBlankChangesNotSpoken: a pasted text whose lines break elsewhere than the letter's (a
// copy from a PDF, from an e-mail) differs from it by whitespace at each of those places,
// which the eye does not see as a change; screen readers were told each as one, "[in this
// text, not in the letter: ]", with nothing in it (and, to a member, "[in the letter, not in
// this text: ]" before it), so that a blind reader heard changes where there were none, as
// many as the lines, around the one that mattered. Only changes with words in them are said
// now, to the public and members, in every language.
func TestBlankChangesNotSpoken(t *testing.T) {
	ctx := browser(t)
	o, _ := a11yOffice(t)
	altered := strings.Replace(a11yLetter, "several units", "four brigades", 1)
	altered = strings.Replace(altered, "the northern border over", "the northern\nborder over", 1)
	altered = strings.Replace(altered, "report daily to the", "report daily\nto the", 1)
	for _, c := range []struct{ lang, del, ins string }{
		{"en", "[in the letter, not in this text:", "[in this text, not in the letter:"},
		{"ar", "[في الرسالة، وليس في هذا النص:", "[في هذا النص، وليس في الرسالة:"},
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
			for _, empty := range []string{c.del + " ]", c.ins + " ]"} {
				if strings.Contains(said, empty) {
					t.Errorf("%s, member %v: a screen reader is told of a change with nothing in it, %q:\n%s", c.lang, member, empty, said)
				}
			}
			if want := c.ins + " four brigades ]"; !strings.Contains(said, want) {
				t.Errorf("%s, member %v: the change of words is not said, %q:\n%s", c.lang, member, want, said)
			}
			if member {
				if want := c.del + " several units ]"; !strings.Contains(said, want) {
					t.Errorf("%s, member: the letter's words changed are not said, %q:\n%s", c.lang, want, said)
				}
				b.signOut()
			}
		}
	}
}
