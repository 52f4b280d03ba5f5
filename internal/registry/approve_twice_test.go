package registry

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/policy"
)

// Approving a version twice says so; after a rejection, or on a new version, one approves
// again.
func TestApproveTwice(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Approved once is enough.")
	if err := o.r.Approve(ctx, o.reviewer, ref, "", "read it"); err != nil {
		t.Fatal(err)
	}
	err := o.r.Approve(ctx, o.reviewer, ref, "", "read it again")
	wantErr(t, "approve twice", err, ErrConflict)
	if err == nil || !strings.Contains(err.Error(), "already approved version 1") {
		t.Errorf("approve twice: %v, want it to say already approved", err)
	}
	if err := o.r.Reject(ctx, o.reviewer, ref, "", "on second thought"); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Approve(ctx, o.reviewer, ref, "", "fixed, after all"); err != nil {
		t.Errorf("approve after a rejection: %v", err)
	}
	if _, err := o.r.Revise(ctx, o.drafter, ref, Upload{Name: "letter.txt", Data: []byte("Version two.")}); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Approve(ctx, o.reviewer, ref, "", "read version two"); err != nil {
		t.Errorf("approve a new version: %v", err)
	}
}

// TestApproveAgainWhenTooOld: an approval too old to count (max_approval_age) is renewed by
// approving again, as the gate's reason says, not refused as given already: the reviewer
// would otherwise have to record a rejection they do not mean first. One still within the
// limit is not given twice.
func TestApproveAgainWhenTooOld(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	p, err := policy.Parse([]byte(modifierPolicy))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, []byte(modifierPolicy)); err != nil {
		t.Fatal(err)
	}
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
		Tags: []string{"urgent"}, Addressees: []string{"Ministry of Defence of Freedonia"},
		File: Upload{Name: "letter.txt", Data: []byte("Dear Minister, urgent.")}})
	if err != nil {
		t.Fatal(err)
	}
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	o.r.cfg.Now = func() time.Time { return now.Add(23 * time.Hour) }
	wantErr(t, "approve again within the limit", o.r.Approve(ctx, o.reviewer, ref, "", ""), ErrConflict)
	if asked := inboxAsks(t, o, o.reviewer, ref); asked {
		t.Errorf("the inbox asks the reviewer to approve again within the limit")
	}
	o.r.cfg.Now = func() time.Time { return now.Add(30 * time.Hour) }
	// The inbox asks the reviewer to approve again, as the letter's page does: it did not,
	// the reviewer having decided on the version already.
	if asked := inboxAsks(t, o, o.reviewer, ref); !asked {
		t.Errorf("the inbox does not ask the reviewer to renew an approval too old to count")
	}
	var gate *GateError
	if _, err := o.r.Release(ctx, o.officer, ref); !errors.As(err, &gate) || !strings.Contains(err.Error(), "max_approval_age") {
		t.Fatalf("released on an approval 30 hours old: %v", err)
	}
	if err := o.r.Approve(ctx, o.reviewer, ref, "", "still right"); err != nil {
		t.Fatalf("an approval too old to count renewed: %v", err)
	}
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Errorf("released on the renewed approval: %v", err)
	}
}

// inboxAsks reports whether a's inbox asks them to approve ref.
func inboxAsks(t *testing.T, o *office, a Actor, ref string) bool {
	t.Helper()
	in, err := o.r.Inbox(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range in.Waiting {
		if it.Reference == ref {
			return slices.Contains(it.Actions, ActApprove)
		}
	}
	return false
}
