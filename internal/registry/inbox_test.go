package registry

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestInbox(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister, draft one.")
	actions := func(a Actor) []string {
		t.Helper()
		in, err := o.r.Inbox(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range in.Waiting {
			if it.Reference == ref {
				if len(it.Missing) == 0 && !slices.Contains(it.Actions, ActRelease) {
					t.Errorf("%s: nothing missing but no release", a.Member.Name)
				}
				return it.Actions
			}
		}
		return nil
	}
	want := func(a Actor, w ...string) {
		t.Helper()
		if got := actions(a); !slices.Equal(got, w) {
			t.Errorf("%s's actions on %s: %v, want %v", a.Member.Name, ref, got, w)
		}
	}
	want(o.drafter, ActFollow)
	want(o.reviewer, ActApprove)
	want(o.signer, ActSign)
	want(o.officer)
	if err := o.r.Approve(ctx, o.reviewer, ref, "", ""); err != nil {
		t.Fatal(err)
	}
	want(o.reviewer)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	want(o.signer)
	want(o.officer, ActRelease)
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatal(err)
	}
	in, err := o.r.Inbox(ctx, o.officer)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Waiting) != 0 || len(in.Released) != 1 || in.Released[0].Reference != ref {
		t.Errorf("after release: %+v", in)
	}
	if _, err := o.r.Inbox(ctx, Actor{}); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("anonymous inbox: %v", err)
	}
}
