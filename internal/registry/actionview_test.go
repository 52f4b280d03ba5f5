package registry

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/seal"
)

// TestActionViewIsTheLetters checks that the view an approval and a signature answer with,
// read in their own transactions from what they already read, is the letter's view read
// afterwards, with every member named.
func TestActionViewIsTheLetters(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	dora := o.member(t, "dora", RoleDrafter)
	rex := o.member(t, "rex", RoleReviewer)
	ref := o.letter(t, "Dear Minister, draft one.")
	if _, err := o.r.Revise(ctx, dora, ref, Upload{Name: "letter.txt", Data: []byte("Dear Minister, draft two.")}); err != nil {
		t.Fatal(err)
	}
	same := func(step string, got *LetterView) {
		t.Helper()
		want, err := o.r.Letter(ctx, o.reviewer, ref)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("%s: the action's view\n%s\nis not the letter's view\n%s", step, g, w)
		}
	}
	if err := o.r.Approve(ctx, o.reviewer, ref, "", "reviewed"); err != nil {
		t.Fatal(err)
	}
	v, err := o.r.ApproveView(ctx, rex, ref, "", "seen too")
	if err != nil {
		t.Fatal(err)
	}
	same("approval", v)
	st, err := o.r.SigningStatement(ctx, o.signer, ref)
	if err != nil {
		t.Fatal(err)
	}
	v, err = o.r.SignView(ctx, o.signer, ref, o.keyID, st, ed25519.Sign(o.signerKey, dsse.PAE(seal.SigningPayloadType, st)))
	if err != nil {
		t.Fatal(err)
	}
	same("signature", v)
	if v.Decision == nil || v.State != "draft" {
		t.Errorf("a signed draft's view: state %q, decision %v", v.State, v.Decision)
	}
	if v.Author != "dana" || len(v.Versions) != 2 || v.Versions[0].By != "dana" || v.Versions[1].By != "dora" {
		t.Errorf("author %q, versions %+v: want dana's letter revised by dora", v.Author, v.Versions)
	}
	if len(v.Approvals) != 2 || v.Approvals[0].Member != "rita" || v.Approvals[1].Member != "rex" {
		t.Errorf("approvals %+v: want rita's and rex's", v.Approvals)
	}
	if len(v.Signatures) != 1 || v.Signatures[0].Member != "sam" {
		t.Errorf("signatures %+v: want sam's", v.Signatures)
	}
}
