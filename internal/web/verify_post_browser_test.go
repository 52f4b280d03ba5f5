package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/server"
	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestVerifyResultAddressCarriesNoDigest: the holder who chooses their letter's file on the
// verify page gets the answer at /verify, with no digest in the address or in any entry of
// the tab's history: the script posts the digest, and the server answers the post with the
// result page. Before, the script opened /verify?digest=sha256:…, an address that gives
// whoever reads it (a shared computer's history, a synced profile) what the letter says.
// The seal is downloaded by a form that posts the digest, and going back leads to the
// verify form.
func TestVerifyResultAddressCarriesNoDigest(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n")
	released := o.release(ref)
	sum := sha256.Sum256(released)
	hexSum := hex.EncodeToString(sum[:])
	file := filepath.Join(t.TempDir(), "letter.md")
	if err := os.WriteFile(file, released, 0o644); err != nil {
		t.Fatal(err)
	}

	b := &tab{t: t, ctx: ctx, o: o}
	b.open("/", "main")
	b.open("/verify", "#verify-file")
	o.requests()
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#verify-file"), []string{file}), chromedp.WaitVisible(chromedp.CSS("#verdict")))
	if got := b.text("#main"); !strings.Contains(got, "Released and valid") || !strings.Contains(got, "Coordination of force movements") {
		t.Errorf("the answer for the released file:\n%s", got)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if loc != o.srv.URL+"/verify" {
		t.Errorf("the answer is at %s, want %s/verify", loc, o.srv.URL)
	}
	var entries []*page.NavigationEntry
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		h, err := cdp.Call(ctx, tg, page.GetNavigationHistory, cdp.Empty{})
		entries = h.Entries
		return err
	}))
	for _, e := range entries {
		if strings.Contains(e.URL, hexSum) {
			t.Errorf("the tab's history holds %s", e.URL)
		}
	}
	posted := false
	for _, r := range o.requests() {
		if strings.Contains(r.URI, hexSum) {
			t.Errorf("the browser asked for %s %s", r.Method, r.URI)
		}
		if r.Method == "POST" && r.URI == "/verify" && r.Body > 0 && r.Body < 1024 {
			posted = true
		} else if r.Body > 0 {
			t.Errorf("the browser sent %s %s with %d bytes: only the digest may leave the device", r.Method, r.URI, r.Body)
		}
	}
	if !posted {
		t.Error("the digest was not posted to /verify")
	}
	// The seal is downloaded by the page's form: no address, not even a download's, holds
	// the digest.
	downloads := t.TempDir()
	allow := true
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads, EventsEnabled: &allow})
		return err
	}))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[href*="`+hexSum+`"], [action*="`+hexSum+`"], [src*="`+hexSum+`"]').length`)); err != nil || n != 0 {
		t.Errorf("the answer has %d addresses with the digest (%v)", n, err)
	}
	b.do(chromedp.Click(chromedp.CSS(`form[action="/verify/seal"] button`)))
	var sealFile []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && sealFile == nil; time.Sleep(100 * time.Millisecond) {
		if got, _ := filepath.Glob(filepath.Join(downloads, "*.seal")); len(got) == 1 {
			sealFile, _ = os.ReadFile(got[0])
		}
	}
	if !strings.Contains(string(sealFile), "chancery_seal") {
		t.Errorf("the seal downloaded from the answer: %q", sealFile)
	}
	for _, r := range o.requests() {
		if strings.Contains(r.URI, hexSum) {
			t.Errorf("the browser asked for %s %s", r.Method, r.URI)
		}
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != o.srv.URL+"/verify" {
		t.Errorf("after the seal's download the browser is at %s", loc)
	}
	b.do(chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS("#verify-file")))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != o.srv.URL+"/verify" {
		t.Errorf("back from the answer the browser is at %s", loc)
	}
}

// TestVerifyPageHashesEarlierRevisions: the verify page's script sends, with a PDF's digest,
// the digests of its earlier revisions (the file up to each end-of-file marker before the
// last, as pdf.RevisionEnds finds them), hashed as views of the file's bytes, with
// crypto.subtle and with the page's own SHA-256 where there is none.
func TestVerifyPageHashesEarlierRevisions(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	data := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\r\n% update\n%%EOF\n% another\n%%EOF\n")
	file := filepath.Join(t.TempDir(), "copy.pdf")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ends := pdf.RevisionEnds(data)
	if len(ends) < 3 {
		t.Fatalf("the test file has revisions ending at %v", ends)
	}
	var want []string
	for _, end := range ends {
		s := sha256.Sum256(data[:end])
		want = append(want, "sha256:"+hex.EncodeToString(s[:]))
	}
	whole := sha256.Sum256(data)
	// The form the script would post is kept on the page, not sent.
	const capture = `HTMLFormElement.prototype.submit = function () {
		window.posted = Array.from(this.elements).map(function (e) { return e.name + "=" + e.value; });
	};`
	for _, tc := range []struct{ name, js string }{
		{"subtle", capture},
		{"fallback", capture + `Object.defineProperty(Crypto.prototype, "subtle", {get: function () { return undefined; }});`},
	} {
		b := &tab{t: t, ctx: ctx, o: o}
		b.open("/verify", "#verify-file")
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](tc.js+`; true`)); err != nil {
			t.Fatal(err)
		}
		b.do(chromedp.SetUploadFiles(chromedp.CSS("#verify-file"), []string{file}))
		got, err := chromedp.Run(ctx, chromedp.Poll[[]string](`window.posted`, chromedp.WithPollingTimeout(20*time.Second)))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(got) != 2 || got[0] != "digest=sha256:"+hex.EncodeToString(whole[:]) || got[1] != "earlier="+strings.Join(want, ",") {
			t.Errorf("%s: the script would post %q, want the file's digest and %q", tc.name, got, want)
		}
	}
}

// TestOtherSitesPostOfADigestRevealsNothing: in real Chromium, another site's page whose form
// posts a letter's digest to /verify, and its seal's to /verify/seal, gets the refusal (403),
// not the answer, for a signed-in member as for anyone.
func TestOtherSitesPostOfADigestRevealsNothing(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n")
	sum := sha256.Sum256(o.release(ref))
	d := "sha256:" + hex.EncodeToString(sum[:])
	b := &tab{t: t, ctx: ctx, o: o}
	b.open("/signin", "#password")
	b.signIn("dana", "#waiting")
	for _, action := range []string{"/verify", "/verify/seal"} {
		page := elsewhere(t, `<!doctype html><form method="post" action="`+o.srv.URL+action+`"><input type="hidden" name="digest" value="`+d+`"><button id="go">go</button></form>`)
		b.do(chromedp.Navigate(page+"/"), chromedp.WaitVisible(chromedp.CSS("#go")))
		b.do(chromedp.Click(chromedp.CSS("#go")))
		waitFor(t, func() bool {
			at, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState == "complete" ? location.origin : ""`))
			return at == o.srv.URL
		})
		if got := b.text("body"); strings.Contains(got, "Coordination of force") || strings.Contains(got, "chancery_seal") || !strings.Contains(got, "came from another site") {
			t.Errorf("another site's post to %s shows %.300q", action, got)
		}
	}
}
