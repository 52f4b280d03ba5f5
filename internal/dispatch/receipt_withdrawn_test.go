package dispatch

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestReceiptOfAWithdrawnLetterSaysSo: a recipient who opened the receipt link of a letter
// retracted since it was sent was asked to confirm receipt of "its letter", and thanked,
// without a word that the office had withdrawn it (found by audit, fifty-sixth session). The
// page, before and after the button, now says that the letter is retracted, not to rely on
// it, and leads to its verify page; a letter that stands shows no such line.
func TestReceiptOfAWithdrawnLetterSaysSo(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	o.deliver(t, mp, 3)
	o.recipient(t, "ministry", "a@mod.example", "b@mod.example")
	ref := o.release(t, "Please acknowledge, and then forget.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "two letters sent", func() bool { return len(mp.messages(t)) == 2 && o.settled(t, ref, 2) })
	tokens := map[string]string{}
	for _, s := range mp.messages(t) {
		m := receiptLink.FindStringSubmatch(mp.message(t, s.ID).Text)
		if m == nil {
			t.Fatal("no receipt link")
		}
		tokens[s.To[0].Address] = m[1]
	}
	srv := httptest.NewServer(server.New(server.Config{Log: o.log, DB: o.db, VerifierKey: o.vkey, Origin: o.origin, Registry: o.r,
		RateLimit: -1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := srv.Client()
	client.Jar = jar
	page := func(method, tok, lang string) string {
		t.Helper()
		var body io.Reader
		if method == http.MethodPost {
			body = strings.NewReader(url.Values{"confirm": {"received"}}.Encode())
		}
		req, err := http.NewRequest(method, srv.URL+"/receipt/"+tok, body)
		if err != nil {
			t.Fatal(err)
		}
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", srv.URL)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
		}
		req.Header.Set("Accept-Language", lang)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s /receipt/…: %s\n%s", method, resp.Status, b)
		}
		return string(b)
	}

	if p := page(http.MethodGet, tokens["a@mod.example"], "en"); strings.Contains(p, "receipt-withdrawn") || !strings.Contains(p, "receipt-confirm") {
		t.Errorf("the receipt page of a letter that stands:\n%s", p)
	}
	o.withdraw(t, ref, "", "Sent before the talks ended")
	const warned = "has since retracted this letter: do not rely on it."
	link := `<a href="/v/` + ref + `">`
	if p := page(http.MethodGet, tokens["a@mod.example"], "en"); !strings.Contains(p, warned) || !strings.Contains(p, link) || !strings.Contains(p, "receipt-confirm") {
		t.Errorf("the receipt page of a retracted letter does not say so:\n%s", p)
	} else if strings.Contains(p, "Sent before the talks ended") {
		// The link is a bearer token in a mail that relays and forwards carry: the signed
		// reason goes by the notice, not to whoever holds the link.
		t.Errorf("the receipt page quotes the withdrawal's reason:\n%s", p)
	}
	if p := page(http.MethodGet, tokens["a@mod.example"], "fr"); !strings.Contains(p, "a depuis retiré cette lettre : ne vous y fiez pas.") {
		t.Errorf("the receipt page of a retracted letter, in French:\n%s", p)
	}
	// The page said "The notice it sent you gives the signed reason" also after the letter's
	// erasure, when the notice says the reason was erased, and when no notice reached the
	// recipient (fifty-sixth session's not-fixed list): it says what is true in each case,
	// in each language, and still quotes no reason.
	for lang, want := range map[string]string{
		"en": "This page does not give the reason: the notice of the retraction sent where the letter went does, unless the office had erased the letter by then; if no notice has reached you, ask",
		"fr": "Cette page n'en donne pas le motif : l'avis de retrait adressé là où la lettre est allée le donne, sauf si le service avait effacé la lettre entre-temps ; si aucun avis ne vous est parvenu, adressez-vous à",
		"ar": "ولا تذكر هذه الصفحة سبب السحب، وإنما يذكره إشعار السحب المرسَل إلى حيث أُرسلت الرسالة، ما لم تكن الجهة قد محت الرسالة قبل ذلك؛ وإن لم يصلك أي إشعار فاسأل",
	} {
		p := html.UnescapeString(page(http.MethodGet, tokens["a@mod.example"], lang))
		if !strings.Contains(p, want) || strings.Contains(p, "gives the signed reason") || strings.Contains(p, "Sent before the talks ended") {
			t.Errorf("the receipt page of a retracted letter (%s) does not say where its reason is:\n%s", lang, p)
		}
	}
	// The post leads to the page of a receipt recorded (Post/Redirect/Get), which names no
	// letter: the withdrawal comes by a cookie of the post, in the recipient's browser.
	if p := page(http.MethodPost, tokens["b@mod.example"], "en"); !strings.Contains(p, "The letter you acknowledged has since been retracted: do not rely on it.") ||
		!strings.Contains(p, "receipt-done") || strings.Contains(p, ref) {
		t.Errorf("the receipt recorded for a retracted letter does not say it is retracted:\n%s", p)
	}
}
