package registry

import (
	"context"
	"strings"
	"testing"
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
