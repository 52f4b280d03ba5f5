package dispatch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestReceiptDoubleClickInChromium: the recipient double-clicks the receipt page's button (or
// clicks it again while the answer is slow to come). The second click posted the form again:
// Chromium dropped the first post's answer, whose post had recorded the receipt, for the
// second's, and the recipient read "This acknowledgement link is not valid: it was already
// used, has expired, or is mistyped" (found by review of d46ea13, sixtieth session). The
// first post's answer is held here, as a slow network holds it, until the second click is
// made: the page's script now posts the form once, the button disabled as it posts, and the
// recipient reads that the receipt is recorded.
func TestReceiptDoubleClickInChromium(t *testing.T) {
	o, mp := browserOffice(t)
	ctx := context.Background()
	o.recipient(t, "ministry", "a@mod.example")
	ref := o.release(t, "Please acknowledge, with a double click.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter sent", func() bool { return len(mp.messages(t)) == 1 && o.settled(t, ref, 1) })
	m := receiptLink.FindStringSubmatch(mp.message(t, mp.messages(t)[0].ID).Text)
	if m == nil {
		t.Fatal("no receipt link")
	}
	h := o.handler()
	// The first post is answered by the server at once (the receipt recorded), but its answer
	// reaches the browser only once the second click is made; a second post is answered as
	// it comes.
	firstAnswered, release := make(chan struct{}), make(chan struct{})
	var releaseOnce sync.Once
	let := func() { releaseOnce.Do(func() { close(release) }) }
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/receipt/") {
			h.ServeHTTP(w, r)
			return
		}
		if posts.Add(1) == 1 {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			close(firstAnswered)
			<-release
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	defer let() // before the server closes, which waits for the first post's handler

	bctx, do := startChromium(t)
	// await waits for ch, failing the test (never hanging it) if the browser never gets there.
	await := func(ch <-chan struct{}, what string) {
		t.Helper()
		select {
		case <-ch:
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: not within 30 s", what)
		}
	}

	do(chromedp.Navigate(srv.URL+"/receipt/"+m[1]), chromedp.WaitVisible(chromedp.CSS("#receipt-confirm")))
	xy, err := chromedp.Run(bctx, chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector("#receipt-confirm").getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`))
	if err != nil || len(xy) != 2 {
		t.Fatalf("the button's place: %v %v", xy, err)
	}
	// A double click: a press and release, then a second press and release, its click count
	// 2, as the mouse sends them.
	do(chromedp.MouseClickXY(xy[0], xy[1], chromedp.ClickCount(1)))
	await(firstAnswered, "the first click's post")
	// The second click, made while the first post's answer is on its way. Chromium suspends
	// the page's DevTools session while a navigation is under way, so the test cannot read the
	// page here; it lets the first answer go once the second click is made: a second post that
	// the click made started at once, before that answer came, and Chromium showed its answer.
	do(chromedp.MouseClickXY(xy[0], xy[1], chromedp.ClickCount(2)))
	let()
	do(chromedp.WaitVisible(chromedp.CSS("#receipt-done, main p.error")))
	text, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Thank you: your acknowledgement of receipt is recorded") || strings.Contains(text, "not valid") {
		t.Errorf("after a double click on the button (%d posts), the page shows:\n%s", posts.Load(), text)
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("a double click on the button posted the form %d times", n)
	}
	if n := o.receipts(t, ref); n != 1 {
		t.Errorf("the letter's audit trail holds %d receipts", n)
	}
}
