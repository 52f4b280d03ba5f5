package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// TestKeptSeals: a released letter's seal is kept from its release, against the checkpoint
// that first included it, and lookups answer with those very bytes however the log grows;
// erasure deletes it with the opening it holds.
func TestKeptSeals(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref, rel := o.released(t, "Sir, the first letter.\n")
	digest := seal.DigestOf(rel.File)
	var kept store.KeptSeal
	err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		kept, err = tx.Seal(ctx, rel.LogIndex)
		return err
	})
	if err != nil {
		t.Fatalf("no seal kept at release: %v", err)
	}
	if !reflect.DeepEqual(kept, compactSeal(rel.Seal)) {
		t.Fatal("the kept seal is not the seal the release handed out")
	}
	for i := range 3 {
		o.released(t, fmt.Sprintf("Sir, later letter %d, which grows the log.\n", i))
		st, err := o.r.VerifyDigest(ctx, Actor{}, digest)
		if err != nil || st.Outcome != Valid {
			t.Fatalf("verify: %+v %v", st, err)
		}
		if !bytes.Equal(st.SealJSON, rel.Seal.Marshal()) {
			t.Fatal("a lookup answered with another seal than the kept one")
		}
		if _, err := o.verifier.Verify(st.Seal, digest); err != nil {
			t.Fatalf("the kept seal does not verify: %v", err)
		}
	}

	// A letter released before seals were kept gets its seal kept at the first lookup.
	err = o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error { return tx.DeleteSeal(ctx, rel.LogIndex) })
	if err != nil {
		t.Fatal(err)
	}
	o.r.public.changed()
	if st, err := o.r.VerifyDigest(ctx, Actor{}, digest); err != nil || st.SealJSON != nil || st.Seal == nil {
		t.Fatalf("lookup without a kept seal: %v", err)
	}
	o.r.public.changed()
	if st, err := o.r.VerifyDigest(ctx, Actor{}, digest); err != nil || st.SealJSON == nil {
		t.Fatalf("the seal built at the first lookup was not kept: %v", err)
	}

	if err := o.r.Erase(ctx, o.admin, ref, "at the ministry's request"); err != nil {
		t.Fatal(err)
	}
	err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		_, err := tx.Seal(ctx, rel.LogIndex)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the kept seal outlived the erasure: %v", err)
	}
	// And nothing keeps it again.
	if _, err := o.r.VerifyDigest(ctx, Actor{}, digest); err != nil {
		t.Fatal(err)
	}
	err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		_, err := tx.Seal(ctx, rel.LogIndex)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a seal was kept for an erased letter: %v", err)
	}
}
