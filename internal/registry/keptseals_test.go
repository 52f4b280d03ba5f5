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
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestKeptSeals: a released letter's seal is kept from its release, against the checkpoint
// that first included it, and lookups answer with those very bytes however the log grows;
// erasure deletes it with the opening it holds.
func TestKeptSeals(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref, rel := o.released(t, "Sir, the first letter.\n")
	digest := seal.DigestOf(rel.File)
	kept, err := keptSealOf(t, o.r, digest, rel.LogIndex)
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
	err = o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteSeal(ctx, rel.LogIndex); err != nil {
			return err
		}
		return tx.DropAnswer(ctx, string(digest))
	})
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
	if _, err := keptSealOf(t, o.r, digest, rel.LogIndex); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the kept seal outlived the erasure: %v", err)
	}
	// And nothing keeps it again.
	if _, err := o.r.VerifyDigest(ctx, Actor{}, digest); err != nil {
		t.Fatal(err)
	}
	if _, err := keptSealOf(t, o.r, digest, rel.LogIndex); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a seal was kept for an erased letter: %v", err)
	}
}

// keptSealOf returns the kept seal of the release at index, from seals or, since the ninth
// pass of issue 19 item 5, from its kept answer; ErrNotFound if neither holds one.
func keptSealOf(t *testing.T, r *Registry, digest seal.Digest, index int64) (store.KeptSeal, error) {
	t.Helper()
	ctx := context.Background()
	var k store.KeptSeal
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		k, err = tx.Seal(ctx, index)
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		return k, err
	}
	a, err := r.cfg.DB.Answer(ctx, string(digest))
	if err != nil {
		return k, err
	}
	s, err := answerSeal(a, index)
	if err != nil {
		t.Fatalf("answer of %s: %v", digest, err)
	}
	return *s, nil
}

// TestSealsInAnswers: a released letter whose answer is kept has its seal kept in that answer
// only (issue 19 item 5, ninth pass): no seals row. Every answer served about it (the kept
// answer's bytes, the status computed from its tables, for the public, a member, and the
// holder of its check code) is byte for byte the same whether its seal is kept there or, as
// before, in seals, in a registry started afresh on the same store as well; and erasure
// leaves no copy of its opening.
func TestSealsInAnswers(t *testing.T) { sealsInAnswers(t, newOffice(t)) }

// TestSealsInAnswersPostgres is TestSealsInAnswers on PostgreSQL.
func TestSealsInAnswersPostgres(t *testing.T) {
	db, err := store.OpenPostgres(context.Background(), storetest.PostgresSchemas(t)())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sealsInAnswers(t, officeOn(t, db))
}

func sealsInAnswers(t *testing.T, o *office) {
	ctx := context.Background()
	type letter struct {
		ref string
		rel *Released
	}
	var letters []letter
	for i := range 3 {
		ref, rel := o.released(t, fmt.Sprintf("Sir, letter %d of three, whose seal its answer keeps.\n", i))
		letters = append(letters, letter{ref, rel})
	}
	o.released(t, "Sir, a later letter, which grows the log.\n")
	counts := func() (seals, answers int64) {
		t.Helper()
		err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
			c, err := tx.Counts(ctx, []string{"seals", "answers"})
			seals, answers = c[0].Rows, c[1].Rows
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return seals, answers
	}
	if s, a := counts(); s != 0 || a != 4 {
		t.Fatalf("%d seals rows and %d answers after four releases, want 0 and 4", s, a)
	}
	served := func(r *Registry) [][]byte {
		t.Helper()
		r.public.changed()
		var out [][]byte
		for _, l := range letters {
			d := seal.DigestOf(l.rel.File)
			st, body, err := r.PublicVerify(ctx, d, nil)
			if err != nil || st != nil || body == nil {
				t.Fatalf("%s: not answered from its kept answer: %+v, %v", l.ref, st, err)
			}
			out = append(out, bytes.Clone(body))
			for _, a := range []Actor{{}, o.admin} {
				st, err := r.VerifyDigest(ctx, a, d)
				if err != nil || st.SealJSON == nil {
					t.Fatalf("%s: verify: %+v, %v (kept seal used: %v)", l.ref, st, err, err == nil && st.SealJSON != nil)
				}
				j, err := AppendStatusJSON(nil, st)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(j, body) || !bytes.Equal(st.SealJSON, l.rel.Seal.Marshal()) {
					t.Errorf("%s: the status from the tables is not the kept answer, or not the seal handed out at release", l.ref)
				}
				out = append(out, j)
			}
			st, ok, err := r.StatusWithCode(ctx, l.ref, l.rel.CheckCode)
			if err != nil || !ok {
				t.Fatalf("%s: status with code: %v, %v", l.ref, ok, err)
			}
			j, err := AppendStatusJSON(nil, st)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, j)
		}
		return out
	}
	inAnswers := served(o.r)
	for _, l := range letters {
		k, err := keptSealOf(t, o.r, seal.DigestOf(l.rel.File), l.rel.LogIndex)
		if err != nil || !reflect.DeepEqual(k, compactSeal(l.rel.Seal)) {
			t.Fatalf("%s: the seal in its answer is not the seal handed out at release: %v", l.ref, err)
		}
	}
	// The same letters with their seals in seals, as kept before: the same bytes.
	err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		for _, l := range letters {
			if err := tx.PutSeal(ctx, l.rel.LogIndex, compactSeal(l.rel.Seal)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := counts(); s != 3 {
		t.Fatalf("%d seals rows, want 3", s)
	}
	inSeals := served(o.r)
	fresh := New(o.r.cfg) // nothing held in memory
	for name, got := range map[string][][]byte{"in seals": inSeals, "in seals, a registry started afresh": served(fresh)} {
		for i := range got {
			if !bytes.Equal(got[i], inAnswers[i]) {
				t.Errorf("%s: answer %d differs from the one served with the seal in its answer:\n%s\n%s", name, i, got[i], inAnswers[i])
			}
		}
	}
	err = o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		for _, l := range letters {
			if err := tx.DeleteSeal(ctx, l.rel.LogIndex); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, got := range served(New(o.r.cfg)) {
		if !bytes.Equal(got, inAnswers[i]) {
			t.Errorf("in answers, a registry started afresh: answer %d differs", i)
		}
	}

	// Erasure: neither the answer nor a seals row keeps the seal, which holds the opening.
	l := letters[0]
	if err := o.r.Erase(ctx, o.admin, l.ref, "at the ministry's request"); err != nil {
		t.Fatal(err)
	}
	if _, err := keptSealOf(t, o.r, seal.DigestOf(l.rel.File), l.rel.LogIndex); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a kept seal outlived the erasure: %v", err)
	}
	if _, body, err := o.r.PublicVerify(ctx, seal.DigestOf(l.rel.File), nil); err != nil || body != nil {
		t.Fatalf("a kept answer outlived the erasure: %v", err)
	}
	err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		for _, table := range []string{"answers", "seals"} {
			c, err := tx.Counts(ctx, []string{table})
			if err != nil {
				return err
			}
			if want := map[string]int64{"answers": 3, "seals": 0}[table]; c[0].Rows != want {
				t.Errorf("%d rows in %s after the erasure, want %d", c[0].Rows, table, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range letters[1:] {
		if _, err := keptSealOf(t, o.r, seal.DigestOf(l.rel.File), l.rel.LogIndex); err != nil {
			t.Errorf("%s: its kept seal went with another letter's erasure: %v", l.ref, err)
		}
	}
}
