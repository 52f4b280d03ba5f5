package registry

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
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
