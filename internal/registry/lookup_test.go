package registry

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// TestLookupFollowsState checks the one-statement lookup (issue 19 item 1) against the reads
// it replaced, before and after a key revocation, a retraction, a supersession and an
// erasure, each made by another server on the same database: every answer, by digest and by
// reference, with warm and with cold caches, is byte for byte what the per-table reads give,
// and each change shows in the very next answer.
func TestLookupFollowsState(t *testing.T) { lookupFollowsState(t, newOffice(t)) }

// TestLookupFollowsStatePostgres is TestLookupFollowsState on PostgreSQL, where several
// servers share the database: there, the public answers (VerifyDigest) must follow the other
// server's changes too.
func TestLookupFollowsStatePostgres(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenPostgres(ctx, storetest.PostgresSchemas(t)())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	lookupFollowsState(t, officeOn(t, db))
}

func lookupFollowsState(t *testing.T, o *office) {
	ctx := context.Background()
	// other is a second server on the same database: its changes reach o.r only through the
	// store, never through o.r's caches.
	other := New(o.r.cfg)
	keyB, idB := o.newKey(t, o.signer)
	type letter struct {
		ref    string
		digest seal.Digest
	}
	var ls []letter
	for i := range 5 {
		ref := o.letter(t, fmt.Sprintf("Sir, letter %d.\n", i))
		o.approve(t, ref)
		// Letter 1 is signed with the key that will be revoked.
		key, id := o.signerKey, o.keyID
		if i == 1 {
			key, id = keyB, idB
		}
		if err := o.signAs(t, o.signer, key, id, ref); err != nil {
			t.Fatal(err)
		}
		rel, err := o.r.Release(ctx, o.officer, ref)
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, letter{ref, seal.DigestOf(rel.File)})
	}
	public := o.r.cfg.DB.Dialect() != store.SQLite
	stands := func(st *Status) bool {
		return st.Outcome == Valid && st.SealJSON != nil && st.Withdrawal == nil && len(st.Revocations) == 0
	}
	check := func(step string, want map[int]func(*Status) bool) {
		t.Helper()
		fresh := New(o.r.cfg) // a server started now: no key states, no cached answers
		for i, l := range ls {
			exp := answerByTables(t, o.r, l.digest)
			for what, get := range map[string]func() (*Status, error){
				"by digest":               func() (*Status, error) { return o.r.verifyDigest(ctx, Actor{}, l.digest) },
				"by reference":            func() (*Status, error) { return o.r.statusOf(ctx, l.ref, true) },
				"by digest, cold caches":  func() (*Status, error) { return fresh.verifyDigest(ctx, Actor{}, l.digest) },
				"by holder's reference":   func() (*Status, error) { return o.r.MemberStatus(ctx, o.reviewer, l.ref) },
				"public, by digest":       func() (*Status, error) { return o.r.VerifyDigest(ctx, Actor{}, l.digest) },
				"public, by other server": func() (*Status, error) { return other.VerifyDigest(ctx, Actor{}, l.digest) },
			} {
				if !public && (what == "public, by digest" || what == "by holder's reference") {
					// On SQLite this process is the only writer: its public cache follows
					// its own changes (TestPublicAnswersFollowChanges), and other's
					// are made here through the store behind its back.
					continue
				}
				st, err := get()
				if err != nil {
					t.Fatalf("%s: letter %d %s: %v", step, i, what, err)
				}
				w := answerBytes(t, exp)
				if strings.Contains(what, "reference") {
					// An answer by reference names it, even once the content is erased.
					byRef := *exp
					byRef.Reference = l.ref
					w = answerBytes(t, &byRef)
				}
				if got := answerBytes(t, st); !bytes.Equal(got, w) {
					t.Errorf("%s: letter %d %s:\n got %s\nwant %s", step, i, what, got, w)
				}
			}
			if ok := want[i]; ok != nil && !ok(exp) {
				t.Errorf("%s: letter %d: unexpected answer %s", step, i, answerBytes(t, exp))
			}
			// The kept answer (PublicVerify): the bytes the server wrote before, from a
			// server whose memory holds no part yet (the first answer puts it there) and
			// from one that holds it; a letter that stands is answered from its row.
			w, err := AppendStatusJSON(nil, exp)
			if err != nil {
				t.Fatal(err)
			}
			servers := []*Registry{fresh, fresh}
			if public {
				servers = append(servers, o.r, other)
			}
			for k, srv := range servers {
				st, body, err := srv.PublicVerify(ctx, l.digest, []byte("buffer"))
				if err != nil {
					t.Fatalf("%s: letter %d kept answer %d: %v", step, i, k, err)
				}
				// The answer is appended to the buffer given.
				got, ok := bytes.CutPrefix(body, []byte("buffer"))
				if body == nil {
					got, err = AppendStatusJSON(nil, st)
					ok = err == nil
				}
				if !ok {
					t.Errorf("%s: letter %d kept answer %d: not appended to the buffer given", step, i, k)
				}
				if !bytes.Equal(got, w) {
					t.Errorf("%s: letter %d kept answer %d:\n got %s\nwant %s", step, i, k, got, w)
				}
				if k == 1 && stands(exp) != (body != nil) {
					t.Errorf("%s: letter %d: answered from its row: %v, stands: %v", step, i, body != nil, stands(exp))
				}
			}
		}
		unknown := seal.DigestOf([]byte("no letter has these bytes"))
		st, body, err := fresh.PublicVerify(ctx, unknown, nil)
		if err != nil || body != nil || st.Outcome != Unknown {
			t.Errorf("%s: unknown digest: %v, %q, %v", step, st, body, err)
		}
	}
	check("released", map[int]func(*Status) bool{0: stands, 1: stands, 2: stands, 3: stands})

	if _, err := other.RevokeKey(ctx, o.signer, idB, "lost"); err != nil {
		t.Fatal(err)
	}
	revoked := func(st *Status) bool {
		return st.Outcome == Valid && st.SealJSON == nil && st.Seal != nil && len(st.Revocations) == 1
	}
	check("key revoked", map[int]func(*Status) bool{0: stands, 1: revoked, 2: stands})

	withdraw := func(ref, by string) {
		t.Helper()
		stmt, pt := o.withdrawalStatement(t, o.signer, ref, by, "overtaken by events")
		op, _ := o.openings.Load(string(stmt))
		if _, err := other.Withdraw(ctx, o.signer, ref, by, o.keyID, stmt, op.(*seal.Opening), signPAE(o.signerKey, pt, stmt)); err != nil {
			t.Fatal(err)
		}
	}
	withdraw(ls[0].ref, "")
	check("retracted", map[int]func(*Status) bool{
		0: func(st *Status) bool { return st.Outcome == Retracted && st.Withdrawal != nil && st.SealJSON == nil },
		1: revoked, 2: stands,
	})
	withdraw(ls[2].ref, ls[3].ref)
	check("superseded", map[int]func(*Status) bool{
		2: func(st *Status) bool {
			return st.Outcome == Superseded && st.SupersededBy == ls[3].ref && st.Withdrawal != nil && st.SealJSON == nil
		},
		3: stands, 4: stands,
	})
	if err := other.Erase(ctx, o.admin, ls[1].ref, "at the ministry's request"); err != nil {
		t.Fatal(err)
	}
	check("erased", map[int]func(*Status) bool{
		1: func(st *Status) bool { return st.Outcome == Valid && st.Erased && st.Seal == nil },
		4: stands,
	})
}

