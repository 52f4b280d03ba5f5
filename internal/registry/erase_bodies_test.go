package registry

import (
	"bytes"
	"context"
	"testing"

	"github.com/chancery/chancery/internal/seal"
)

// TestEraseDropsKeptAnswerBodies: the answers a server keeps rendered for the public (by a
// file's digest, asked more than once) hold the letter's subject, signers and seal. An
// erasure made them stale, and none was given again, but they stayed in the map, with what
// the office erased, until it filled or the server restarted. An erasure now drops them.
func TestEraseDropsKeptAnswerBodies(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	holdAnswers(t, o.r.cfg.DB)
	ref, rel := o.released(t, "Dear Minister,\n\nA letter whose answers are kept, then erased.\n")
	d := seal.DigestOf(rel.File)
	for range 3 {
		if _, _, err := o.r.PublicVerify(ctx, d, nil); err != nil {
			t.Fatal(err)
		}
	}
	kept := func() (n int) {
		o.r.answers.mu.Lock()
		defer o.r.answers.mu.Unlock()
		for _, b := range o.r.answers.bodies {
			if bytes.Contains(b.body, []byte("Repositioning of forces")) {
				n++
			}
		}
		return n
	}
	if kept() == 0 {
		t.Fatal("no answer was kept before the erasure: the test would prove nothing")
	}
	if err := o.r.Erase(ctx, o.admin, ref, "asked by the addressee"); err != nil {
		t.Fatal(err)
	}
	if n := kept(); n != 0 {
		t.Errorf("after the erasure, %d kept answers still hold the letter's subject", n)
	}
}

// TestKeptBodyReadBeforeAnErasureIsNotKept: a lookup that read a letter's answer before its
// erasure, and keeps it after the erasure dropped the kept answers, keeps nothing (row 811's
// check of the generation when keeping; no test failed without it).
func TestKeptBodyReadBeforeAnErasureIsNotKept(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	holdAnswers(t, o.r.cfg.DB)
	ref, rel := o.released(t, "Dear Minister,\n\nA letter whose answer is read, then erased.\n")
	d := seal.DigestOf(rel.File)
	before := o.r.public.generation()
	_, body, err := o.r.PublicVerify(ctx, d, nil)
	if err != nil || body == nil || !bytes.Contains(body, []byte("Repositioning of forces")) {
		t.Fatalf("no kept answer read before the erasure (%v): the test would prove nothing", err)
	}
	body = bytes.Clone(body)
	if err := o.r.Erase(ctx, o.admin, ref, "asked by the addressee"); err != nil {
		t.Fatal(err)
	}
	for range 2 { // kept at its second lookup
		o.r.answers.keep("digest "+string(d), before, body, o.r.public.generation)
	}
	o.r.answers.mu.Lock()
	defer o.r.answers.mu.Unlock()
	if len(o.r.answers.bodies) != 0 {
		t.Errorf("an answer read before the erasure was kept after it: %d bodies", len(o.r.answers.bodies))
	}
}
