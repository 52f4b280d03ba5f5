package web_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

// TestBrowserSigning: a signer creates a key in the browser, registers it, and signs from
// the letter page; the release's seal verifies with that key's signature, and the key's
// private half cannot be exported from the browser.
func TestBrowserSigning(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	b := &tab{t: t, ctx: ctx, o: o}
	ref := o.letter("Request for overflight clearance", "Sir,\n\nWe request clearance for two flights.\n")
	if err := o.reg.Approve(context.Background(), o.actors["rita"], ref, "", ""); err != nil {
		t.Fatal(err)
	}

	keyID := b.newBrowserKey(ref)
	if got := b.text("#browser-key-status"); !strings.Contains(got, keyID[:16]) {
		t.Errorf("the page says %q, not the new key", got)
	}

	// The stored key is a non-extractable CryptoKey: asking for its bytes must fail.
	export, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise((resolve, reject) => {
		const req = indexedDB.open("chancery-keys", 1);
		req.onerror = () => reject(req.error);
		req.onsuccess = () => {
			const get = req.result.transaction("keys").objectStore("keys").get("sam");
			get.onerror = () => reject(get.error);
			get.onsuccess = () => {
				const k = get.result.privateKey;
				crypto.subtle.exportKey("pkcs8", k).then(
					() => resolve("exported (extractable=" + k.extractable + ")"),
					(e) => resolve("refused: " + e.name + " (extractable=" + k.extractable + ")"));
			};
		};
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if export != "refused: InvalidAccessError (extractable=false)" {
		t.Errorf("exporting the browser's private key: %s", export)
	}

	// A reload finds the key in IndexedDB; the Sign button signs the page's statement.
	b.open("/letters/"+ref, "#browser-sign")
	b.do(chromedp.Click(chromedp.CSS("#browser-sign")), chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := b.text(".notice"); got != "Your signature is recorded." {
		t.Fatalf("after signing the page says %q", got)
	}
	if got := b.text("section[aria-labelledby=reviews]"); !strings.Contains(got, "Signed by sam (key "+keyID) {
		t.Errorf("the letter page lists the signatures as:\n%s", got)
	}

	rel, err := o.reg.Release(context.Background(), o.actors["otto"], ref)
	if err != nil {
		t.Fatal(err)
	}
	v, err := seal.NewVerifier(o.reg.TrustRoot())
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.VerifyBytes(rel.Seal, rel.File)
	if err != nil {
		t.Fatalf("the seal of a letter signed in the browser does not verify: %v", err)
	}
	if len(res.Statement.Signatures) != 1 || res.Statement.Signatures[0].KeyID != keyID || res.Signers[0] != "sam" {
		t.Errorf("the seal's signatures are %+v, signers %v; want sam with key %s", res.Statement.Signatures, res.Signers, keyID)
	}
	// And as a user checks it: chancery verify, offline, with the trust root.
	dir := t.TempDir()
	trust, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"letter.md": rel.File, "letter.md.seal": rel.Seal.Marshal(), "trust.json": trust} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := runCLI("verify", filepath.Join(dir, "letter.md"), "--trust", filepath.Join(dir, "trust.json"), "--offline", "--json")
	if code != 0 || !strings.Contains(stdout, `"valid"`) {
		t.Errorf("chancery verify: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestBrowserKeyRevokedIsNotOffered: once the office revokes the key a browser made, the
// letter page no longer offers to sign with it (the registry would refuse the signature) but
// invites the signer to create a new one, which then signs.
func TestBrowserKeyRevokedIsNotOffered(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	b := &tab{t: t, ctx: ctx, o: o}
	ref := o.letter("Request for a port call", "Sir,\n\nWe request a port call on Friday.\n")
	if err := o.reg.Approve(context.Background(), o.actors["rita"], ref, "", ""); err != nil {
		t.Fatal(err)
	}
	keyID := b.newBrowserKey(ref)
	if _, err := o.reg.RevokeKey(context.Background(), o.actors["sam"], keyID, "device lost"); err != nil {
		t.Fatal(err)
	}

	b.open("/letters/"+ref, "#browser-key-create:not([hidden])")
	if got := b.text("#browser-key-status"); !strings.Contains(got, "no longer in force") || !strings.Contains(got, keyID[:16]) {
		t.Errorf("with its key revoked the page says %q", got)
	}
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#browser-sign-form").hidden`))
	if err != nil || !hidden {
		t.Errorf("the Sign button is offered for a revoked key (hidden=%v, %v)", hidden, err)
	}

	b.do(chromedp.Click(chromedp.CSS("#browser-key-create")), chromedp.WaitVisible(chromedp.CSS("#browser-sign")))
	b.do(chromedp.Click(chromedp.CSS("#browser-sign")), chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := b.text(".notice"); got != "Your signature is recorded." {
		t.Fatalf("signing with the new key: the page says %q", got)
	}
}

// TestBrowserSigningRefused: the sign endpoint takes only a valid signature by a registered
// key of the member over the current statement, and the key endpoint only a 32-byte key.
func TestBrowserSigningRefused(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Visit of the liaison officer", "Sir,\n\nThe officer arrives on Monday.\n")
	c := o.client()
	csrf := c.signIn("sam")
	st, err := o.reg.SigningStatement(context.Background(), o.actors["sam"], ref)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString
	for name, form := range map[string]url.Values{
		"bad signature":   {"csrf": {csrf}, "keyid": {o.keyID}, "statement": {b64(st)}, "sig": {b64(make([]byte, 64))}},
		"other statement": {"csrf": {csrf}, "keyid": {o.keyID}, "statement": {b64(append(st, ' '))}, "sig": {b64(make([]byte, 64))}},
		"unknown key":     {"csrf": {csrf}, "keyid": {strings.Repeat("ab", 32)}, "statement": {b64(st)}, "sig": {b64(make([]byte, 64))}},
		"no csrf":         {"keyid": {o.keyID}, "statement": {b64(st)}, "sig": {b64(make([]byte, 64))}},
		"not base64":      {"csrf": {csrf}, "keyid": {o.keyID}, "statement": {"%%%"}, "sig": {"%%%"}},
	} {
		resp, body := c.post("/letters/"+ref+"/sign", form)
		if resp.StatusCode < 400 {
			t.Errorf("%s: %s\n%s", name, resp.Status, body)
		}
	}
	sigs, err := o.reg.Letter(context.Background(), o.actors["sam"], ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs.Signatures) != 0 {
		t.Errorf("refused signatures were recorded: %+v", sigs.Signatures)
	}
	for name, form := range map[string]url.Values{
		"short key": {"csrf": {csrf}, "public_key": {b64(make([]byte, 31))}},
		"no csrf":   {"public_key": {b64(make([]byte, 32))}},
	} {
		if resp, body := c.post("/keys", form); resp.StatusCode < 400 || !strings.Contains(body, `"error"`) {
			t.Errorf("%s: %s\n%s", name, resp.Status, body)
		}
	}
	// A drafter has no signer role: registering a key is forbidden.
	d := o.client()
	if resp, _ := d.post("/keys", url.Values{"csrf": {d.signIn("dana")}, "public_key": {b64(make([]byte, 32))}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a drafter registering a key: %s", resp.Status)
	}
}

// newBrowserKey signs sam in on ref's page, has the browser create a signing key there, and
// returns its key ID, which must be new.
func (b *tab) newBrowserKey(ref string) string {
	b.t.Helper()
	b.open("/letters/"+ref, "#password")
	b.signIn("sam", "#browser-key-create")
	b.do(chromedp.Click(chromedp.CSS("#browser-key-create")), chromedp.WaitVisible(chromedp.CSS("#browser-sign")))
	keyID, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("#browser-sign-form [name=keyid]").value`))
	if err != nil || len(keyID) != 64 || keyID == b.o.keyID {
		b.t.Fatalf("after creating a key the page holds key ID %q (%v)", keyID, err)
	}
	return keyID
}
