package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
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
