package web_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// acceptLanguage makes the tab's requests carry Accept-Language: lang, as a browser set to
// that language sends it.
func (b *tab) acceptLanguage(lang string) {
	b.t.Helper()
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": lang}})
		return err
	}))
}

// shot saves the page as docs/screenshots/NAME.png when CHANCERY_UPDATE_SCREENSHOTS=1. The
// window is made as tall as the page for the capture: Chromium's capture beyond the window
// draws a right-to-left page shifted sideways when it follows a taller page.
func (b *tab) shot(name string, width int64) {
	b.t.Helper()
	if os.Getenv("CHANCERY_UPDATE_SCREENSHOTS") != "1" {
		return
	}
	height, err := chromedp.Run(b.ctx, chromedp.Evaluate[int64](`document.documentElement.scrollHeight`))
	if err != nil {
		b.t.Fatal(err)
	}
	b.do(chromedp.EmulateViewport(width, height))
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	b.do(chromedp.EmulateViewport(width, 900))
	if err := os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// layout is what the browser made of a page's direction and of its main heading.
type layout struct {
	Lang, Dir, Direction, Align, Heading string
	// TextLeft and TextRight bound the heading's text; BoxLeft and BoxRight its box.
	TextLeft, TextRight, BoxLeft, BoxRight float64
	// Over is how far the page is wider than the window (a sideways scroll when positive).
	Over float64
}

const layoutJS = `(() => {
  const h = document.querySelector("main h1");
  const r = document.createRange();
  r.selectNodeContents(h);
  const t = r.getBoundingClientRect(), b = h.getBoundingClientRect(), cs = getComputedStyle(h);
  return JSON.stringify({Lang: document.documentElement.lang, Dir: document.dir, Direction: cs.direction,
    Align: cs.textAlign, Heading: h.innerText, TextLeft: t.left, TextRight: t.right, BoxLeft: b.left,
    BoxRight: b.right, Over: document.documentElement.scrollWidth - window.innerWidth});
})()`

func (b *tab) layout() layout {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](layoutJS))
	if err != nil {
		b.t.Fatal(err)
	}
	var l layout
	if err := json.Unmarshal([]byte(s), &l); err != nil {
		b.t.Fatal(err)
	}
	return l
}

// wantLayout checks the page's language and direction, the main heading, and that the
// heading's text sits against the side its language starts from.
func (b *tab) wantLayout(lang, heading string) layout {
	b.t.Helper()
	l := b.layout()
	dir := "ltr"
	if lang == "ar" {
		dir = "rtl"
	}
	if l.Lang != lang || l.Dir != dir || l.Direction != dir {
		b.t.Errorf("page lang %q, document.dir %q, heading direction %q; want %s, %s", l.Lang, l.Dir, l.Direction, lang, dir)
	}
	if !strings.Contains(l.Heading, heading) {
		b.t.Errorf("the heading is %q, want %q in it", l.Heading, heading)
	}
	if l.Over > 0 {
		b.t.Errorf("the page is %.0f px wider than the window: it scrolls sideways", l.Over)
	}
	// A heading shorter than its box has the gap all on the side its line ends. On a phone
	// a heading can fill its box; on the desktop width every heading here is short.
	if l.TextRight-l.TextLeft > l.BoxRight-l.BoxLeft-20 {
		if l.BoxRight-l.BoxLeft > 600 {
			b.t.Fatalf("the heading %q fills its box: cannot tell its alignment (%+v)", l.Heading, l)
		}
		return l
	}
	start, end := math.Abs(l.TextLeft-l.BoxLeft), math.Abs(l.BoxRight-l.TextRight)
	if dir == "rtl" {
		start, end = end, start
	}
	if start > 2 || end < 20 {
		b.t.Errorf("the %s heading %q is not aligned to its %s start: text %.0f–%.0f in box %.0f–%.0f (text-align %s)",
			dir, l.Heading, dir, l.TextLeft, l.TextRight, l.BoxLeft, l.BoxRight, l.Align)
	}
	return l
}

