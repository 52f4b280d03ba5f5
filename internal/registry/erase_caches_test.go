package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/seal"
)

// TestEraseVoidsKeptAnswersAtCommit asks about a letter until its answers are kept (by its
// file's digest, and by its reference and check code), erases it, and asks again the moment
// the erasure has committed, before its scrub of the WAL (which takes the time the WAL takes):
// no answer kept from before the erasure, with its subject and seal, is given then.
func TestEraseVoidsKeptAnswersAtCommit(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	holdAnswers(t, o.r.cfg.DB)
	ref, rel := o.released(t, "Dear Minister,\n\nA letter whose answers are kept, then erased.\n")
	d := seal.DigestOf(rel.File)
	for range 3 {
		if _, _, err := o.r.PublicVerify(ctx, d, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := o.r.VerifyDigest(ctx, Actor{}, d); err != nil {
			t.Fatal(err)
		}
		if _, _, err := o.r.StatusWithCode(ctx, ref, rel.CheckCode); err != nil {
			t.Fatal(err)
		}
	}
	if _, body, _ := o.r.PublicVerify(ctx, d, nil); body == nil || !strings.Contains(string(body), "Repositioning of forces") {
		t.Fatalf("the answer is not kept before the erasure: %s", body)
	}
	asked := false
	eraseCommitted = func() {
		asked = true
		st, body, err := o.r.PublicVerify(ctx, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if body != nil || !st.Erased || st.Subject != "" || st.Seal != nil {
			t.Errorf("the kept answer by digest, once the erasure committed: %+v %s", st, body)
		}
		if st, err := o.r.VerifyDigest(ctx, Actor{}, d); err != nil || !st.Erased || st.Subject != "" || st.Seal != nil {
			t.Errorf("the answer by digest, once the erasure committed: %+v, %v", st, err)
		}
		if st, _, err := o.r.StatusWithCode(ctx, ref, rel.CheckCode); err != nil || !st.Erased || st.Subject != "" || st.Seal != nil {
			t.Errorf("the answer by reference and code, once the erasure committed: %+v, %v", st, err)
		}
	}
	defer func() { eraseCommitted = nil }()
	if err := o.r.Erase(ctx, o.admin, ref, "asked by the addressee"); err != nil {
		t.Fatal(err)
	}
	if !asked {
		t.Fatal("the erasure did not call eraseCommitted")
	}
}
