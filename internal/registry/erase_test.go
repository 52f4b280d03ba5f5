package registry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/convert"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/tlog"
)

// logRoot recomputes the tree of every logged entry, independently of the stored hashes.
func logRoot(t *testing.T, o *office) (int64, tlog.Hash) {
	t.Helper()
	ctx := context.Background()
	size := o.r.cfg.Log.Head().Size
	var hashes []tlog.Hash
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = hashes[x]
		}
		return out, nil
	})
	for i := range size {
		e, err := o.r.cfg.Log.Entry(ctx, i)
		if err != nil {
			t.Fatal(err)
		}
		hs, err := tlog.StoredHashes(i, e, reader)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hs...)
	}
	root, err := tlog.TreeHash(size, reader)
	if err != nil {
		t.Fatal(err)
	}
	return size, root
}

func TestErase(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	const body = "The convoy leaves Harbourtown at dawn; mkrbody-erase."
	ref, rel := o.released(t, body)
	keep, keepRel := o.released(t, "Another letter, which stays.")
	stmt, pt := o.withdrawalStatement(t, o.signer, ref, "", "mkrreason-erase")
	if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatal(err)
	}
	sizeBefore, rootBefore := logRoot(t, o)
	released := o.statementOf(t, rel).ReleasedAt

	// The detector below finds the letter's words before the erasure.
	if before, err := o.r.MemberStatus(ctx, o.reviewer, ref); err != nil || !strings.Contains(strings.ToLower(stringOf(before)), "mkrreason-erase") ||
		!strings.Contains(strings.ToLower(stringOf(before)), "repositioning of forces") {
		t.Fatalf("before the erasure the members' status does not show the letter: %+v, %v", before, err)
	}
	wantErr(t, "a reviewer erases", o.r.Erase(ctx, o.reviewer, ref, "asked"), ErrForbidden)
	wantErr(t, "erase without a reason", o.r.Erase(ctx, o.admin, ref, ""), ErrInvalid)
	wantErr(t, "erase a draft", o.r.Erase(ctx, o.admin, o.letter(t, "never released"), "asked"), ErrNotFound)
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "erase twice", o.r.Erase(ctx, o.admin, ref, "again"), ErrConflict)

	// The log is untouched: same entries, same tree, and the head agrees.
	size, root := logRoot(t, o)
	if head := o.r.cfg.Log.Head(); size != sizeBefore || root != rootBefore || head.Root != root {
		t.Fatalf("the log changed: size %d→%d, root %x→%x (head %x)", sizeBefore, size, rootBefore, root, head.Root)
	}

	// The openings are gone, and with them everything the letter said.
	digest := seal.DigestOf(rel.File)
	err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		if _, _, err := tx.Opening(ctx, rel.LogIndex); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the release's opening is still stored (%v)", err)
		}
		w, err := tx.WithdrawalOf(ctx, mustLetter(t, tx, ref).ID)
		if err != nil {
			return err
		}
		if _, _, err := tx.Opening(ctx, w.LogIndex); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the retraction's opening is still stored (%v)", err)
		}
		if w.Reason != "" {
			t.Errorf("the retraction's reason is still stored: %q", w.Reason)
		}
		if b, err := tx.Blob(ctx, string(digest)); err != nil || len(b) != 0 {
			t.Errorf("the released file is still stored: %d bytes, %v", len(b), err)
		}
		if ids, err := tx.FingerprintIDs(ctx, mustLetter(t, tx, ref).ID); err != nil || len(ids) == 0 {
			t.Errorf("fingerprint rows: %v, %v", ids, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	leaks := func(what string, v any) {
		t.Helper()
		s := strings.ToLower(stringOf(v))
		for _, m := range []string{"mkrbody-erase", "mkrreason-erase", "repositioning of forces", "freedonia", "harbourtown"} {
			if strings.Contains(s, m) {
				t.Errorf("%s still shows %q after erasure: %s", what, m, s)
			}
		}
	}
	st, err := o.r.VerifyDigest(ctx, Actor{}, digest)
	if err != nil {
		t.Fatal(err)
	}
	// Its file still verifies as released on its date, by the registry and by the holder's seal.
	if !st.Erased || st.Outcome != Retracted || st.ReleasedAt == nil || !st.ReleasedAt.Equal(released) {
		t.Errorf("verify the erased letter's file: %+v", st)
	}
	leaks("the verify answer", st)
	ms, err := o.r.MemberStatus(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	leaks("the members' status", ms)
	ps, err := o.r.StatusOf(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	leaks("the public status", ps)
	v, err := o.r.Letter(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	leaks("the letter page", v)
	if _, _, err := o.r.ReleasedFile(ctx, o.officer, ref, ""); !errors.Is(err, ErrGone) {
		t.Errorf("the released file of an erased letter: %v, want %v", err, ErrGone)
	}
	if _, err := o.r.Seal(ctx, o.officer, ref, ""); !errors.Is(err, ErrGone) {
		t.Errorf("the seal of an erased letter: %v, want %v", err, ErrGone)
	}
	id, err := o.r.Identify(ctx, o.reviewer, body)
	if err != nil {
		t.Fatal(err)
	}
	if id.Reference == ref {
		t.Errorf("the erased letter's text is still identified: %+v", id)
	}
	leaks("identification", id)
	res, err := o.verifier.VerifyBytes(rel.Seal, rel.File)
	if err != nil {
		t.Fatalf("the holder's seal no longer verifies offline: %v", err)
	}
	if res.Statement.Reference != ref {
		t.Errorf("the holder's seal opens to %s", res.Statement.Reference)
	}

	// The other letter is untouched.
	kst, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(keepRel.File))
	if err != nil || kst.Outcome != Valid || kst.Erased || kst.Subject == "" || kst.Seal == nil {
		t.Errorf("another letter after the erasure: %+v, %v", kst, err)
	}
	if _, err := o.verifier.VerifyBytes(kst.Seal, keepRel.File); err != nil {
		t.Errorf("another letter's seal after the erasure: %v", err)
	}
	if _, _, err := o.r.ReleasedFile(ctx, o.officer, keep, ""); err != nil {
		t.Errorf("another letter's file after the erasure: %v", err)
	}
}

// stringOf is everything v says, as JSON and as Go prints it.
func stringOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b) + fmt.Sprintf("%+v", v)
}

func mustLetter(t *testing.T, tx *store.Tx, ref string) *store.Letter {
	t.Helper()
	l, err := tx.LetterByRef(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestDisclosure: a class the policy discloses logs the chosen fields in the clear, and its
// seal still verifies; every other class logs nothing of the letter.
func TestDisclosure(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	src := []byte(`version: 1
name: disclosing
disclose:
  press: [reference, subject, signers]
rules:
  - name: d
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer}]
`)
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, src); err != nil {
		t.Fatal(err)
	}
	press, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Press release: open day", Class: "press",
		Addressees: []string{"Newsrooms"}, File: Upload{Name: "open-day.txt", Data: []byte("Open day on Saturday.")}})
	if err != nil {
		t.Fatal(err)
	}
	secret := o.letter(t, "Confidential instruction.")
	for _, ref := range []string{press, secret} {
		o.approve(t, ref)
		if err := o.sign(t, ref); err != nil {
			t.Fatal(err)
		}
	}
	record := func(rel *Released) *seal.ReleaseRecord {
		e, err := entry.Decode(rel.Seal.Release.Entry)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := seal.Record(e)
		if err != nil {
			t.Fatal(err)
		}
		return rec.(*seal.ReleaseRecord)
	}
	pr, err := o.r.Release(ctx, o.officer, press)
	if err != nil {
		t.Fatal(err)
	}
	d := record(pr).Disclosed
	if d == nil || d.Reference == nil || *d.Reference != press || d.Subject == nil || *d.Subject != "Press release: open day" ||
		d.Signers == nil || len(*d.Signers) != 1 || d.Addressees != nil || d.FileDigest != nil {
		t.Fatalf("the press release's disclosed fields: %s", seal.Marshal(d))
	}
	if _, err := o.verifier.VerifyBytes(pr.Seal, pr.File); err != nil {
		t.Fatalf("the press release's seal: %v", err)
	}
	sr, err := o.r.Release(ctx, o.officer, secret)
	if err != nil {
		t.Fatal(err)
	}
	if rec := record(sr); rec.Disclosed != nil || strings.Contains(string(sr.Seal.Release.Entry), "Repositioning") {
		t.Fatalf("a confidential letter's record discloses %s", seal.Marshal(rec))
	}
	if _, err := o.verifier.VerifyBytes(sr.Seal, sr.File); err != nil {
		t.Fatalf("the confidential letter's seal: %v", err)
	}
}

