package registry

import (
	"context"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/seal"
)

// TestDraftBytesReadsBounded: anyone may verify or identify a file, so what the public paths
// read must not grow with what insiders store. A drafter can create any number of letters
// with the same file, and hand out the same copy any number of times; verifying that file or
// copy anonymously, or identifying it, read every version (and asked for the release of each)
// or every export with its digest: the allocations of the answer grew with them. They stay
// those of one letter and copy, and a reviewer is still told of the first letter and of
// every export, without reading the member who made each again.
func TestDraftBytesReadsBounded(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	now := time.Now()
	o.r.cfg.Now = func() time.Time { return now } // a copy's bytes name when it was handed out
	const text = "Dear Minister, the same draft in many letters."
	first := o.letter(t, text)
	l, err := o.r.Letter(ctx, o.drafter, first)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := o.r.ExportDraft(ctx, o.drafter, first, "Embassy")
	if err != nil {
		t.Fatal(err)
	}
	allocs := func(d seal.Digest) (verify, ident float64) {
		verify = testing.AllocsPerRun(5, func() {
			if st, err := o.r.verifyDigest(ctx, Actor{}, d); err != nil || st.Outcome != Draft || st.Draft != nil {
				t.Fatalf("the public verifies %s: %+v, %v", d, st, err)
			}
		})
		ident = testing.AllocsPerRun(5, func() {
			if id, err := o.r.IdentifyDraftBytes(ctx, Actor{}, d); err != nil || id == nil || id.Outcome != Draft || id.Reference != "" {
				t.Fatalf("the public identifies %s: %+v, %v", d, id, err)
			}
		})
		return verify, ident
	}
	file, copied := seal.Digest(l.Versions[0].Digest), seal.Digest(cp.Digest)
	verify1, ident1 := allocs(file)
	verifyCopy1, identCopy1 := allocs(copied)
	member := func() float64 {
		return testing.AllocsPerRun(5, func() {
			if st, err := o.r.verifyDigest(ctx, o.reviewer, copied); err != nil || st.Draft == nil {
				t.Fatalf("a reviewer verifies the copy: %+v, %v", st, err)
			}
		})
	}
	member1 := member()
	// The same copy, handed out again, has the same bytes.
	for range 100 {
		o.letter(t, text)
		if _, err := o.r.ExportDraft(ctx, o.drafter, first, "Embassy"); err != nil {
			t.Fatal(err)
		}
	}
	verify, ident := allocs(file)
	verifyCopy, identCopy := allocs(copied)
	members := member()
	t.Logf("a reviewer's allocations for the copy handed out once: %.0f; 101 times: %.0f", member1, members)
	// A reviewer is told of every export, each read once (some ten allocations); the name of
	// the member who made it is not asked for again for each (another fifty).
	if members > member1+100*25 {
		t.Errorf("with 101 copies handed out by one member, a reviewer's answer allocates %.0f, with one %.0f: it reads the member again for each copy", members, member1)
	}
	t.Logf("allocations with one letter and copy: %.0f, %.0f (verify, identify the file), %.0f, %.0f (the copy); with 101: %.0f, %.0f, %.0f, %.0f",
		verify1, ident1, verifyCopy1, identCopy1, verify, ident, verifyCopy, identCopy)
	// One more row read costs some ten allocations: a hundred would add a thousand.
	if verify > verify1+200 || ident > ident1+200 {
		t.Errorf("with 101 letters of one file, the public's answers about it allocate %.0f (verify) and %.0f (identify), with one %.0f and %.0f: they read every letter", verify, ident, verify1, ident1)
	}
	if verifyCopy > verifyCopy1+200 || identCopy > identCopy1+200 {
		t.Errorf("with 101 copies handed out, the public's answers about the copy allocate %.0f (verify) and %.0f (identify), with one %.0f and %.0f: they read every copy", verifyCopy, identCopy, verifyCopy1, identCopy1)
	}
	st, err := o.r.VerifyDigest(ctx, o.reviewer, file)
	if err != nil || st.Draft == nil || st.Draft.Reference != first || st.Draft.Version != 1 {
		t.Fatalf("a reviewer verifies the draft's file: %+v, %v; want %s version 1", st, err, first)
	}
	st, err = o.r.VerifyDigest(ctx, o.reviewer, copied)
	if err != nil || st.Draft == nil || st.Draft.Reference != first || len(st.Draft.Exports) != 101 || st.Draft.Exports[100].By != "dana" {
		t.Fatalf("a reviewer verifies the copy: %+v, %v; want %s and its 101 exports by dana", st.Draft, err, first)
	}
}
