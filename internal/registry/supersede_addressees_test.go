package registry

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/seal"
)

// TestSupersedeRefusesLetterForOthers: a supersession gives the superseded letter's holders
// the superseding letter's reference and file digest, and a file's digest is what opens its
// seal to anyone (subject, addressees, signers: GET /verify/seal?digest=). A letter to other
// addressees (a reference mistyped, or a letter meant for someone else) is refused: its
// holders would learn of a letter not meant for them, and the log would record, for good,
// the wrong letter as the correction. One addressed to them and more is accepted.
func TestSupersedeRefusesLetterForOthers(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	old, oldRel := o.released(t, "The original instruction to Freedonia.")
	create := func(body string, to ...string) string {
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Other matter", Class: "foreign-government",
			Addressees: to, File: Upload{Name: "letter.txt", Data: []byte(body)}})
		if err != nil {
			t.Fatal(err)
		}
		o.approve(t, ref)
		if err := o.sign(t, ref); err != nil {
			t.Fatal(err)
		}
		if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
			t.Fatal(err)
		}
		return ref
	}
	other := create("A letter to another government.", "Ministry of Foreign Affairs of Sylvania")
	_, _, err := o.withdrawalStatementOf(ctx, o.signer, old, other, "corrected")
	wantErr(t, "supersede by a letter to other addressees", err, ErrConflict)

	wider := create("The corrected instruction, copied to Sylvania.", "Ministry of Defence of Freedonia", "Ministry of Foreign Affairs of Sylvania")
	stmt, pt := o.withdrawalStatement(t, o.signer, old, wider, "corrected")
	if _, err := o.withdraw(ctx, o.signer, old, wider, o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatalf("supersede by a letter to the same addressees and more: %v", err)
	}
	if st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(oldRel.File)); err != nil || st.Outcome != Superseded || st.SupersededBy != wider {
		t.Fatalf("the superseded letter: %+v, %v", st, err)
	}
}

// TestSupersedeRefusesErasedLetter: erasure empties a letter's addressees, so the check above
// passed for any superseding letter, and the erased letter's holders (who keep their seal and
// may ask by its file's digest) were handed the reference and file digest of a letter meant
// for anyone. Who an erased letter was for is no longer known: it may be retracted, not
// superseded.
func TestSupersedeRefusesErasedLetter(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	old, oldRel := o.released(t, "The original instruction to Freedonia.")
	other, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Other matter", Class: "foreign-government",
		Addressees: []string{"Ministry of Foreign Affairs of Sylvania"}, File: Upload{Name: "letter.txt", Data: []byte("A letter to another government.")}})
	if err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, other)
	if err := o.r.Erase(ctx, o.admin, old, "erasure request"); err != nil {
		t.Fatal(err)
	}
	_, _, err = o.withdrawalStatementOf(ctx, o.signer, old, other, "corrected")
	wantErr(t, "supersede an erased letter", err, ErrConflict)
	if st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(oldRel.File)); err != nil || st.SupersededBy != "" {
		t.Errorf("the erased letter's holders are told of another letter: %+v, %v", st, err)
	}
	stmt, pt := o.withdrawalStatement(t, o.signer, old, "", "withdrawn")
	if _, err := o.withdraw(ctx, o.signer, old, "", o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Errorf("retract an erased letter: %v", err)
	}
}
