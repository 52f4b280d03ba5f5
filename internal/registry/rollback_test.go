package registry

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// TestPublicAnswerFollowsTheLog is a consequence of issue 12 item 4: verifiers refuse an
// answer proved against an older tree than one they have seen, so what an answer shows of the
// log must not lag a growth of the log (a key added or revoked, a policy adopted), or an honest
// registry would look like one replaying old answers. The seal of a letter that stands is the
// one kept from its release (issue 19); the answer's freshness is the latest checkpoint with
// the proof that it extends the seal's.
func TestPublicAnswerFollowsTheLog(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	_, rel := o.released(t, "Sir, ...\n")
	digest := seal.DigestOf(rel.File)
	size := func() int64 {
		t.Helper()
		st, err := o.r.VerifyDigest(ctx, Actor{}, digest)
		if err != nil || st.Seal == nil {
			t.Fatalf("VerifyDigest: %v", err)
		}
		f, err := o.r.Freshness(ctx, st.Seal.Checkpoint)
		if err != nil {
			t.Fatal(err)
		}
		n, err := checkpoint.Size(f.Checkpoint)
		if err != nil {
			t.Fatal(err)
		}
		old, _ := checkpoint.Size(st.Seal.Checkpoint)
		if n > old {
			oldRoot, _ := o.r.cfg.Log.TreeHash(ctx, old)
			newRoot, _ := o.r.cfg.Log.TreeHash(ctx, n)
			if err := tlog.CheckTree(f.Proof, n, newRoot, old, oldRoot); err != nil {
				t.Fatalf("freshness proof from %d to %d: %v", old, n, err)
			}
		}
		return n
	}
	steps := []struct {
		name string
		grow func()
	}{
		{"a key added", func() { o.newKey(t, o.signer) }},
		{"a key revoked", func() {
			_, id := o.newKey(t, o.signer)
			size() // cache the answer between the two entries
			if _, err := o.r.RevokeKey(ctx, o.signer, id, "rotated"); err != nil {
				t.Fatal(err)
			}
		}},
		{"a policy adopted", func() {
			src := []byte("version: 1\nname: again\nrules:\n  - name: d\n    default: true\n    require:\n      approvals:\n        - role: reviewer\n          count: 1\n")
			p, err := policy.Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := o.r.AdoptPolicy(ctx, o.admin, p, src); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, s := range steps {
		before := size()
		s.grow()
		if head := o.r.cfg.Log.Head().Size; size() != head || head <= before {
			t.Errorf("after %s the public answer is proved against tree size %d, the log's is %d (was %d)", s.name, size(), head, before)
		}
	}
}

// TestVerifyLatestSignsTheState: an answer for a verifier that refuses older answers carries
// the log's signed status of the letter in the latest checkpoint's tree (checkpoint.Status),
// with the answer's outcome, before and after a retraction; a public answer and its status
// agree on the tree.
func TestVerifyLatestSignsTheState(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	ref, rel := o.released(t, "Sir, ...\n")
	digest := seal.DigestOf(rel.File)
	v, err := note.NewVerifier(o.r.cfg.LogKey)
	if err != nil {
		t.Fatal(err)
	}
	check := func(want string, revocations int64) {
		t.Helper()
		st, f, err := o.r.VerifyLatest(ctx, Actor{}, digest)
		if err != nil || f == nil {
			t.Fatalf("VerifyLatest: %v, %v", f, err)
		}
		c, _, err := checkpoint.Open(f.Checkpoint, v)
		if err != nil {
			t.Fatal(err)
		}
		s, err := checkpoint.OpenStatus(f.Status, v)
		if err != nil {
			t.Fatalf("the status: %v\n%s", err, f.Status)
		}
		if st.Outcome != want || s.Outcome != want || s.Size != c.Size || s.Root != c.Root || s.Release != st.Seal.Release.Index ||
			s.Revocations != revocations || int64(len(st.Revocations)) != revocations {
			t.Errorf("answer %s (release %d, %d revocations), status %+v, checkpoint size %d; want %s with %d", st.Outcome, st.Seal.Release.Index, len(st.Revocations), s, c.Size, want, revocations)
		}
	}
	o.newKey(t, o.signer) // the log grows past the kept seal's tree
	check(Valid, 0)
	stmt, pt := o.withdrawalStatement(t, o.signer, ref, "", "Sent too early")
	if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatal(err)
	}
	o.newKey(t, o.signer)
	check(Retracted, 0)
	// The key that signed it, revoked since: the status counts the revocation.
	if _, err := o.r.RevokeKey(ctx, o.signer, o.keyID, "rotated"); err != nil {
		t.Fatal(err)
	}
	o.newKey(t, o.signer)
	check(Retracted, 1)
}