// answerBytes is what the verify endpoint writes for st: its JSON, the seal's, and whether
// the seal is the kept one.
func answerBytes(t *testing.T, st *Status) []byte {
	t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if st.Seal != nil {
		b = append(b, st.Seal.Marshal()...)
	}
	return fmt.Appendf(b, "kept: %s", st.SealJSON)
}

// answerByTables answers for a released file's digest as the registry did before a lookup was
// one statement: the release, its opening, its withdrawal, each signer's key and the kept seal
// read each on its own in one transaction.
func answerByTables(t *testing.T, r *Registry, digest seal.Digest) *Status {
	t.Helper()
	ctx := context.Background()
	st := &Status{Office: r.cfg.Office.Name, Holder: true}
	var rel *store.Release
	var stmt *seal.ReleaseStatement
	var o *seal.Opening
	ev := &proofs{}
	err := r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if rel, err = tx.ReleaseByDigest(ctx, string(digest)); err != nil {
			return err
		}
		if stmt, o, err = releaseStatement(ctx, tx, rel); err != nil {
			return err
		}
		at, idx := rel.ReleasedAt.UTC(), rel.LogIndex
		st.ReleasedAt, st.LogIndex, st.FileDigest = &at, &idx, rel.FileDigest
		if stmt == nil {
			st.Erased = true
			st.Outcome, st.Message = Valid, fmt.Sprintf("valid: released by %s on %s (log entry %d); its content was erased at the office's request", st.Office, at.Format("2 January 2006"), idx)
		} else {
			st.Reference, st.Subject, st.Class = stmt.Reference, stmt.Subject, stmt.Class
			st.Signers = signerNames(stmt)
			at = stmt.ReleasedAt
			st.ReleasedAt = &at
			st.Outcome, st.Message = Valid, validMessage(stmt.Office, at.Format("2 January 2006"), st.Signers)
		}
		w, err := tx.WithdrawalOf(ctx, rel.LetterID)
		switch {
		case err == nil:
			wo, err := opening(ctx, tx, w.LogIndex)
			if err != nil {
				return err
			}
			st.Reason = w.Reason
			st.Withdrawal = &seal.LoggedEntry{Index: w.LogIndex, Entry: w.Entry, Opening: wo}
			if w.Kind == Retraction {
				st.Outcome, st.Message = Retracted, "retracted: "+w.Reason
				if st.Erased {
					st.Message = "retracted (the reason was erased with the letter's content)"
				}
				break
			}
			st.Outcome, st.Message = Superseded, "superseded"
			if !st.Erased {
				bl, err := tx.LetterByID(ctx, w.ByLetter)
				if err != nil {
					return err
				}
				st.SupersededBy = bl.Reference
				st.Message = fmt.Sprintf("superseded by %s: %s", bl.Reference, w.Reason)
			}
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		if stmt == nil {
			return nil
		}
		for _, id := range seal.SignerKeys(stmt) {
			k, err := tx.SignerKey(ctx, id)
			if err != nil {
				return err
			}
			if !k.Revoked() {
				continue
			}
			// Without its opening, which holds the revocation's reason.
			ev.revocations = append(ev.revocations, seal.LoggedEntry{Index: k.RevokedIndex})
		}
		if st.Withdrawal == nil && len(ev.revocations) == 0 {
			b, err := tx.Seal(ctx, rel.LogIndex)
			switch {
			case err == nil:
				ev.kept = &b
			case !errors.Is(err, store.ErrNotFound):
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("answer for %s by tables: %v", digest, err)
	}
	// A seal kept in the letter's answer (keptseals.go), read on its own.
	if stmt != nil && st.Withdrawal == nil && len(ev.revocations) == 0 && ev.kept == nil {
		a, err := r.cfg.DB.Answer(ctx, string(digest))
		switch {
		case err == nil:
			if ev.kept, err = answerSeal(a, rel.LogIndex); err != nil {
				t.Fatalf("answer for %s by tables: the seal in its answer: %v", digest, err)
			}
		case !errors.Is(err, store.ErrNotFound):
			t.Fatalf("answer for %s by tables: %v", digest, err)
		}
	}
	if err := r.attachEvidence(ctx, rel, stmt, o, st, ev); err != nil {
		t.Fatal(err)
	}
	return st
}

// officeOn is newOffice on the store db.
func officeOn(t *testing.T, db *store.DB) *office {
	t.Helper()
	ctx := context.Background()
	const origin = "test.example/log"
	skey, vkey, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	lg, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	_, officeKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	o := &office{r: New(Config{DB: db, Log: lg, Office: Office{Name: "Task Force North", Prefix: "TFN", URL: "https://tfn.example"},
		OfficeKey: officeKey, LogKey: vkey, LogOrigin: origin})}
	tok, err := o.r.Bootstrap(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	o.admin = o.actor(t, tok)
	o.drafter = o.member(t, "dana", RoleDrafter)
	o.reviewer = o.member(t, "rita", RoleReviewer)
	o.signer = o.member(t, "sam", RoleSigner)
	o.officer = o.member(t, "otto", RoleRelease)
	o.signerKey, o.keyID = o.newKey(t, o.signer)
	if o.verifier, err = seal.NewVerifier(o.r.TrustRoot()); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestPublicCacheKeepsWhatIsAskedAgain checks that a public answer is kept at its second
// lookup, not at its first (lookups spread over many letters must not fill the cache), and is
// then given again, the same answer, until the registry changes.
func TestPublicCacheKeepsWhatIsAskedAgain(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	_, rel := o.released(t, "Sir, a letter asked for three times.\n")
	d := seal.DigestOf(rel.File)
	var answers []*Status
	for range 3 {
		st, err := o.r.VerifyDigest(ctx, Actor{}, d)
		if err != nil {
			t.Fatal(err)
		}
		answers = append(answers, st)
	}
	if answers[0].Shared() || !answers[1].Shared() || answers[2] != answers[1] {
		t.Fatalf("shared %v %v %v, third answer the second's: %v", answers[0].Shared(), answers[1].Shared(), answers[2].Shared(), answers[2] == answers[1])
	}
	if a, b := answerBytes(t, answers[0]), answerBytes(t, answers[2]); !bytes.Equal(a, b) {
		t.Fatalf("the kept answer differs from the first:\n%s\n%s", a, b)
	}
	o.released(t, "Sir, another letter, which changes the registry.\n")
	if st, err := o.r.VerifyDigest(ctx, Actor{}, d); err != nil || st == answers[1] || st.Shared() {
		t.Fatalf("after a release: the kept answer was given again (%v), or the new one kept at once (%v)", st == answers[1], st.Shared())
	}
}

// TestBuildAnswers checks the rows migration 20 leaves pending: until BuildAnswers has built
// them, their letters are answered from their tables; then from the row, with the same bytes;
// and a second BuildAnswers finds nothing left to build.
func TestBuildAnswers(t *testing.T) { buildAnswers(t, newOffice(t)) }

// TestBuildAnswersPostgres is TestBuildAnswers on PostgreSQL.
func TestBuildAnswersPostgres(t *testing.T) {
	db, err := store.OpenPostgres(context.Background(), storetest.PostgresSchemas(t)())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	buildAnswers(t, officeOn(t, db))
}

func buildAnswers(t *testing.T, o *office) {
	ctx := context.Background()
	var digests []seal.Digest
	for i := range 3 {
		_, rel := o.released(t, fmt.Sprintf("Sir, letter %d, released before migration 20.\n", i))
		digests = append(digests, seal.DigestOf(rel.File))
	}
	answer := func(d seal.Digest) ([]byte, bool) {
		t.Helper()
		st, body, err := New(o.r.cfg).PublicVerify(ctx, d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if body != nil {
			return body, true
		}
		b, err := AppendStatusJSON(nil, st)
		if err != nil {
			t.Fatal(err)
		}
		return b, false
	}
	var want [][]byte
	for _, d := range digests {
		b, kept := answer(d)
		if !kept {
			t.Fatalf("%s: not answered from its row after its release", d)
		}
		want = append(want, b)
	}
	// Migrations 20 and 21 leave pending the answers of letters whose seals are in seals,
	// where seals were kept before the ninth pass of issue 19 item 5.
	err := o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		for _, d := range digests[:2] {
			a, err := o.r.cfg.DB.Answer(ctx, string(d))
			if err != nil {
				return err
			}
			lk, err := tx.LookupRelease(ctx, string(d))
			if err != nil {
				return err
			}
			k, err := answerSeal(a, lk.Release.LogIndex)
			if err != nil {
				return err
			}
			if err := tx.PutSeal(ctx, lk.Release.LogIndex, *k); err != nil {
				return err
			}
			if err := tx.MarkAnswerPending(ctx, string(d)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range digests {
		b, kept := answer(d)
		if kept != (i == 2) || !bytes.Equal(b, want[i]) {
			t.Errorf("pending: letter %d answered from its row: %v, same bytes: %v", i, kept, bytes.Equal(b, want[i]))
		}
	}
	if n, err := o.r.BuildAnswers(ctx); err != nil || n != 2 {
		t.Fatalf("BuildAnswers: %d, %v; want 2", n, err)
	}
	for i, d := range digests {
		if b, kept := answer(d); !kept || !bytes.Equal(b, want[i]) {
			t.Errorf("built: letter %d answered from its row: %v, same bytes: %v", i, kept, bytes.Equal(b, want[i]))
		}
	}
	if n, err := o.r.BuildAnswers(ctx); err != nil || n != 0 {
		t.Fatalf("BuildAnswers again: %d, %v; want 0", n, err)
	}
}
