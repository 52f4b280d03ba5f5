package dispatch

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

const chromium = "/usr/bin/chromium"

// TestBrowserDispatch: a release officer sends a released letter from its page in Chromium and
// sees its status become sent; the recipient opens the receipt link (nothing is recorded),
// confirms with the page's button, and the letter page shows the receipt.
func TestBrowserDispatch(t *testing.T) {
	o, mp := browserOffice(t)
	ctx := context.Background()
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	o.recipient(t, "liaison", "cell@liaison.example")
	if err := o.r.SetPassword(ctx, o.admin, "otto", "password of otto"); err != nil {
		t.Fatal(err)
	}
	ref := o.release(t, "Sent from the letter page.")
	srv := httptest.NewServer(o.handler())
	defer srv.Close()

	bctx, do := startChromium(t)
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	do(chromedp.Navigate(srv.URL+"/letters/"+ref), chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#name"), "otto"), chromedp.SendKeys(chromedp.CSS("#password"), "password of otto"),
		chromedp.Click(chromedp.CSS("main form button")), chromedp.WaitVisible(chromedp.CSS("#dispatch-button")))
	do(chromedp.Click(chromedp.CSS(`input[name="recipient"][value="ministry"]`)), chromedp.Click(chromedp.CSS("#dispatch-button")),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := text("#dispatch-section"); !strings.Contains(got, "registry@mod.freedonia.example") || strings.Contains(got, "cell@liaison.example\tletter") {
		t.Fatalf("after sending, the dispatch section shows:\n%s", got)
	}
	waitFor(t, "the sent status on the page", func() bool {
		do(chromedp.Navigate(srv.URL+"/letters/"+ref), chromedp.WaitVisible(chromedp.CSS("#dispatch-section")))
		s, _ := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("tr.dispatch-sent").length`))
		return s == 1
	})

	var link string
	waitFor(t, "the letter in Mailpit", func() bool { return len(mp.messages(t)) == 1 })
	m := receiptLink.FindStringSubmatch(mp.message(t, mp.messages(t)[0].ID).Text)
	if m == nil {
		t.Fatal("no receipt link")
	}
	link = srv.URL + "/receipt/" + m[1]
	do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#receipt-confirm")))
	if v := o.status(t, ref)[0]; v.ReceivedAt != nil {
		t.Fatal("opening the receipt page recorded a receipt")
	}
	do(chromedp.Click(chromedp.CSS("#receipt-confirm")), chromedp.WaitVisible(chromedp.CSS("#receipt-done")))
	if v := o.status(t, ref)[0]; v.ReceivedAt == nil {
		t.Fatal("the confirmation recorded no receipt")
	}
	do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("main")))
	if got := text("main"); !strings.Contains(got, "not valid") || strings.Contains(got, ref) {
		t.Fatalf("the used link shows:\n%s", got)
	}
	do(chromedp.Navigate(srv.URL+"/letters/"+ref), chromedp.WaitVisible(chromedp.CSS("#dispatch-section")))
	if got := text("#dispatch-section"); strings.Contains(got, "not yet") {
		t.Fatalf("the letter page does not show the receipt:\n%s", got)
	}
}

// needChromium skips the test where Chromium is not installed, or fails it where
// CHANCERY_REQUIRE_TOOLS=1 says the tools must be there.
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("chromium is required: %v", err)
		}
		t.Skipf("no chromium at %s", chromium)
	}
}

// browserOffice is an office that delivers its mail to a Mailpit, three attempts a message,
// for a test in Chromium, which it skips (or fails) where Chromium is not installed.
func browserOffice(t *testing.T) (*office, *mailpit) {
	t.Helper()
	needChromium(t)
	mp := startMailpit(t)
	o := newOffice(t)
	o.deliver(t, mp, 3)
	return o, mp
}

// handler is the registry's web server over the office, its rate limits off and its log
// discarded.
func (o *office) handler() http.Handler {
	return server.New(server.Config{Log: o.log, DB: o.db, VerifierKey: o.vkey, Origin: o.origin, Registry: o.r,
		RateLimit: -1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// startChromium starts a headless Chromium, closed when the test ends, and returns its tab's
// context and do, which runs steps within 30 s and fails the test with the page's text if
// they fail.
func startChromium(t *testing.T) (context.Context, func(...chromedp.Action[chromedp.Void])) {
	t.Helper()
	actx, cancel := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1000, 900), chromedp.Env("TMPDIR="+t.TempDir()))
	t.Cleanup(cancel)
	bctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(cancelTab)
	// The browser starts with the tab's context, not with a step's, which ends with it.
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(c, steps...); err != nil {
			text, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
			t.Fatalf("browser: %v\n%s", err, text)
		}
	}
	return bctx, do
}
