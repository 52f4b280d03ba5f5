package web_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestErasedLetterPageOffersNoDownload checks the holder's page of an erased letter, whether it
// stood or was retracted before the erasure: it says that the content was erased, and offers
// neither the released file nor the seal, which the registry no longer has (both answer 410).
func TestErasedLetterPageOffersNoDownload(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ctx := context.Background()
	standing := o.letter("Pension of Mrs Widow mkrerasedpage", "# Pension\n\nSir, the pension of Mrs Widow.\n")
	o.release(standing)
	retracted := o.letter("Transfer of Mr Clerk mkrerasedpage", "# Transfer\n\nSir, the transfer of Mr Clerk.\n")
	o.release(retracted)
	o.withdraw(retracted, "", "sent to the wrong ministry")
	c := o.client()
	for _, ref := range []string{standing, retracted} {
		if err := o.reg.Erase(ctx, o.actors["root"], ref, "erasure request"); err != nil {
			t.Fatal(err)
		}
		base := "/v/" + ref + "/" + o.code(ref)
		resp, body := c.get(base)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", base, resp.StatusCode)
		}
		if strings.Contains(body, "mkrerasedpage") {
			t.Errorf("the page of erased %s shows its subject:\n%s", ref, body)
		}
		if !strings.Contains(body, "Its content was erased at the office") {
			t.Errorf("the page of erased %s does not say that its content was erased:\n%s", ref, body)
		}
		for _, link := range []string{base + "/file", base + "/seal"} {
			if resp, _ := c.get(link); resp.StatusCode != http.StatusGone {
				t.Errorf("%s: %d, want 410", link, resp.StatusCode)
			}
			if strings.Contains(body, `href="`+link+`"`) {
				t.Errorf("the page of erased %s links to %s, which is gone", ref, link)
			}
		}
	}
}

// TestErasedLetterMemberPageSaysSo checks the members' page of an erased letter: it says that
// the content was erased and when, and does not link to the released file and seal, which
// answer 410; the API's letter view gives the date too.
func TestErasedLetterMemberPageSaysSo(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Pension of Mrs Widow mkrerasedmember", "# Pension\n\nSir, the pension of Mrs Widow.\n")
	o.release(ref)
	if err := o.reg.Erase(context.Background(), o.actors["root"], ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	c := o.client()
	c.signIn("rita")
	resp, body := c.get("/letters/" + ref)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/letters/%s: %d", ref, resp.StatusCode)
	}
	if !strings.Contains(body, "Content erased at the office") {
		t.Errorf("the members' page of erased %s does not say that its content was erased:\n%s", ref, body)
	}
	for _, link := range []string{"/letters/" + ref + "/file", "/letters/" + ref + "/seal"} {
		if resp, _ := c.get(link); resp.StatusCode != http.StatusGone {
			t.Errorf("%s: %d, want 410", link, resp.StatusCode)
		}
		if strings.Contains(body, `href="`+link+`"`) {
			t.Errorf("the members' page of erased %s links to %s, which is gone", ref, link)
		}
	}
	v, err := o.reg.Letter(context.Background(), o.actors["rita"], ref)
	if err != nil {
		t.Fatal(err)
	}
	if v.Release == nil || v.Release.ErasedAt == nil {
		t.Errorf("the letter view of erased %s gives no erasure date: %+v", ref, v.Release)
	}
}

// TestErasedLetterSealByDigestIsGone: the seal asked for by the erased letter's file digest
// (the verify page's link and form) answers 410, as the holder's page by reference does,
// where it answered 404 "Not found.", as for a file the office never released.
func TestErasedLetterSealByDigestIsGone(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Pension of Mrs Widow mkrerasedseal", "# Pension\n\nSir, the pension of Mrs Widow.\n")
	file := o.release(ref)
	if err := o.reg.Erase(context.Background(), o.actors["root"], ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	c := o.client()
	digest := fmt.Sprintf("sha256:%x", sha256.Sum256(file))
	if resp, _ := c.get("/verify/seal?digest=" + digest); resp.StatusCode != http.StatusGone {
		t.Errorf("/verify/seal of the erased letter's digest: %d, want 410", resp.StatusCode)
	}
	if resp, _ := c.get("/verify/seal?digest=sha256:" + strings.Repeat("ab", 32)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/verify/seal of an unknown digest: %d, want 404", resp.StatusCode)
	}
}
