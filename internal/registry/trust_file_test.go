package registry

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/seal"
)

// TestTrustRootFileFollowsChanges: the trust root's file and its fingerprint, which every
// verify result page shows (item 838), were made at each page: marshalling checks every key,
// a third of the page's time (fifty-seventh session's review). TrustRootFile makes them once,
// and again when the witnesses or the office keys change, always the bytes TrustRoot
// marshals to (those /api/v1/trust serves).
func TestTrustRootFileFollowsChanges(t *testing.T) {
	ctx := context.Background()
	check := func(r *Registry, when string) []byte {
		t.Helper()
		b, fp, err := r.TrustRootFile()
		if err != nil {
			t.Fatal(err)
		}
		want, err := r.TrustRoot().Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want) || fp != seal.TrustRootFingerprint(want) {
			t.Errorf("%s: the trust root's file\n%s\nfingerprint %s, want\n%s\n%s", when, b, fp, want, seal.TrustRootFingerprint(want))
		}
		return b
	}

	w := newWitnessedOffice(t, time.Minute)
	first := check(w.r, "at first")
	if again := check(w.r, "again"); &again[0] != &first[0] {
		t.Error("the trust root's file was made again, though nothing changed")
	}
	vkey, srv := startWitness(t, "witness.justice.example", w, nil)
	if err := w.r.AddWitness(ctx, w.admin, "justice", srv.URL, vkey); err != nil {
		t.Fatal(err)
	}
	witnessed := check(w.r, "after a witness was added")
	if !bytes.Contains(witnessed, []byte(vkey)) {
		t.Errorf("the trust root's file does not name the witness added:\n%s", witnessed)
	}
	if err := w.r.SetWitnessQuorum(ctx, w.admin, 1); err != nil {
		t.Fatal(err)
	}
	if b := check(w.r, "after the quorum was raised"); bytes.Equal(b, witnessed) {
		t.Errorf("the trust root's file is the one before the quorum was raised:\n%s", b)
	}

	// An office key rotation, read from the store as a server of a PostgreSQL office does.
	o := newOffice(t)
	before := check(o.r, "before the rotation")
	_, next, _ := ed25519.GenerateKey(rand.Reader)
	if _, err := o.r.RotateOfficeKey(ctx, o.admin, next, "office.key", "office-next.key", "rotation"); err != nil {
		t.Fatal(err)
	}
	if err := o.r.LoadOfficeKeys(ctx); err != nil {
		t.Fatal(err)
	}
	if b := check(o.r, "after the rotation"); bytes.Equal(b, before) {
		t.Errorf("the trust root's file is the one before the rotation:\n%s", b)
	}
}
