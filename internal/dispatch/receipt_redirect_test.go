package dispatch

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/syncbuf"
)

// recordedLocation is the Location of a receipt's post: the page of a receipt recorded, with
// the receipt's key.
var recordedLocation = regexp.MustCompile(`^/receipt/recorded\?r=([A-Z2-7]{26})$`)

// TestReceiptPostRedirects: the receipt page's button answered the post with the page of a
// receipt recorded, so that reloading it (or going back to it) posted the form again and told
// the recipient whose receipt had just been recorded that the link was not valid (listed not
// fixed in the fifty-eighth session). The post now answers 303 See Other to a page without
// the token, which says the receipt is recorded and names no letter, recipient or date;
// opened again, it records nothing. A used link keeps its one answer, and the token reaches
// no Location and no log line. The page thanked anyone who opened it for a receipt (listed not
// fixed in the fifty-ninth session): it says the receipt is recorded only to the browser whose
// post recorded it, by a cookie named by a random key of that receipt in the Location
// (?r=KEY), and to anyone else only that an acknowledgement just made is recorded.
func TestReceiptPostRedirects(t *testing.T) {
	ctx := context.Background()
	mp := startMailpit(t)
	o := newOffice(t)
	o.deliver(t, mp, 3)
	o.recipient(t, "ministry", "a@mod.example", "b@mod.example")
	ref := o.release(t, "Please acknowledge, once.")
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
	logged := &syncbuf.Buffer{}
	srv := httptest.NewServer(server.New(server.Config{Log: o.log, DB: o.db, VerifierKey: o.vkey, Origin: o.origin, Registry: o.r,
		RateLimit: -1, Logger: slog.New(slog.NewTextHandler(logged, &slog.HandlerOptions{Level: slog.LevelDebug}))}))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	lang := ""
	do := func(method, path string, cookies ...*http.Cookie) (*http.Response, string) {
		t.Helper()
		var body io.Reader
		if method == http.MethodPost {
			body = strings.NewReader(url.Values{"confirm": {"received"}}.Encode())
		}
		req, err := http.NewRequest(method, srv.URL+path, body)
		if err != nil {
			t.Fatal(err)
		}
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", srv.URL)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		if lang != "" {
			req.Header.Set("Accept-Language", lang)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	received := func() int { t.Helper(); return o.receipts(t, ref) }

	// post acknowledges tok and returns the Location of the page of its receipt recorded, and
	// the cookie of that page, which holds only "recorded" or the withdrawal's kind.
	post := func(tok string) (string, *http.Cookie) {
		t.Helper()
		resp, _ := do(http.MethodPost, "/receipt/"+tok)
		loc := resp.Header.Get("Location")
		m := recordedLocation.FindStringSubmatch(loc)
		if resp.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("the receipt's post answered %s, Location %q; want 303 to /receipt/recorded?r=KEY", resp.Status, loc)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the receipt's post answered Cache-Control %q", cc)
		}
		var mine *http.Cookie
		for _, c := range resp.Cookies() {
			if strings.Contains(c.Name+c.Value, tok) || strings.Contains(c.Name+c.Value, ref) || strings.Contains(loc, tok) {
				t.Errorf("the post set a cookie or a Location naming the token or the letter: %v, %s", c, loc)
			}
			if c.Name == "chancery_receipt_"+m[1] {
				mine = c
			}
		}
		if mine == nil || mine.Path != "/receipt/recorded" || mine.MaxAge != 3600 || !mine.HttpOnly || mine.SameSite != http.SameSiteStrictMode {
			t.Fatalf("the post set no cookie of its receipt's key %s, path /receipt/recorded, an hour, HttpOnly, SameSite=Strict: %v", m[1], resp.Cookies())
		}
		return loc, mine
	}
	// unrecorded reports whether page is the one for anyone: no thanks, no withdrawal.
	unrecorded := func(page string) bool {
		return strings.Contains(page, `id="receipt-if-done"`) && strings.Contains(page, "If you have just acknowledged a letter of this office, your acknowledgement is recorded in the letter&#39;s file.") &&
			!strings.Contains(page, "Thank you") && !strings.Contains(page, "Receipt recorded") && !strings.Contains(page, "receipt-withdrawn")
	}

	tok := tokens["a@mod.example"]
	loc, cookie := post(tok)
	if n := received(); n != 1 {
		t.Fatalf("the post recorded %d receipts", n)
	}
	if cookie.Value != "recorded" {
		t.Errorf("the cookie of a letter that stands holds %q", cookie.Value)
	}
	for range 2 { // the page, then the page reloaded
		resp, page := do(http.MethodGet, loc, cookie)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="receipt-done"`) || !strings.Contains(page, "Thank you: your acknowledgement of receipt is recorded") ||
			!strings.Contains(page, "<title>Receipt recorded") {
			t.Fatalf("the page of a receipt recorded: %s\n%s", resp.Status, page)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the page of a receipt recorded: Cache-Control %q", cc)
		}
		if v := resp.Header.Get("Vary"); !strings.Contains(v, "Cookie") || !strings.Contains(v, "Accept-Language") {
			t.Errorf("the page of a receipt recorded: Vary %q", v)
		}
		for _, secret := range []string{ref, "ministry", "a@mod.example", o.now().UTC().Format("2006"), "receipt-withdrawn"} {
			if strings.Contains(page, secret) {
				t.Errorf("the page of a receipt recorded holds %q:\n%s", secret, page)
			}
		}
	}
	if n := received(); n != 1 {
		t.Errorf("opening the page of a receipt recorded recorded %d receipts", n)
	}
	// Anyone may open the address, with no key, another key, or another receipt's cookie: no
	// one is thanked for a receipt this browser did not record.
	other := *cookie
	other.Name = "chancery_receipt_" + strings.Repeat("A", 26)
	for _, tc := range []struct {
		path    string
		cookies []*http.Cookie
	}{{loc, nil}, {"/receipt/recorded", nil}, {"/receipt/recorded", []*http.Cookie{cookie}},
		{"/receipt/recorded?r=" + strings.Repeat("A", 26), []*http.Cookie{cookie}}, {loc, []*http.Cookie{&other}},
		{"/receipt/recorded?r=x", []*http.Cookie{{Name: "chancery_receipt_x", Value: "recorded"}}},
		{loc, []*http.Cookie{{Name: cookie.Name, Value: "yes"}}}} {
		resp, page := do(http.MethodGet, tc.path, tc.cookies...)
		if resp.StatusCode != http.StatusOK || !unrecorded(page) || !strings.Contains(page, "<title>Acknowledgement of receipt") {
			t.Errorf("the page at %s with cookies %v: %s\n%s", tc.path, tc.cookies, resp.Status, page)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the page at %s: Cache-Control %q", tc.path, cc)
		}
	}
	for l, want := range map[string]string{
		"fr": "Si vous venez d&#39;accuser réception d&#39;une lettre de ce service, votre accusé de réception est consigné au dossier de la lettre.",
		"ar": "إن كنت قد أشعرت للتو باستلام رسالة من هذه الجهة، فقد قُيّد إشعارك بالاستلام في ملف الرسالة.",
	} {
		lang = l
		if _, page := do(http.MethodGet, loc); !strings.Contains(page, want) || strings.Contains(page, "Merci") || strings.Contains(page, "شكرًا") {
			t.Errorf("the page for anyone in %s:\n%s", l, page)
		}
		lang = ""
	}

	// The used link keeps its one answer; so does a post of it again.
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		if resp, page := do(method, "/receipt/"+tok); resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "This acknowledgement link is not valid") {
			t.Errorf("%s of the used link: %s\n%s", method, resp.Status, page)
		}
	}
	if n := received(); n != 1 {
		t.Errorf("the used link recorded %d receipts", n)
	}

	// A letter withdrawn since: the page of its receipt recorded says so (its confirmation
	// page did), without naming it, in the recipient's browser alone; the page of the first
	// receipt, whose letter stood when it was acknowledged, keeps saying only that.
	o.withdraw(t, ref, "", "Sent before the talks ended")
	loc2, cookie2 := post(tokens["b@mod.example"])
	if loc2 == loc || cookie2.Name == cookie.Name || cookie2.Value != "retraction" {
		t.Fatalf("the second receipt's Location %s and cookie %v, the first's %s and %v", loc2, cookie2, loc, cookie)
	}
	_, page := do(http.MethodGet, loc2, cookie, cookie2)
	if !strings.Contains(page, "The letter you acknowledged has since been retracted: do not rely on it.") ||
		!strings.Contains(page, "Receipt recorded: the letter is retracted") || strings.Contains(page, ref) || strings.Contains(page, "talks") {
		t.Errorf("the page of a receipt recorded for a retracted letter:\n%s", page)
	}
	if _, page := do(http.MethodGet, loc, cookie, cookie2); !strings.Contains(page, `id="receipt-done"`) || strings.Contains(page, "retracted") {
		t.Errorf("the page of the first receipt, with the second's cookie too:\n%s", page)
	}
	for _, path := range []string{loc2, "/receipt/recorded"} {
		if _, page := do(http.MethodGet, path); strings.Contains(page, "retracted") || !unrecorded(page) {
			t.Errorf("the page at %s says that a letter is retracted to anyone:\n%s", path, page)
		}
	}

	for _, tok := range tokens {
		if strings.Contains(logged.String(), tok) {
			t.Errorf("a log line holds the receipt token:\n%s", logged.String())
		}
	}
}
