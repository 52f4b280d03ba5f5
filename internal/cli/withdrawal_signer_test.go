package cli_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
)

// retractWith retracts ref (or supersedes it by the letter by) as the member who, signing
// with key (registered as keyID).
func (o *office) retractWith(who, ref, by, keyID string, key ed25519.PrivateKey) {
	o.t.Helper()
	ctx := context.Background()
	st, pt, op, err := o.reg.WithdrawalStatement(ctx, o.actors[who], ref, by, "sent in error")
	if err != nil {
		o.t.Fatal(err)
	}
	if _, err := o.reg.Withdraw(ctx, o.actors[who], ref, by, keyID, st, op, ed25519.Sign(key, dsse.PAE(pt, st))); err != nil {
		o.t.Fatal(err)
	}
}

// newSignerKey registers a new signer key for who.
func (o *office) newSignerKey(who string) (string, ed25519.PrivateKey) {
	o.t.Helper()
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	id, _, err := o.reg.RegisterKey(context.Background(), o.actors[who], key.Public().(ed25519.PublicKey))
	if err != nil {
		o.t.Fatal(err)
	}
	return id, key
}

// TestVerifyChecksTheWithdrawalSignersSignature: online verify checked a retraction's office
// signature only, and took the member the statement names on the registry's word (docs/
// security.md, twenty-sixth session's "not fixed" list): the answer did not carry the
// signer's key entry (found by audit, thirty-eighth session). The registry now gives it
// (withdrawal_key), and verify refuses a withdrawal that key did not sign, a key of another
// member than the one named, or a key added after the withdrawal.
func TestVerifyChecksTheWithdrawalSignersSignature(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	tok, err := o.reg.AddMember(ctx, o.actors["root"], "sue", []string{registry.RoleSigner})
	if err != nil {
		t.Fatal(err)
	}
	o.add("sue", tok)
	sueKeyID, sueKey := o.newSignerKey("sue")
	samKeyID2, samKey2 := o.newSignerKey("sam")
	files := map[string]string{}
	var refs []string
	for i := range 6 {
		ref := o.letter(fmt.Sprintf("Letter %d", i), "foreign-government", fmt.Sprintf("# Letter %d\n\nSir, ...\n", i))
		o.ready(ref)
		if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
			t.Fatalf("release: %s", errs)
		}
		bare := filepath.Join(dir, "bare", ref+".pdf")
		data, err := os.ReadFile(filepath.Join(dir, ref+".pdf"))
		if err == nil {
			err = os.MkdirAll(filepath.Dir(bare), 0o755)
		}
		if err == nil {
			err = os.WriteFile(bare, data, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		files[ref] = bare
		refs = append(refs, ref)
	}
	trust := filepath.Join(dir, "trust.json")
	tb, _ := o.reg.TrustRoot().Marshal()
	if err := os.WriteFile(trust, tb, 0o644); err != nil {
		t.Fatal(err)
	}
	target, bySue, bySam2, byLater := refs[0], refs[1], refs[2], refs[3]
	superseded, replacement := refs[4], refs[5]
	o.retractWith("sam", target, "", o.keyID, o.key)
	o.retractWith("sue", bySue, "", sueKeyID, sueKey)
	o.retractWith("sam", bySam2, "", samKeyID2, samKey2)
	o.retractWith("sam", superseded, replacement, o.keyID, o.key)
	// A key of sam's added after the target's retraction, with which sam retracts another.
	laterKeyID, laterKey := o.newSignerKey("sam")
	o.retractWith("sam", byLater, "", laterKeyID, laterKey)

	code, out, errs := verifyAt(t, o.url, "--trust", trust, files[target])
	if code != cli.ExitFailed || !strings.HasPrefix(out, "retracted: ") {
		t.Fatalf("the registry's own answer: %d %q %q", code, out, errs)
	}
	code, out, errs = verifyAt(t, o.url, "--trust", trust, files[superseded])
	if code != cli.ExitFailed || !strings.HasPrefix(out, "superseded: "+superseded+" was superseded by "+replacement) {
		t.Fatalf("the registry's own answer about a superseded letter: %d %q %q", code, out, errs)
	}
	// Every answer is given against the latest checkpoint, which no entry has changed since.
	answers := map[string]map[string]json.RawMessage{}
	for _, ref := range refs[:5] {
		var ans map[string]json.RawMessage
		if err := json.Unmarshal(latestAnswer(t, o.url, filepath.Join(dir, ref+".pdf")), &ans); err != nil {
			t.Fatal(err)
		}
		if len(ans["withdrawal_key"]) == 0 {
			t.Fatalf("the answer about %s gives no withdrawal_key", ref)
		}
		answers[ref] = ans
	}
	for _, c := range []struct{ ref, keyOf, want string }{
		{target, bySue, "is sue's, not sam's"},
		{target, bySam2, "did not sign it"},
		{target, byLater, "not before it"},
		{superseded, bySue, "is sue's, not sam's"},
		{superseded, bySam2, "did not sign it"},
	} {
		ans := answers[c.ref]
		ans["withdrawal_key"] = answers[c.keyOf]["withdrawal_key"]
		forged, _ := json.Marshal(ans)
		code, out, errs := verifyAt(t, replayServer(t, o.url, forged).URL, "--trust", trust, files[c.ref])
		if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: the withdrawal does not verify") || !strings.Contains(out, c.want) {
			t.Errorf("the key of %s's withdrawal given as %s's: %d %q %q", c.keyOf, c.ref, code, out, errs)
		}
	}
}
