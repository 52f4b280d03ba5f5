package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

// testChanges checks the changes one admin proposes and another decides: read back as
// written, listed pending first, decided once.
func testChanges(t *testing.T, db *store.DB) {
	rita := addMember(t, db, "rita")
	sam := addMember(t, db, "sam")
	var ids []int64
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i, kind := range []string{"member.add", "member.token", "policy.adopt"} {
			c := &store.Change{Kind: kind, Subject: "carol", Detail: []byte(`{"roles":["signer"]}`), ProposedBy: rita.ID, ProposedAt: t0.Add(time.Duration(i) * time.Minute)}
			if err := tx.AddChange(ctx, c); err != nil {
				return err
			}
			ids = append(ids, c.ID)
		}
		return nil
	})
	if ids[0] == ids[1] || ids[1] == ids[2] {
		t.Fatalf("change IDs %v are not distinct", ids)
	}
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		c, err := tx.Change(ctx, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		if c.Kind != "member.token" || c.Subject != "carol" || !bytes.Equal(c.Detail, []byte(`{"roles":["signer"]}`)) ||
			c.ProposedBy != rita.ID || !c.ProposedAt.Equal(t0.Add(time.Minute)) || c.State != store.ChangePending || c.DecidedBy != 0 || !c.DecidedAt.IsZero() {
			t.Errorf("change read back as %+v", c)
		}
		if _, err := tx.Change(ctx, 1<<40); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a missing change: %v, want ErrNotFound", err)
		}
		return nil
	})

	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		if err := tx.DecideChange(ctx, ids[0], store.ChangeDone, sam.ID, t0.Add(time.Hour)); err != nil {
			return err
		}
		return tx.DecideChange(ctx, ids[2], store.ChangeRefused, rita.ID, t0.Add(2*time.Hour))
	})
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		// Decided once: a second decision, either way, is a conflict and changes nothing.
		for _, state := range []string{store.ChangeDone, store.ChangeRefused} {
			if err := tx.DecideChange(ctx, ids[0], state, rita.ID, t0.Add(3*time.Hour)); !errors.Is(err, store.ErrConflict) {
				t.Errorf("change decided again (%s): %v, want ErrConflict", state, err)
			}
		}
		if err := tx.DecideChange(ctx, 1<<40, store.ChangeDone, rita.ID, t0); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a missing change decided: %v, want ErrNotFound", err)
		}
		if err := tx.DecideChange(ctx, ids[1], store.ChangePending, rita.ID, t0); err == nil {
			t.Error("a change decided as pending")
		}
		return nil
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		c, err := tx.Change(ctx, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if c.State != store.ChangeDone || c.DecidedBy != sam.ID || !c.DecidedAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("decided change read back as %+v", c)
		}
		cs, err := tx.Changes(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		// The pending one, then the latest decided one only (limit 1).
		if len(cs) != 2 || cs[0].ID != ids[1] || cs[1].ID != ids[2] || cs[1].State != store.ChangeRefused {
			t.Errorf("changes listed as %+v, want %d pending then %d refused", cs, ids[1], ids[2])
		}
		// A proposer's pending changes: rita's one left, none of sam's.
		mine, err := tx.PendingChangesBy(ctx, rita.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(mine) != 1 || mine[0].ID != ids[1] {
			t.Errorf("rita's pending changes: %+v, want %d alone", mine, ids[1])
		}
		if theirs, err := tx.PendingChangesBy(ctx, sam.ID); err != nil || len(theirs) != 0 {
			t.Errorf("sam's pending changes: %+v, %v, want none", theirs, err)
		}
		return nil
	})

	// Refused by no member (the operator's 'chancery member recover'): no decider, a time.
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.DecideChange(ctx, ids[1], store.ChangeRefused, 0, t0.Add(4*time.Hour))
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		c, err := tx.Change(ctx, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		if c.State != store.ChangeRefused || c.DecidedBy != 0 || !c.DecidedAt.Equal(t0.Add(4*time.Hour)) {
			t.Errorf("change refused by no member read back as %+v", c)
		}
		return nil
	})
}
