package registry

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
)

// TestPublicAnswerFollowsTheLog is a consequence of issue 12 item 4: verifiers refuse an
// answer proved against an older tree than one they have seen, so a cached public answer must
// not outlive a growth of the log (a key added or revoked, a policy adopted), or an honest
// registry would look like one replaying old answers.
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
		n, err := checkpoint.Size(st.Seal.Checkpoint)
		if err != nil {
			t.Fatal(err)
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
