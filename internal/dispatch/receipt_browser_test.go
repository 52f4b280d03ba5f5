package dispatch

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestReceiptPageSpokenInChromium: a letter dispatched to Mailpit, its receipt link taken from
// the mail and opened in Chromium, as its recipient does, read through Chromium's
// accessibility tree. The page has its heading and one button named as shown, and records the
// receipt with it. Once the letter is retracted, the page said so in an alert placed before
// its heading, under the title "Acknowledge receipt": a screen reader says the title first,
// may not announce an alert that is on the page when it loads, and a reader who goes to the
// heading reads on from it, past the warning. The title now says the letter is retracted, and
// the warning comes right after the heading, before and after the button, in every language.
func TestReceiptPageSpokenInChromium(t *testing.T) {
	o, mp := browserOffice(t)
	ctx := context.Background()
	o.recipient(t, "ministry", "a@mod.example", "b@mod.example")
	ref := o.release(t, "Please acknowledge.")
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
	srv := httptest.NewServer(o.handler())
	defer srv.Close()

	_, do := startChromium(t)
	language := func(lang string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": lang}})
			return err
		})
	}
	// read is the page as a screen reader has it: its title, then the main part's headings,
	// alerts, buttons (role and name) and texts, in order.
	read := func() (string, []string) {
		t.Helper()
		var tree accessibility.GetFullAXTreeResult
		do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) (err error) {
			tree, err = cdp.Call(ctx, tg, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
			return err
		}))
		nodes := map[accessibility.NodeID]*accessibility.Node{}
		for _, n := range tree.Nodes {
			nodes[n.NodeID] = n
		}
		var title string
		var said []string
		var walk func(n *accessibility.Node, inMain bool)
		walk = func(n *accessibility.Node, inMain bool) {
			role, name := "", ""
			if n.Role != nil {
				json.Unmarshal(n.Role.Value, &role)
			}
			if n.Name != nil {
				json.Unmarshal(n.Name.Value, &name)
			}
			if role == "RootWebArea" {
				title = name
			}
			inMain = inMain || role == "main"
			if inMain && !n.Ignored {
				switch role {
				case "heading", "alert", "button":
					said = append(said, role+": "+name)
				case "StaticText":
					said = append(said, name)
				}
			}
			if role == "heading" || role == "button" {
				return // their text is their name
			}
			for _, id := range n.ChildIDs {
				if c := nodes[id]; c != nil {
					walk(c, inMain)
				}
			}
		}
		if len(tree.Nodes) > 0 {
			walk(tree.Nodes[0], false)
		}
		return title, said
	}
	// after returns what is said after the first item that begins with first, joined.
	after := func(said []string, first string) string {
		for i, s := range said {
			if strings.HasPrefix(s, first) {
				return strings.Join(said[i+1:], "")
			}
		}
		return ""
	}

	link := srv.URL + "/receipt/" + tokens["a@mod.example"]
	do(language("en"), chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#receipt-confirm")))
	title, said := read()
	if title != "Acknowledge receipt · Chancery" || !strings.HasPrefix(strings.Join(said, "|"), "heading: Acknowledge receipt|") ||
		!strings.Contains(strings.Join(said, "|"), "|button: I confirm receipt") || strings.Contains(strings.Join(said, "|"), "alert") {
		t.Errorf("the receipt page of a letter in force: title %q, said %q", title, said)
	}

	o.withdraw(t, ref, "", "Sent before the talks ended")
	for _, c := range []struct{ lang, title, heading, warning, button string }{
		{"en", "Acknowledge receipt: the letter is retracted · Chancery", "Acknowledge receipt", "has since retracted this letter: do not rely on it.", "I confirm receipt"},
		{"fr", "Accuser réception : la lettre est retirée · Chancery", "Accuser réception", "a depuis retiré cette lettre : ne vous y fiez pas.", "Je confirme la réception"},
		{"ar", "الإشعار بالاستلام: الرسالة مسحوبة · Chancery", "الإشعار بالاستلام", "هذه الرسالة منذ إرسالها، فلا تعتمد عليها.", "أؤكد الاستلام"},
	} {
		do(language(c.lang), chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#receipt-confirm")))
		title, said := read()
		if title != c.title {
			t.Errorf("%s: the receipt page of a retracted letter is titled %q, want %q", c.lang, title, c.title)
		}
		if len(said) < 2 || said[0] != "heading: "+c.heading || said[1] != "alert: " || !strings.Contains(after(said, "alert"), c.warning) {
			t.Errorf("%s: the heading, then the warning, are not the first things said in the page: %q", c.lang, said)
		}
		if !strings.Contains(strings.Join(said, "|"), "|button: "+c.button) {
			t.Errorf("%s: no button named %q: %q", c.lang, c.button, said)
		}
	}
	do(language("en"), chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#receipt-confirm")),
		chromedp.Click(chromedp.CSS("#receipt-confirm")), chromedp.WaitVisible(chromedp.CSS("#receipt-done")))
	if v := o.status(t, ref); v[0].ReceivedAt == nil && v[1].ReceivedAt == nil {
		t.Fatal("the button recorded no receipt")
	}
	title, said = read()
	if title != "Receipt recorded: the letter is retracted · Chancery" || len(said) < 2 || said[0] != "heading: Receipt recorded" || said[1] != "alert: " ||
		!strings.Contains(after(said, "alert"), "The letter you acknowledged has since been retracted: do not rely on it.") {
		t.Errorf("the receipt recorded of a retracted letter: title %q, said %q", title, said)
	}
}

// TestReceiptReloadPostsNothingInChromium: the recipient confirms receipt in Chromium and
// reloads the page that says so. The page answered the post itself, and the reload posted the
// form again: the recipient whose receipt was just recorded read "This acknowledgement link
// is not valid" (listed not fixed in the fifty-eighth session). The post now leads to a page
// of its own (Post/Redirect/Get), which a reload shows again without a second post: the
// letter's audit trail holds one receipt. Then a second letter, retracted since it was sent,
// is acknowledged in another tab of the same browser: the page of a receipt recorded read the
// browser's one cookie, the last receipt's, so the first tab reloaded said that its letter,
// which stands, was retracted (listed not fixed in the fifty-ninth session). Each page now
// reads its own receipt's cookie, named by the key in its address: each tab reloaded shows
// its own receipt; the address without a key thanks no one.
func TestReceiptReloadPostsNothingInChromium(t *testing.T) {
	o, mp := browserOffice(t)
	ctx := context.Background()
	o.recipient(t, "ministry", "a@mod.example")
	ref := o.release(t, "Please acknowledge, and reload.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the letter sent", func() bool { return len(mp.messages(t)) == 1 && o.settled(t, ref, 1) })
	m := receiptLink.FindStringSubmatch(mp.message(t, mp.messages(t)[0].ID).Text)
	if m == nil {
		t.Fatal("no receipt link")
	}
	srv := httptest.NewServer(o.handler())
	defer srv.Close()
	received := func() int { t.Helper(); return o.receipts(t, ref) }

	bctx, _ := startChromium(t)
	// doIn and shownIn drive a tab of the browser; do and shown, the first.
	doIn := func(tab context.Context, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(tab, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(c, steps...); err != nil {
			text, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
			t.Fatalf("browser: %v\n%s", err, text)
		}
	}
	shownIn := func(tab context.Context) (string, string) {
		t.Helper()
		text, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
		if err != nil {
			t.Fatal(err)
		}
		at, err := chromedp.Run(tab, chromedp.Evaluate[string](`location.href`))
		if err != nil {
			t.Fatal(err)
		}
		return text, at
	}
	do := func(steps ...chromedp.Action[chromedp.Void]) { t.Helper(); doIn(bctx, steps...) }
	shown := func() (string, string) { t.Helper(); return shownIn(bctx) }
	recordedAt := srv.URL + "/receipt/recorded?r="

	do(chromedp.Navigate(srv.URL+"/receipt/"+m[1]), chromedp.WaitVisible(chromedp.CSS("#receipt-confirm")),
		chromedp.Click(chromedp.CSS("#receipt-confirm")), chromedp.WaitVisible(chromedp.CSS("#receipt-done")))
	text, first := shown()
	if !strings.Contains(text, "Receipt recorded") || !strings.Contains(text, "You may close this page.") || strings.Contains(text, ref) ||
		!strings.HasPrefix(first, recordedAt) {
		t.Fatalf("after the button, %s shows:\n%s", first, text)
	}
	if n := received(); n != 1 {
		t.Fatalf("the button recorded %d receipts", n)
	}
	for range 2 {
		do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if text, at := shown(); !strings.Contains(text, "Receipt recorded") || strings.Contains(text, "not valid") || at != first {
			t.Errorf("the page of a receipt recorded, reloaded, at %s shows:\n%s", at, text)
		}
	}
	if n := received(); n != 1 {
		t.Errorf("after the reloads, the letter's audit trail holds %d receipts", n)
	}

	// A second letter, retracted since it was sent, acknowledged in a second tab.
	ref2 := o.release(t, "Please acknowledge this one too.")
	if _, err := o.r.Dispatch(ctx, o.officer, ref2, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the second letter sent", func() bool { return len(mp.messages(t)) == 2 && o.settled(t, ref2, 1) })
	var link2 string
	for _, s := range mp.messages(t) {
		if msg := mp.message(t, s.ID); strings.Contains(msg.Text, ref2) {
			if m := receiptLink.FindStringSubmatch(msg.Text); m != nil {
				link2 = m[1]
			}
		}
	}
	if link2 == "" {
		t.Fatal("no receipt link in the second letter's mail")
	}
	o.withdraw(t, ref2, "", "Sent before the talks ended")
	tab2, cancelTab2 := chromedp.NewContext(bctx)
	defer cancelTab2()
	// The tab opens with its own context, not one of doIn's timeouts, which would close it.
	if err := chromedp.Do(tab2, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("open a second tab: %v", err)
	}
	doIn(tab2, chromedp.Navigate(srv.URL+"/receipt/"+link2), chromedp.WaitVisible(chromedp.CSS("#receipt-confirm")),
		chromedp.Click(chromedp.CSS("#receipt-confirm")), chromedp.WaitVisible(chromedp.CSS("#receipt-done")))
	const retracted = "The letter you acknowledged has since been retracted: do not rely on it."
	text, second := shownIn(tab2)
	if !strings.Contains(text, retracted) || !strings.HasPrefix(second, recordedAt) || second == first {
		t.Fatalf("after the second tab's button, %s (the first at %s) shows:\n%s", second, first, text)
	}
	for range 2 {
		do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#receipt-done")))
		if text, at := shown(); strings.Contains(text, "retracted") || at != first {
			t.Errorf("the first tab, whose letter stands, reloaded at %s shows:\n%s", at, text)
		}
		doIn(tab2, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#receipt-done")))
		if text, at := shownIn(tab2); !strings.Contains(text, retracted) || at != second {
			t.Errorf("the second tab, whose letter is retracted, reloaded at %s shows:\n%s", at, text)
		}
	}
	// The address without a receipt's key, as anyone may open it: no thanks for a receipt
	// this browser did not record there, and nothing of either letter.
	do(chromedp.Navigate(srv.URL+"/receipt/recorded"), chromedp.WaitVisible(chromedp.CSS("#receipt-if-done")))
	if text, _ := shown(); !strings.Contains(text, "If you have just acknowledged a letter of this office, your acknowledgement is recorded in the letter's file.") ||
		strings.Contains(text, "Thank you") || strings.Contains(text, "retracted") || strings.Contains(text, ref) || strings.Contains(text, ref2) {
		t.Errorf("the page of a receipt recorded without a key shows:\n%s", text)
	}
}