// TestLanguageInBrowser opens the verify page and its answers in a real Chromium in French
// and Arabic, chosen first by the browser's language (Accept-Language), then by clicking the
// switch: Arabic pages are right to left, their headings start at the right, and no page
// scrolls sideways on a 390 px phone. With CHANCERY_UPDATE_SCREENSHOTS=1 it saves the pages
// in docs/screenshots/.
func TestLanguageInBrowser(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n\nTask Force North will reposition several units.\n")
	released := o.release(ref)
	holder := "/v/" + ref + "/" + o.code(ref)
	unknown := "/verify?digest=sha256:" + strings.Repeat("ab", 32)
	file := filepath.Join(t.TempDir(), "released.md")
	if err := os.WriteFile(file, released, 0o644); err != nil {
		t.Fatal(err)
	}
	pages := []struct {
		lang, verify, valid, unknown string
	}{
		{"fr", "Vérifier une lettre", "Émise et valide", "Inconnue de ce registre"},
		{"ar", "التحقق من رسالة", "صادرة وسارية", "غير معروفة في هذا السجل"},
	}
	for _, p := range pages {
		t.Run("AcceptLanguage-"+p.lang, func(t *testing.T) {
			b := &tab{t: t, ctx: ctx, o: o}
			b.acceptLanguage(p.lang + ",en;q=0.5")
			for _, width := range []int64{1000, 390} {
				b.do(chromedp.EmulateViewport(width, 900))
				suffix := ""
				if width == 390 {
					suffix = "-390"
				}
				b.open("/verify", "#verify-file")
				b.wantLayout(p.lang, p.verify)
				b.shot("verify-"+p.lang+suffix, width)
				// The file, hashed on this page, gets the answer in the same language.
				b.do(chromedp.SetUploadFiles(chromedp.CSS("#verify-file"), []string{file}), chromedp.WaitVisible(chromedp.CSS("#verdict")))
				b.wantLayout(p.lang, p.valid)
				if got := b.text("#main"); !strings.Contains(got, ref) || !strings.Contains(got, "Coordination of force movements") {
					t.Errorf("the %s answer lacks the reference or the letter's subject:\n%s", p.lang, got)
				}
				b.open(holder, "#verdict")
				b.wantLayout(p.lang, p.valid)
				b.shot("result-"+p.lang+suffix, width)
				b.open(unknown, "#verdict")
				b.wantLayout(p.lang, p.unknown)
				b.shot("result-unknown-"+p.lang+suffix, width)
			}
			b.do(chromedp.EmulateViewport(1000, 900))
		})
	}

	// The other public pages, in both languages and at both widths.
	gone := o.letter("Press statement", "Training from 3 to 14 February.\n")
	o.release(gone)
	o.withdraw(gone, "", "The training dates were wrong.")
	long := synth.Corpus{Seed: 5, FamilySize: 1}.Letter(0).Text()
	o.release(o.letter("Logistics arrangements", long))
	others := []struct{ name, path, fr, ar string }{
		{"landing", "/", "Le registre des lettres officielles", "سجل المراسلات الرسمية"},
		{"verify-by-reference", "/v/" + ref, "Une lettre porte cette référence", "توجد رسالة بهذا الرقم المرجعي"},
		{"result-retracted", "/v/" + gone + "/" + o.code(gone), "Annulée", "ملغاة"},
		{"log", "/log", "Journal de transparence", "سجل الشفافية"},
		{"signin", "/signin", "Se connecter", "تسجيل الدخول"},
		{"not-found", "/no/such/page", "Page introuvable", "الصفحة غير موجودة"},
	}
	for _, lang := range []string{"fr", "ar"} {
		t.Run("Pages-"+lang, func(t *testing.T) {
			b := &tab{t: t, ctx: ctx, o: o}
			b.acceptLanguage(lang)
			for _, width := range []int64{1000, 390} {
				b.do(chromedp.EmulateViewport(width, 900))
				for _, p := range others {
					b.open(p.path, "main h1")
					heading := p.fr
					if lang == "ar" {
						heading = p.ar
					}
					b.wantLayout(lang, heading)
					if width == 390 {
						b.shot(p.name+"-"+lang+"-390", width)
					} else {
						b.shot(p.name+"-"+lang, width)
					}
				}
				// Pasted text, identified in the page's language.
				b.open("/verify", "#text")
				b.do(chromedp.SetValue(chromedp.CSS("#text"), long),
					chromedp.Click(chromedp.CSS("#identify button")), chromedp.WaitVisible(chromedp.CSS("#verdict")))
				want := map[string]string{"fr": "Le texte d'une lettre émise", "ar": "نص رسالة صادرة"}[lang]
				b.wantLayout(lang, want)
				if width == 1000 {
					b.shot("identified-"+lang, width)
				}
			}
			b.do(chromedp.EmulateViewport(1000, 900))
		})
	}

	// The switch: a French browser chooses Arabic on the page, and keeps it from page to
	// page; then chooses French, then English, on the same page.
	t.Run("Switch", func(t *testing.T) {
		b := &tab{t: t, ctx: ctx, o: o}
		b.acceptLanguage("fr")
		b.open("/verify", "#verify-file")
		b.wantLayout("fr", "Vérifier une lettre")
		b.do(chromedp.Click(chromedp.CSS(`nav.languages a[lang="ar"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="ar"] #verify-file`)))
		b.wantLayout("ar", "التحقق من رسالة")
		if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != o.srv.URL+"/verify" {
			t.Errorf("after the switch the browser is at %s, want the same page", loc)
		}
		if cur := b.text(`nav.languages a[aria-current]`); cur != "العربية" {
			t.Errorf("the switch marks %q as the current language", cur)
		}
		b.open(holder, "#verdict")
		b.wantLayout("ar", "صادرة وسارية")
		b.do(chromedp.Click(chromedp.CSS(`nav.languages a[lang="fr"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="fr"] #verdict`)))
		b.wantLayout("fr", "Émise et valide")
		b.do(chromedp.Click(chromedp.CSS(`nav.languages a[lang="en"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #verdict`)))
		b.wantLayout("en", "Released and valid")
	})
}
