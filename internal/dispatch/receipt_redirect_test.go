package dispatch

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/syncbuf"
)

// TestReceiptPostRedirects: the receipt page's button answered the post with the page of a
// receipt recorded, so that reloading it (or going back to it) posted the form again and told
// the recipient whose receipt had just been recorded that the link was not valid (listed not
// fixed in the fifty-eighth session). The post now answers 303 See Other to a fixed page
// without the token, which says the receipt is recorded and names no letter, recipient or
// date, for anyone who opens it; opened again, it records nothing. A used link keeps its one
// answer, and the token reaches no Location and no log line.
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
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	received := func() int {
		t.Helper()
		es, err := o.r.Audit(ctx, o.officer, ref)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range es {
			if e.Action == "letter.received" {
				n++
			}
		}
		return n
	}

	tok := tokens["a@mod.example"]
	resp, _ := do(http.MethodPost, "/receipt/"+tok)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || loc != "/receipt/recorded" {
		t.Fatalf("the receipt's post answered %s, Location %q; want 303 to /receipt/recorded", resp.Status, loc)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the receipt's post answered Cache-Control %q", cc)
	}
	if n := received(); n != 1 {
		t.Fatalf("the post recorded %d receipts", n)
	}
	var cookies []*http.Cookie
	for _, c := range resp.Cookies() {
		if c.MaxAge >= 0 {
			cookies = append(cookies, c)
		}
		if strings.Contains(c.Value, tok) || strings.Contains(c.Value, ref) {
			t.Errorf("the post set a cookie naming the token or the letter: %v", c)
		}
	}
	for range 2 { // the page, then the page reloaded
		resp, page := do(http.MethodGet, loc, cookies...)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="receipt-done"`) || !strings.Contains(page, "You may close this page.") {
			t.Fatalf("the page of a receipt recorded: %s\n%s", resp.Status, page)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the page of a receipt recorded: Cache-Control %q", cc)
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
	// Anyone may open the address: it tells them as much as the recipient, nothing.
	_, mine := do(http.MethodGet, loc, cookies...)
	_, anyone := do(http.MethodGet, loc)
	if mine != anyone {
		t.Errorf("the page of a receipt recorded differs for its recipient and for anyone:\n%s\n---\n%s", mine, anyone)
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
	// page did), without naming it, in the recipient's browser alone.
	o.withdraw(t, ref, "", "Sent before the talks ended")
	resp, _ = do(http.MethodPost, "/receipt/"+tokens["b@mod.example"])
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/receipt/recorded" {
		t.Fatalf("the receipt's post of a retracted letter answered %s, Location %q", resp.Status, resp.Header.Get("Location"))
	}
	_, page := do(http.MethodGet, "/receipt/recorded", resp.Cookies()...)
	if !strings.Contains(page, "The letter you acknowledged has since been retracted: do not rely on it.") ||
		!strings.Contains(page, "Receipt recorded: the letter is retracted") || strings.Contains(page, ref) || strings.Contains(page, "talks") {
		t.Errorf("the page of a receipt recorded for a retracted letter:\n%s", page)
	}
	if _, page := do(http.MethodGet, "/receipt/recorded"); strings.Contains(page, "retracted") {
		t.Errorf("the page of a receipt recorded says that a letter is retracted to anyone:\n%s", page)
	}

	for _, tok := range tokens {
		if strings.Contains(logged.String(), tok) {
			t.Errorf("a log line holds the receipt token:\n%s", logged.String())
		}
	}
}