// TestEraseLeavesNothingInTheAuditTrail: the audit trail, which every member with a role
// reads, quoted a review's comment, a draft copy's recipient, the recipients a letter was
// dispatched to and its withdrawal's reason; erasure promises those gone. The events stay,
// in their order, with what they say of the letter's life.
func TestEraseLeavesNothingInTheAuditTrail(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Supplies for the northern garrison.")
	if _, err := o.r.ExportDraft(ctx, o.drafter, ref, "mkrrecipient-audit"); err != nil {
		t.Fatal(err)
	}
	if err := o.r.Approve(ctx, o.reviewer, ref, "", "mkrcomment-audit"); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatal(err)
	}
	stmt, pt := o.withdrawalStatement(t, o.signer, ref, "", "mkrreason-audit")
	if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatal(err)
	}
	markers := []string{"mkrrecipient-audit", "mkrcomment-audit", "mkrreason-audit"}
	before, err := o.r.Audit(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range markers {
		if !strings.Contains(stringOf(before), m) {
			t.Fatalf("the audit trail does not show %q before the erasure: %s", m, stringOf(before))
		}
	}
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	after, err := o.r.Audit(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range after {
		for _, m := range markers {
			if strings.Contains(e.Actor+" "+e.Detail, m) {
				t.Errorf("the audit trail still shows %q after the erasure: %s by %s: %s", m, e.Action, e.Actor, e.Detail)
			}
		}
	}
	if len(after) != len(before)+1 || after[len(after)-1].Action != "letter.erase" {
		t.Fatalf("the audit trail after the erasure: %d events, want the %d before and the erasure", len(after), len(before))
	}
	for i, e := range before {
		a := after[i]
		if a.ID != e.ID || a.Action != e.Action || a.Actor != e.Actor || !a.Time.Equal(e.Time) || a.Remote != e.Remote {
			t.Errorf("event %d changed beyond its detail: %+v, was %+v", i, a, e)
		}
		if e.Action == "letter.approve" && !strings.HasPrefix(a.Detail, "version 1 sha256:") {
			t.Errorf("the approval's version is no longer in its event: %q", a.Detail)
		}
	}
}

// TestEraseKeepsAnotherLetterWithTheSameFile: files are kept once by digest, so a letter
// created from the same file as another (a letter sent again, to others, as a new one)
// shares its version's bytes. Erasing the first emptied them, and with them the second
// letter's text: its draft copies, identification and release lost the letter.
func TestEraseKeepsAnotherLetterWithTheSameFile(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	const body = "Rations for the garrison at Northgate are doubled from 1 May."
	erased, _ := o.released(t, body)
	kept := o.letter(t, body)
	if err := o.r.Erase(ctx, o.admin, erased, "erasure request"); err != nil {
		t.Fatal(err)
	}
	var v store.Version
	err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		vs, err := tx.Versions(ctx, mustLetter(t, tx, kept).ID)
		if err != nil {
			return err
		}
		v = vs[0]
		b, err := tx.Blob(ctx, v.Digest)
		if err != nil {
			return err
		}
		if string(b) != body {
			t.Errorf("the other letter's version after the erasure: %q, want its text", b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cp, err := o.r.ExportDraft(ctx, o.drafter, kept, "liaison")
	if err != nil {
		t.Fatalf("a draft copy of the other letter after the erasure: %v", err)
	}
	o.approve(t, kept)
	if err := o.sign(t, kept); err != nil {
		t.Fatal(err)
	}
	rel, err := o.r.Release(ctx, o.officer, kept)
	if err != nil {
		t.Fatalf("release the other letter after the erasure: %v", err)
	}
	if id, err := o.r.Identify(ctx, Actor{}, body); err != nil || id.Outcome != Valid || id.Reference != kept {
		t.Errorf("the other letter's text after the erasure: %+v, %v", id, err)
	}
	if len(cp.Data) == 0 || len(rel.File) == 0 {
		t.Errorf("the other letter's copy (%d bytes) or release (%d bytes) is empty", len(cp.Data), len(rel.File))
	}
}

// TestEraseForgetsFileNames: the name of an uploaded file often says what the letter is and
// to whom ("Convoy to Freedonia, ambassador.docx"); it is in the release statement, whose
// opening erasure deletes, and was kept in the versions and the release, shown on the letter's
// page after the erasure.
func TestEraseForgetsFileNames(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	const name = "mkrname Convoy to Freedonia.txt"
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence of Freedonia"}, File: Upload{Name: name, Data: []byte("The convoy leaves at dawn.")}})
	if err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, ref)
	if v, err := o.r.Letter(ctx, o.reviewer, ref); err != nil || !strings.Contains(stringOf(v), "mkrname") {
		t.Fatalf("the letter page does not show the file's name before the erasure: %v", err)
	}
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	v, err := o.r.Letter(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if s := stringOf(v); strings.Contains(s, "mkrname") {
		t.Errorf("the letter page shows the file's name after the erasure: %s", s)
	}
	err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		l := mustLetter(t, tx, ref)
		vs, err := tx.Versions(ctx, l.ID)
		if err != nil {
			return err
		}
		rel, err := tx.ReleaseOf(ctx, l.ID)
		if err != nil {
			return err
		}
		for _, n := range []string{vs[0].FileName, rel.FileName} {
			if strings.Contains(n, "mkrname") {
				t.Errorf("a file's name is still stored after the erasure: %q", n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestEraseLeavesNothingInTheDatabaseFile: SQLite leaves a deleted or rewritten row's bytes
// in its page's free space, and a freed page's in the file, until they are reused; and the
// write-ahead log keeps the pages as they were until a checkpoint. An erased letter's
// subject, addressees, text and openings (whose salts make its log entries' commitments
// reversible) stayed readable in the data directory's files after the erasure.
func TestEraseLeavesNothingInTheDatabaseFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := newOfficeIn(t, dir)
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Mkrsubject convoy", Class: "foreign-government",
		Addressees: []string{"Mkraddressee ministry"}, File: Upload{Name: "letter.txt", Data: []byte(strings.Repeat("Mkrbody the convoy leaves at dawn. ", 200))}})
	if err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, ref)
	markers := []string{"mkrsubject", "mkraddressee", "mkrbody"}
	before := databaseFiles(t, dir)
	for _, m := range markers {
		if !bytes.Contains(before, []byte(m)) {
			t.Fatalf("%q is not in the database's files before the erasure", m)
		}
	}
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	after := databaseFiles(t, dir)
	for _, m := range markers {
		if n := bytes.Count(after, []byte(m)); n > 0 {
			t.Errorf("%q is still in the database's files after the erasure, %d times", m, n)
		}
	}

	// A letter released while its table was small, then others after it: SQLite moved its
	// file's row out of the table's root page when the table grew a level, and left the old
	// bytes in the root's free space, where deleting the row, even with secure_delete, did
	// not reach them (item 229).
	t.Run("AfterLaterReleases", func(t *testing.T) {
		dir := t.TempDir()
		o := newOfficeIn(t, dir)
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning", Class: "foreign-government", Addressees: []string{"A"},
			File: Upload{Name: "letter.txt", Data: []byte(strings.Repeat("Mkrlater the convoy leaves at dawn. ", 470))}})
		if err != nil {
			t.Fatal(err)
		}
		o.approvedAndReleased(t, ref)
		for i := range 3 {
			o.released(t, fmt.Sprintf("Letter %d: %s", i, strings.Repeat("another text ", 1500)))
		}
		if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(databaseFiles(t, dir), []byte("mkrlater")); n > 0 {
			t.Errorf("the erased text is still in the database's files, %d times", n)
		}
	})

	// A Word letter's conversion, kept since its preview (stamp.go), goes with its version:
	// the store keeps neither the conversion nor its bytes.
	t.Run("WordConversion", func(t *testing.T) {
		var err error
		if o.r.cfg.Converter, err = convert.Find(tool(t, "soffice"), 10*time.Minute); err != nil {
			t.Fatal(err)
		}
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning", Class: "foreign-government", Addressees: []string{"A"},
			File: Upload{Name: "letter.docx", Data: wordLetter(t, strings.Repeat("Mkrword the convoy leaves at dawn. ", 200))}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.r.Preview(ctx, o.drafter, ref); err != nil {
			t.Fatal(err)
		}
		kept := keptConversionOf(t, o, ref)
		if kept == "" {
			t.Fatal("the preview kept no conversion")
		}
		o.approvedAndReleased(t, ref)
		if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
			t.Fatal(err)
		}
		if d := keptConversionOf(t, o, ref); d != "" {
			t.Errorf("the erased letter's conversion is still kept, as %s", d)
		}
		err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
			b, err := tx.Blob(ctx, kept)
			if err != nil || len(b) != 0 {
				t.Errorf("the erased letter's conversion: %d bytes left, %v", len(b), err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestErasedLetterSupersedesNone checks that a letter whose content was erased cannot
// supersede another, and that the refusal says so rather than naming an addressee the erasure
// took away.
func TestErasedLetterSupersedesNone(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	old, _ := o.released(t, "The embassy closes on Friday.")
	successor, _ := o.released(t, "The embassy closes on Monday.")
	if err := o.r.Erase(ctx, o.admin, successor, "erasure request"); err != nil {
		t.Fatal(err)
	}
	_, _, err := o.withdrawalStatementOf(ctx, o.signer, old, successor, "wrong day")
	wantErr(t, "supersede by an erased letter", err, ErrConflict)
	if err == nil || !strings.Contains(err.Error(), "erased") || strings.Contains(err.Error(), "is not addressed to") {
		t.Errorf("the refusal says %v; want it to say the new letter was erased", err)
	}
}
