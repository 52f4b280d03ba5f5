package registry

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/seal"
)

// TestAnswersNotKeptBetweenCommitAndReturn asks about a draft's reference until its answer
// ("unknown") is kept, releases it, and asks again after the release's transaction has ended
// and before the release voids the answers it changed (txEnded), as a lookup between the
// commit, which readers see as soon as the log publishes its checkpoint, and the log's batch
// answer is made; then the same for a retraction and an erasure. Until the fortieth session
// the answers kept from before were given in that gap.
func TestAnswersNotKeptBetweenCommitAndReturn(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister,\n\nA letter asked about between its release's commit and its return.\n")
	for range 3 {
		if st, err := o.r.StatusOf(ctx, ref); err != nil || st.Outcome != Unknown {
			t.Fatalf("before the release: %+v, %v", st, err)
		}
		if st, err := o.r.MemberStatus(ctx, o.reviewer, ref); err != nil || st.Outcome != Unknown {
			t.Fatalf("before the release: %+v, %v", st, err)
		}
	}
	asked := 0
	txEnded = func() {
		asked++
		if st, err := o.r.StatusOf(ctx, ref); err != nil || st.Outcome == Unknown {
			t.Errorf("the public asking once the release committed: %s, %v", outcomeOf(st), err)
		}
		if st, err := o.r.MemberStatus(ctx, o.reviewer, ref); err != nil || st.Outcome == Unknown {
			t.Errorf("a member asking once the release committed: %s, %v", outcomeOf(st), err)
		}
	}
	defer func() { txEnded = nil }()
	rel := o.approvedAndReleased(t, ref)
	if asked != 1 {
		t.Fatalf("the release called txEnded %d times", asked)
	}

	d := seal.DigestOf(rel.File)
	txEnded = nil
	for range 3 {
		if st, err := o.r.StatusOf(ctx, ref); err != nil || st.Outcome != Valid {
			t.Fatalf("before the retraction: %s, %v", outcomeOf(st), err)
		}
	}
	txEnded = func() {
		asked++
		if st, err := o.r.StatusOf(ctx, ref); err != nil || st.Outcome != Retracted {
			t.Errorf("the public asking once the retraction committed: %s, %v", outcomeOf(st), err)
		}
	}
	record, sig := o.retraction(t, ref, "", "sent in error")
	if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, record, sig); err != nil {
		t.Fatal(err)
	}
	if asked != 2 {
		t.Fatal("the retraction did not call txEnded")
	}
	txEnded = nil
	for range 3 {
		if _, err := o.r.VerifyDigest(ctx, Actor{}, d); err != nil {
			t.Fatal(err)
		}
		if _, _, err := o.r.StatusWithCode(ctx, ref, rel.CheckCode); err != nil {
			t.Fatal(err)
		}
	}
	txEnded = func() {
		asked++
		if st, err := o.r.VerifyDigest(ctx, Actor{}, d); err != nil || !st.Erased || st.Subject != "" || st.Seal != nil {
			t.Errorf("the answer by digest, once the erasure committed: %s (subject %q, erased %v), %v", outcomeOf(st), subjectOf(st), st != nil && st.Erased, err)
		}
		if st, _, err := o.r.StatusWithCode(ctx, ref, rel.CheckCode); err != nil || !st.Erased || st.Subject != "" || st.Seal != nil {
			t.Errorf("the answer by reference and code, once the erasure committed: %s (subject %q, erased %v), %v", outcomeOf(st), subjectOf(st), st != nil && st.Erased, err)
		}
	}
	if err := o.r.Erase(ctx, o.admin, ref, "asked by the addressee"); err != nil {
		t.Fatal(err)
	}
	if asked != 3 {
		t.Fatal("the erasure did not call txEnded")
	}
}

// TestPublicCacheKeepsNothingWhileChanging stores an answer read while a change is under way,
// and one read before it began: neither is kept, before or after the change ends, and an
// answer read after it ends is.
func TestPublicCacheKeepsNothingWhileChanging(t *testing.T) {
	var c publicCache
	var k keptAnswers
	before := c.generation()
	ended := c.changing()
	during := c.generation()
	for range 2 {
		c.put("a", before, &Status{})
		c.put("b", during, &Status{})
		k.keep("b", during, []byte("old"), c.generation)
	}
	if c.get("a") != nil || c.get("b") != nil || k.body("b", during) != nil {
		t.Fatal("an answer read while a change was under way was kept during it")
	}
	ended()
	after := c.generation()
	if c.get("a") != nil || c.get("b") != nil || k.body("b", after) != nil {
		t.Fatal("an answer read while a change was under way was kept after it")
	}
	for range 2 {
		c.put("c", after, &Status{})
	}
	if c.get("c") == nil {
		t.Fatal("an answer read once the change ended was not kept")
	}
}

func outcomeOf(st *Status) string {
	if st == nil {
		return ""
	}
	return st.Outcome
}

func subjectOf(st *Status) string {
	if st == nil {
		return ""
	}
	return st.Subject
}
