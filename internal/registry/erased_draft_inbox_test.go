package registry

import (
	"context"
	"testing"
)

// TestErasedDraftLeavesTheInbox: a draft erased again at a server's start (EraseLetterAgain)
// can no longer be revised, approved, signed or released: it is in no member's inbox, where
// it stood as its drafter's letter to follow, with no subject, for good.
func TestErasedDraftLeavesTheInbox(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister, a draft.")
	v, err := o.r.Letter(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := o.r.EraseLetterAgain(ctx, ErasedLetter{Reference: ref, Created: v.CreatedAt, Digest: v.Versions[0].Digest}); err != nil || got != ref {
		t.Fatalf("erase again: %q, %v", got, err)
	}
	for _, a := range []Actor{o.drafter, o.reviewer, o.signer, o.officer} {
		in, err := o.r.Inbox(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range append(in.Waiting, in.Others...) {
			if it.Reference == ref {
				t.Errorf("%s's inbox holds the erased draft: %+v", a.Member.Name, it)
			}
		}
	}
}
