package registry

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestNegativeQuorumIsNotProposed: a quorum below zero is refused at once, with two admins as
// with one, rather than proposed as a change no second admin could ever carry out.
func TestNegativeQuorumIsNotProposed(t *testing.T) {
	ctx := context.Background()
	w := newWitnessedOffice(t, time.Minute)
	if err := w.r.SetWitnessQuorum(ctx, w.admin, -1); !errors.Is(err, ErrInvalid) {
		t.Errorf("one admin, quorum -1: %v, want invalid", err)
	}
	w.member(t, "ada", RoleAdmin)
	p, src := twoAdminsPolicy(t, true)
	if _, err := w.r.AdoptPolicy(ctx, w.admin, p, src); err != nil {
		t.Fatal(err)
	}
	err := w.r.SetWitnessQuorum(ctx, w.admin, -1)
	if !errors.Is(err, ErrInvalid) || Proposed(err) != nil {
		t.Errorf("two admins, quorum -1: %v, want invalid and nothing proposed", err)
	}
	if cs, err := w.r.Changes(ctx, w.admin); err != nil || len(cs) != 0 {
		t.Errorf("changes: %+v, %v; want none", cs, err)
	}
}
