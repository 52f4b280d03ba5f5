package registry

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/seal"
)

// TestKeptSealBelowARaisedQuorum: a letter released before the office set a witness quorum
// has a kept seal on a checkpoint no witness cosigned. Once the quorum is set, the public
// answers (VerifyDigest, and PublicVerify's kept answer) carry a seal that the trust root the
// office now exports accepts, not the kept one, which such a verifier calls invalid.
func TestKeptSealBelowARaisedQuorum(t *testing.T) {
	ctx := context.Background()
	w := newWitnessedOffice(t, time.Minute)
	rel := w.releaseOne(t, "Dear Minister, the units move on Monday.")
	if rel.Seal == nil {
		t.Fatalf("no seal: %s", rel.SealPending)
	}
	digest := seal.DigestOf(rel.File)
	// Asked twice each, so that the answers are kept (in the store and in memory).
	for range 2 {
		if st, err := w.r.VerifyDigest(ctx, Actor{}, digest); err != nil || st.Outcome != Valid {
			t.Fatalf("verify: %+v %v", st, err)
		}
		if _, _, err := w.r.PublicVerify(ctx, digest, nil); err != nil {
			t.Fatal(err)
		}
	}

	vkey, srv := startWitness(t, "witness.justice.example", w, nil)
	if err := w.r.AddWitness(ctx, w.admin, "justice", srv.URL, vkey); err != nil {
		t.Fatal(err)
	}
	if err := w.r.SetWitnessQuorum(ctx, w.admin, 1); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); w.heads.Head() == nil || w.heads.Head().Size <= rel.LogIndex; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the witness never cosigned the release")
		}
	}
	v, err := seal.NewVerifier(w.r.TrustRoot())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		st, err := w.r.VerifyDigest(ctx, Actor{}, digest)
		if err != nil || st.Outcome != Valid || st.Seal == nil {
			t.Fatalf("verify: %+v %v", st, err)
		}
		if _, err := v.VerifyBytes(st.Seal, rel.File); err != nil {
			t.Errorf("lookup %d: VerifyDigest's seal under the trust root with the quorum: %v", i+1, err)
		}
		st, body, err := w.r.PublicVerify(ctx, digest, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := st.Seal
		if body != nil {
			var a struct {
				Seal json.RawMessage `json:"seal"`
			}
			if err := json.Unmarshal(body, &a); err != nil {
				t.Fatal(err)
			}
			if s, err = seal.Parse(a.Seal); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := v.VerifyBytes(s, rel.File); err != nil {
			t.Errorf("lookup %d: PublicVerify's seal under the trust root with the quorum: %v", i+1, err)
		}
	}

	// A letter released under the quorum keeps a seal the witness cosigned, which is given;
	// the first letter's, kept before, is not. The check reads the seal's lines in place: it
	// runs at every lookup of a kept answer.
	later := w.releaseOne(t, "Dear Minister, the units move on Tuesday.")
	if later.Seal == nil {
		t.Fatalf("no seal: %s", later.SealPending)
	}
	if !w.r.keptSealCosigned(later.Seal.Checkpoint) {
		t.Errorf("the seal of a letter released under the quorum is not taken as cosigned:\n%s", later.Seal.Checkpoint)
	}
	if w.r.keptSealCosigned(rel.Seal.Checkpoint) {
		t.Errorf("the seal kept before the quorum is taken as cosigned:\n%s", rel.Seal.Checkpoint)
	}
	if n := testing.AllocsPerRun(100, func() { w.r.keptSealCosigned(later.Seal.Checkpoint) }); n != 0 {
		t.Errorf("keptSealCosigned allocates %v times a lookup", n)
	}
}
