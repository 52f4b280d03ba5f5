package registry

// Tests of the threats of the letters issue: each asserts the specific refusal, not just an
// error.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// What the builtin policy's gate reports as missing.
const (
	needApproval  = "1 approval by a reviewer"
	needSignature = "1 signature by a signer"
)

// newOfficeIn is newOffice with its database in dir, for tests that open the database file
// beside the store.
func newOfficeIn(t *testing.T, dir string) *office {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
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

// member adds a member with roles and signs them in.
func (o *office) member(t *testing.T, name string, roles ...string) Actor {
	t.Helper()
	tok, err := o.r.AddMember(context.Background(), o.admin, name, roles)
	if err != nil {
		t.Fatal(err)
	}
	return o.actor(t, tok)
}

// newKey registers a fresh signer key for a and returns it with its key ID.
func (o *office) newKey(t testing.TB, a Actor) (ed25519.PrivateKey, string) {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := o.r.RegisterKey(context.Background(), a, pub)
	if err != nil {
		t.Fatal(err)
	}
	return key, id
}

// statement returns the current signing statement of ref, as a fetches it.
func (o *office) statement(t *testing.T, a Actor, ref string) []byte {
	t.Helper()
	st, err := o.r.SigningStatement(context.Background(), a, ref)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// signAs signs the current statement of ref as a, with key.
func (o *office) signAs(t *testing.T, a Actor, key ed25519.PrivateKey, keyID, ref string) error {
	t.Helper()
	st := o.statement(t, a, ref)
	return o.r.Sign(context.Background(), a, ref, keyID, st, signPAE(key, seal.SigningPayloadType, st))
}

func signPAE(key ed25519.PrivateKey, payloadType string, payload []byte) []byte {
	return ed25519.Sign(key, dsse.PAE(payloadType, payload))
}

func (o *office) approve(t testing.TB, ref string) {
	t.Helper()
	if err := o.r.Approve(context.Background(), o.reviewer, ref, "", "reviewed"); err != nil {
		t.Fatal(err)
	}
}

// released creates a letter with body, has rita approve it and sam sign it, and releases it.
func (o *office) released(t testing.TB, body string) (string, *Released) {
	t.Helper()
	ref := o.letter(t, body)
	return ref, o.approvedAndReleased(t, ref)
}

// approvedAndReleased approves, signs and releases the letter ref.
func (o *office) approvedAndReleased(t testing.TB, ref string) *Released {
	t.Helper()
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	rel, err := o.r.Release(context.Background(), o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// withdrawalStatement returns the statement a signs to retract ref (by == "") or supersede it
// by by, and its payload type.
func (o *office) withdrawalStatement(t *testing.T, a Actor, ref, by, reason string) ([]byte, string) {
	t.Helper()
	st, pt, err := o.withdrawalStatementOf(context.Background(), a, ref, by, reason)
	if err != nil {
		t.Fatal(err)
	}
	return st, pt
}

// tryRelease is the release officer's attempt to release ref.
func tryRelease(o *office, ref string) error {
	_, err := o.r.Release(context.Background(), o.officer, ref)
	return err
}

// wantErr reports an error unless err wraps target.
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got error %v, want %v", what, err, target)
	}
}

// wantGate fails unless err is the gate's refusal listing exactly missing.
func wantGate(t *testing.T, err error, missing ...string) *GateError {
	t.Helper()
	var gate *GateError
	if !errors.As(err, &gate) {
		t.Fatalf("release: got %v, want the gate's refusal", err)
	}
	if got := gate.Decision.Missing(); !slices.Equal(got, missing) {
		t.Fatalf("release refused for missing %q, want %q", got, missing)
	}
	return gate
}

// mentions reports whether one of notes contains s.
func mentions(notes []string, s string) bool {
	return slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, s) })
}

// statementOf returns the release statement a seal carries, verified.
func (o *office) statementOf(t *testing.T, rel *Released) *seal.ReleaseStatement {
	t.Helper()
	res, err := o.verifier.VerifyBytes(rel.Seal, rel.File)
	if err != nil {
		t.Fatalf("seal of %s: %v", rel.Reference, err)
	}
	return res.Statement
}

func approvers(st *seal.ReleaseStatement) []string {
	var out []string
	for _, a := range st.Approvals {
		out = append(out, a.Member)
	}
	return out
}

func TestThreatReleaseWithoutEvidence(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)

	ref := o.letter(t, "Nothing done yet.")
	gate := wantGate(t, tryRelease(o, ref), needApproval, needSignature)
	if want := []string{"missing " + needApproval, "missing " + needSignature}; !slices.Equal(gate.Reasons, want) {
		t.Errorf("reasons %q, want %q", gate.Reasons, want)
	}
	o.approve(t, ref)
	wantGate(t, tryRelease(o, ref), needSignature)

	signedOnly := o.letter(t, "Signed, never approved.")
	if err := o.sign(t, signedOnly); err != nil {
		t.Fatal(err)
	}
	wantGate(t, tryRelease(o, signedOnly), needApproval)

	for _, r := range []string{ref, signedOnly} {
		if st, err := o.r.StatusOf(ctx, r); err != nil || st.Outcome != Unknown {
			t.Errorf("status of refused %s: %+v, %v", r, st, err)
		}
	}
}

func TestThreatSelfApprovalAndSelfSignature(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	mallory := o.member(t, "mallory", RoleDrafter, RoleReviewer, RoleSigner)
	key, keyID := o.newKey(t, mallory)
	body := []byte("I wrote this and I approve of it.")
	ref, err := o.r.CreateLetter(ctx, mallory, NewLetter{Subject: "Self-serving", Class: "internal",
		Addressees: []string{"All staff"}, File: Upload{Name: "self.txt", Data: body}})
	if err != nil {
		t.Fatal(err)
	}

	wantErr(t, "the drafter approves", o.r.Approve(ctx, mallory, ref, "", "fine by me"), ErrForbidden)
	wantErr(t, "the drafter signs", o.signAs(t, mallory, key, keyID, ref), ErrForbidden)

	// Even if the drafter's approval and a valid signature by them got into the store, they
	// would not count at the gate.
	st := o.statement(t, mallory, ref)
	err = o.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return err
		}
		digest, policyDigest := string(seal.DigestOf(body)), string(o.r.Policy().Digest)
		if err := tx.AddApproval(ctx, store.Approval{LetterID: l.ID, VersionDigest: digest, PolicyDigest: policyDigest,
			MemberID: mallory.Member.ID, Role: RoleReviewer, Decision: "approve", Comment: "fine by me"}); err != nil {
			return err
		}
		return tx.AddSignature(ctx, store.SignatureRow{LetterID: l.ID, VersionDigest: digest, PolicyDigest: policyDigest,
			MemberID: mallory.Member.ID, KeyID: keyID, Sig: signPAE(key, seal.SigningPayloadType, st)})
	})
	if err != nil {
		t.Fatal(err)
	}
	gate := wantGate(t, tryRelease(o, ref), needApproval, needSignature)
	if !mentions(gate.Decision.Notes, "mallory drafted the letter") {
		t.Errorf("notes %q do not say that the drafter's evidence does not count", gate.Decision.Notes)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	wantGate(t, tryRelease(o, ref), needApproval)

	o.approve(t, ref)
	rel, err := o.r.Release(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	stmt := o.statementOf(t, rel)
	if got := approvers(stmt); !slices.Equal(got, []string{"rita"}) {
		t.Errorf("released with approvals by %q", got)
	}
	if got := signerNames(stmt); !slices.Equal(got, []string{"sam"}) {
		t.Errorf("released with signatures by %q", got)
	}
}

func TestThreatTwoPersonRule(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	vic := o.member(t, "vic", RoleReviewer, RoleSigner)
	key, keyID := o.newKey(t, vic)
	ref := o.letter(t, "One person, two hats.")

	if err := o.r.Approve(ctx, vic, ref, "", "approved"); err != nil {
		t.Fatal(err)
	}
	if err := o.signAs(t, vic, key, keyID, ref); err != nil {
		t.Fatal(err)
	}
	// Refused, and the decision says why vic's signature does not count.
	gate := wantGate(t, tryRelease(o, ref), needSignature)
	if !mentions(gate.Decision.Notes, "vic") {
		t.Errorf("vic approved and signed, the signature did not count, and the notes %q do not say why", gate.Decision.Notes)
	}

	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	rel, err := o.r.Release(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	stmt := o.statementOf(t, rel)
	if got := approvers(stmt); !slices.Equal(got, []string{"vic"}) {
		t.Errorf("released with approvals by %q", got)
	}
	if got := signerNames(stmt); !slices.Equal(got, []string{"sam"}) {
		t.Errorf("released with signatures by %q, want only sam's: vic counted as the approver", got)
	}
}

func TestThreatApprovalOfOlderVersion(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	v1 := "Version one."
	ref := o.letter(t, v1)
	d1 := string(seal.DigestOf([]byte(v1)))
	if err := o.r.Approve(ctx, o.reviewer, ref, d1, "read version one"); err != nil {
		t.Fatal(err)
	}
	oldStatement := o.statement(t, o.signer, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Revise(ctx, o.drafter, ref, Upload{Name: "letter.txt", Data: []byte("Version two, with a new paragraph.")}); err != nil {
		t.Fatal(err)
	}

	// The approval and the signature of version 1 do not count for version 2.
	wantGate(t, tryRelease(o, ref), needApproval, needSignature)
	wantErr(t, "approve the digest of version 1", o.r.Approve(ctx, o.reviewer, ref, d1, "read version one"), ErrConflict)
	wantErr(t, "approve a malformed digest", o.r.Approve(ctx, o.reviewer, ref, "sha256:beef", "read it"), ErrInvalid)
	wantErr(t, "sign the statement of version 1",
		o.r.Sign(ctx, o.signer, ref, o.keyID, oldStatement, signPAE(o.signerKey, seal.SigningPayloadType, oldStatement)), ErrConflict)
	wantGate(t, tryRelease(o, ref), needApproval, needSignature)

	d2 := string(seal.DigestOf([]byte("Version two, with a new paragraph.")))
	if err := o.r.Approve(ctx, o.reviewer, ref, d2, "read version two"); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	rel, err := o.r.Release(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if stmt := o.statementOf(t, rel); stmt.Version != 2 || string(stmt.VersionDigest) != d2 {
		t.Errorf("released version %d %s, want 2 %s", stmt.Version, stmt.VersionDigest, d2)
	}
}

func TestThreatSignatureReplay(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	sue := o.member(t, "sue", RoleSigner)
	sueKey, sueKeyID := o.newKey(t, sue)
	a := o.letter(t, "Letter A.")
	b := o.letter(t, "Letter B.")
	o.approve(t, b)

	stA := o.statement(t, o.signer, a)
	wantErr(t, "a signature of A's statement submitted for B",
		o.r.Sign(ctx, o.signer, b, o.keyID, stA, signPAE(o.signerKey, seal.SigningPayloadType, stA)), ErrConflict)

	stB := o.statement(t, o.signer, b)
	wantErr(t, "B signed with another member's key",
		o.r.Sign(ctx, o.signer, b, sueKeyID, stB, signPAE(sueKey, seal.SigningPayloadType, stB)), ErrForbidden)
	wantErr(t, "B signed by another member's key under the signer's key ID",
		o.r.Sign(ctx, o.signer, b, o.keyID, stB, signPAE(sueKey, seal.SigningPayloadType, stB)), ErrInvalid)
	wantErr(t, "a signature of the bare statement, not its PAE",
		o.r.Sign(ctx, o.signer, b, o.keyID, stB, ed25519.Sign(o.signerKey, stB)), ErrInvalid)
	wantErr(t, "a signature under another payload type",
		o.r.Sign(ctx, o.signer, b, o.keyID, stB, signPAE(o.signerKey, entry.Retraction.PayloadType(), stB)), ErrInvalid)
	flipped := signPAE(o.signerKey, seal.SigningPayloadType, stB)
	flipped[0] ^= 1
	wantErr(t, "a corrupted signature", o.r.Sign(ctx, o.signer, b, o.keyID, stB, flipped), ErrInvalid)
	wantErr(t, "an unregistered key",
		o.r.Sign(ctx, o.signer, b, strings.Repeat("0", 64), stB, signPAE(o.signerKey, seal.SigningPayloadType, stB)), ErrInvalid)

	// None of those left a signature that counts.
	wantGate(t, tryRelease(o, b), needSignature)
	v, err := o.r.Letter(ctx, o.reviewer, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Signatures) != 0 {
		t.Errorf("refused signatures were recorded: %+v", v.Signatures)
	}
}

func TestThreatRevokedKey(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Signed before the key was stolen.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}

	mallory := o.member(t, "mallory", RoleSigner)
	_, err := o.r.RevokeKey(ctx, mallory, o.keyID, "I do not like this key")
	wantErr(t, "another member revokes sam's key", err, ErrForbidden)
	if _, err := o.r.RevokeKey(ctx, o.signer, o.keyID, "laptop stolen"); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.RevokeKey(ctx, o.admin, o.keyID, "again")
	wantErr(t, "revoke twice", err, ErrConflict)

	gate := wantGate(t, tryRelease(o, ref), needSignature)
	if !mentions(gate.Decision.Notes, "key "+o.keyID+" was revoked") {
		t.Errorf("notes %q do not name the revoked key", gate.Decision.Notes)
	}
	if !mentions(gate.Reasons, o.keyID) {
		t.Errorf("reasons %q do not name the revoked key", gate.Reasons)
	}

	other := o.letter(t, "Signed after the key was stolen.")
	wantErr(t, "sign with a revoked key", o.sign(t, other), ErrForbidden)

	newKey, newKeyID := o.newKey(t, o.signer)
	if err := o.signAs(t, o.signer, newKey, newKeyID, ref); err != nil {
		t.Fatal(err)
	}
	rel, err := o.r.Release(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if sigs := o.statementOf(t, rel).Signatures; len(sigs) != 1 || sigs[0].KeyID != newKeyID {
		t.Errorf("released with signatures %+v, want only by key %s", sigs, newKeyID)
	}
}

func TestThreatWrongRole(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Roles matter.")
	nl := NewLetter{Subject: "s", Class: "internal", Addressees: []string{"x"}, File: Upload{Name: "a.txt", Data: []byte("a")}}
	for _, c := range []struct {
		what string
		do   func() error
		want error
	}{
		{"a reviewer releases", func() error { _, err := o.r.Release(ctx, o.reviewer, ref); return err }, ErrForbidden},
		{"a drafter approves", func() error { return o.r.Approve(ctx, o.drafter, ref, "", "mine") }, ErrForbidden},
		{"a signer approves", func() error { return o.r.Approve(ctx, o.signer, ref, "", "ok") }, ErrForbidden},
		{"a reviewer signs", func() error { return o.r.Sign(ctx, o.reviewer, ref, o.keyID, nil, nil) }, ErrForbidden},
		{"a drafter fetches the signing statement", func() error { _, err := o.r.SigningStatement(ctx, o.drafter, ref); return err }, ErrForbidden},
		{"a release officer revises", func() error { _, err := o.r.Revise(ctx, o.officer, ref, Upload{Data: []byte("b")}); return err }, ErrForbidden},
		{"a signer creates a letter", func() error { _, err := o.r.CreateLetter(ctx, o.signer, nl); return err }, ErrForbidden},
		{"an admin creates a letter", func() error { _, err := o.r.CreateLetter(ctx, o.admin, nl); return err }, ErrForbidden},
		{"a reviewer registers a key", func() error {
			_, _, err := o.r.RegisterKey(ctx, o.reviewer, o.signerKey.Public().(ed25519.PublicKey))
			return err
		}, ErrForbidden},
		{"a reviewer retracts", func() error { _, _, err := o.withdrawalStatementOf(ctx, o.reviewer, ref, "", "no"); return err }, ErrForbidden},
		{"anonymous creates a letter", func() error { _, err := o.r.CreateLetter(ctx, Actor{}, nl); return err }, ErrUnauthenticated},
		{"anonymous releases", func() error { _, err := o.r.Release(ctx, Actor{}, ref); return err }, ErrUnauthenticated},
		{"anonymous approves", func() error { return o.r.Approve(ctx, Actor{}, ref, "", "ok") }, ErrUnauthenticated},
		{"anonymous reads the audit", func() error { _, err := o.r.Audit(ctx, Actor{}, ref); return err }, ErrUnauthenticated},
		{"a forged token", func() error { _, err := o.r.Authenticate(ctx, "chy_forged"); return err }, ErrUnauthenticated},
		{"a token without the prefix", func() error { _, err := o.r.Authenticate(ctx, "forged"); return err }, ErrUnauthenticated},
		{"a second bootstrap", func() error { _, err := o.r.Bootstrap(ctx, "eve"); return err }, ErrConflict},
		{"an unknown role", func() error { _, err := o.r.AddMember(ctx, o.admin, "eve", []string{"superuser"}); return err }, ErrInvalid},
		{"a known and an unknown role", func() error {
			_, err := o.r.AddMember(ctx, o.admin, "eve", []string{RoleReviewer, "Admin"})
			return err
		}, ErrInvalid},
		{"no role", func() error { _, err := o.r.AddMember(ctx, o.admin, "eve", nil); return err }, ErrInvalid},
	} {
		wantErr(t, c.what, c.do(), c.want)
	}
	for _, a := range []Actor{o.drafter, o.reviewer, o.signer, o.officer, {}} {
		_, err := o.r.AddMember(ctx, a, "eve", []string{RoleAdmin})
		want := ErrForbidden
		if a.Member == nil {
			want = ErrUnauthenticated
		}
		wantErr(t, a.name()+" adds an admin", err, want)
	}
	// Nothing refused above took effect.
	wantGate(t, tryRelease(o, ref), needApproval, needSignature)
}

func TestThreatReleasedLetterImmutable(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	sue := o.member(t, "sue", RoleSigner)
	sueKey, sueKeyID := o.newKey(t, sue)
	body := "Final text."
	ref := o.letter(t, body)
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	sueStatement := o.statement(t, sue, ref)
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatal(err)
	}

	_, err := o.r.Revise(ctx, o.drafter, ref, Upload{Name: "letter.txt", Data: []byte("Edited after release.")})
	wantErr(t, "revise a released letter", err, ErrConflict)
	wantErr(t, "approve a released letter", o.r.Approve(ctx, o.reviewer, ref, "", "late"), ErrConflict)
	wantErr(t, "reject a released letter", o.r.Reject(ctx, o.reviewer, ref, "", "too late"), ErrConflict)
	wantErr(t, "sign a released letter",
		o.r.Sign(ctx, sue, ref, sueKeyID, sueStatement, signPAE(sueKey, seal.SigningPayloadType, sueStatement)), ErrConflict)
	_, err = o.r.SigningStatement(ctx, sue, ref)
	wantErr(t, "fetch the signing statement of a released letter", err, ErrConflict)
	_, err = o.r.ExportDraft(ctx, o.drafter, ref, "Embassy")
	wantErr(t, "export a released letter as a draft", err, ErrConflict)
	wantErr(t, "release twice", tryRelease(o, ref), ErrConflict)

	// A text letter is released as its letterhead PDF, stamped; the source is not the letter.
	data, rel, err := o.r.ReleasedFile(ctx, o.officer, ref, "")
	if err != nil || rel.VersionN != 1 || rel.MediaType != "application/pdf" || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("released file (%+v), %v", rel, err)
	}
	text, err := pdf.Text(data)
	if err != nil || !strings.Contains(text, body) {
		t.Fatalf("released file's text %q, %v; want it to hold %q", text, err, body)
	}
	st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(data))
	if err != nil || st.Outcome != Valid || !slices.Equal(st.Signers, []string{"sam"}) {
		t.Fatalf("verify the released file: %+v, %v", st, err)
	}
	st, err = o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf([]byte(body)))
	if err != nil || st.Outcome != Draft {
		t.Fatalf("verify the unstamped source of a released letter: %+v, %v; want draft", st, err)
	}
}

func TestThreatRetraction(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	sue := o.member(t, "sue", RoleSigner)
	sueKey, sueKeyID := o.newKey(t, sue)

	draft := o.letter(t, "Never released.")
	_, _, err := o.withdrawalStatementOf(ctx, o.signer, draft, "", "oops")
	wantErr(t, "retraction statement for a draft", err, ErrConflict)
	forgedOpening := seal.NewOpening(seal.RetractionStatement{Office: o.r.Office().Name, Reference: draft, Reason: "oops",
		RetractedBy: "sam", Time: o.r.now()})
	forged := seal.Marshal(seal.RetractionRecord{Office: o.r.Office().Name, Commitment: forgedOpening.Commitment(entry.Retraction), Time: o.r.now()})
	o.openings.Store(string(forged), forgedOpening)
	_, err = o.withdraw(ctx, o.signer, draft, "", o.keyID, forged, signPAE(o.signerKey, entry.Retraction.PayloadTypeV(entry.V2), forged))
	wantErr(t, "retract a draft", err, ErrConflict)

	ref, rel := o.released(t, "Sent in error.")
	const reason = "sent in error"
	stmt, pt := o.withdrawalStatement(t, o.signer, ref, "", reason)
	if pt != entry.Retraction.PayloadTypeV(entry.V2) {
		t.Fatalf("payload type %q", pt)
	}
	withdraw := func(a Actor, keyID string, statement, sig []byte) error {
		_, err := o.withdraw(ctx, a, ref, "", keyID, statement, sig)
		return err
	}
	wantErr(t, "sam's retraction signed with sue's key",
		withdraw(o.signer, sueKeyID, stmt, signPAE(sueKey, pt, stmt)), ErrForbidden)
	wantErr(t, "sam's retraction signed by sue under sam's key ID",
		withdraw(o.signer, o.keyID, stmt, signPAE(sueKey, pt, stmt)), ErrInvalid)
	wantErr(t, "sue submits sam's retraction",
		withdraw(sue, sueKeyID, stmt, signPAE(sueKey, pt, stmt)), ErrConflict)

	// The signed record commits to the reason: another opening does not fit it.
	op, _ := o.openings.Load(string(stmt))
	var tampered seal.RetractionStatement
	if err := seal.Unmarshal(op.(*seal.Opening).Statement, &tampered); err != nil {
		t.Fatal(err)
	}
	tampered.Reason = "forged by the enemy"
	forgedReason := &seal.Opening{Salt: op.(*seal.Opening).Salt, Statement: seal.Marshal(tampered)}
	_, err = o.r.Withdraw(ctx, o.signer, ref, "", o.keyID, stmt, forgedReason, signPAE(o.signerKey, pt, stmt))
	wantErr(t, "a retraction whose reason differs from the signed one", err, ErrConflict)
	_, err = o.r.Withdraw(ctx, o.signer, ref, "", o.keyID, stmt, nil, signPAE(o.signerKey, pt, stmt))
	wantErr(t, "a retraction without its opening", err, ErrInvalid)

	sig := signPAE(o.signerKey, pt, stmt)
	if err := withdraw(o.signer, o.keyID, stmt, sig); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "retract twice with the same statement", withdraw(o.signer, o.keyID, stmt, sig), ErrConflict)
	_, _, err = o.withdrawalStatementOf(ctx, o.signer, ref, "", "again")
	wantErr(t, "retraction statement for a retracted letter", err, ErrConflict)

	st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(rel.File))
	if err != nil || st.Outcome != Retracted || st.Reason != reason || st.Withdrawal == nil || st.Seal == nil {
		t.Fatalf("verify the retracted letter: %+v, %v", st, err)
	}
	ve, err := o.verifier.VerifyLogged(*st.Withdrawal, st.Seal.Checkpoint)
	if err != nil {
		t.Fatalf("the retraction entry does not verify: %v", err)
	}
	rs, ok := ve.Statement.(*seal.RetractionStatement)
	if !ok || rs.Reason != reason || rs.Reference != ref || rs.FileDigest != seal.DigestOf(rel.File) {
		t.Fatalf("retraction statement %#v", ve.Statement)
	}
	// The signer's signature travels in the entry beside the office's.
	if err := ve.Entry.Envelope.Verify(o.signerKey.Public().(ed25519.PublicKey)); err != nil {
		t.Errorf("the retraction entry lacks sam's signature: %v", err)
	}
	if _, err := o.verifier.VerifyBytes(st.Seal, rel.File); err != nil {
		t.Errorf("the seal of a retracted letter still proves its release: %v", err)
	}
	if s, err := o.r.MemberStatus(ctx, o.reviewer, ref); err != nil || s.Outcome != Retracted || s.Reason != reason {
		t.Errorf("status of the retracted letter: %+v, %v", s, err)
	}
	if s, err := o.r.StatusOf(ctx, ref); err != nil || s.Outcome != Retracted || s.Reason != "" || s.Withdrawal != nil || s.Seal != nil {
		t.Errorf("public status of the retracted letter by reference: %+v, %v; want the outcome alone", s, err)
	}
}

func TestThreatSupersession(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	old, oldRel := o.released(t, "The original instruction.")
	next := o.letter(t, "The corrected instruction.")

	_, _, err := o.withdrawalStatementOf(ctx, o.signer, old, next, "corrected")
	wantErr(t, "supersede by an unreleased letter", err, ErrConflict)
	_, _, err = o.withdrawalStatementOf(ctx, o.signer, old, old, "corrected")
	wantErr(t, "supersede by itself", err, ErrInvalid)
	_, _, err = o.withdrawalStatementOf(ctx, o.signer, old, "TFN-1999-000042", "corrected")
	wantErr(t, "supersede by a letter that does not exist", err, ErrNotFound)

	o.approvedAndReleased(t, next)
	stmt, pt := o.withdrawalStatement(t, o.signer, old, next, "corrected")
	if _, err := o.withdraw(ctx, o.signer, old, next, o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatal(err)
	}

	st, err := o.r.MemberStatus(ctx, o.reviewer, old)
	if err != nil || st.Outcome != Superseded || st.SupersededBy != next || st.Reason != "corrected" || st.Withdrawal == nil {
		t.Fatalf("status of the superseded letter: %+v, %v", st, err)
	}
	ve, err := o.verifier.VerifyLogged(*st.Withdrawal, st.Seal.Checkpoint)
	if err != nil {
		t.Fatalf("the supersession entry does not verify: %v", err)
	}
	if ss, ok := ve.Statement.(*seal.SupersessionStatement); !ok || ss.Reference != old || ss.By != next {
		t.Fatalf("supersession statement %#v", ve.Statement)
	}
	if vs, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(oldRel.File)); err != nil || vs.Outcome != Superseded || vs.SupersededBy != next {
		t.Errorf("verify the superseded file: %+v, %v", vs, err)
	}
	if st, err := o.r.StatusOf(ctx, next); err != nil || st.Outcome != Valid {
		t.Errorf("status of the new letter: %+v, %v", st, err)
	}
	_, _, err = o.withdrawalStatementOf(ctx, o.signer, next, old, "back again")
	wantErr(t, "supersede by a withdrawn letter", err, ErrConflict)
}

func TestThreatStatusPrivacy(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Secret draft.")
	st, err := o.r.StatusOf(ctx, ref)
	if err != nil || st.Outcome != Unknown || st.Subject != "" || st.Class != "" || st.Seal != nil || st.Draft != nil {
		t.Fatalf("status of a draft reference: %+v, %v", st, err)
	}

	cp, err := o.r.ExportDraft(ctx, o.drafter, ref, "Embassy liaison")
	if err != nil {
		t.Fatal(err)
	}
	st, err = o.r.VerifyDigest(ctx, Actor{}, seal.Digest(cp.Digest))
	if err != nil || st.Outcome != Draft || st.Draft != nil || st.Reference != "" || st.Subject != "" {
		t.Fatalf("public verify of a draft export: %+v, %v", st, err)
	}
	for _, a := range []Actor{o.drafter, o.reviewer, o.officer} {
		st, err = o.r.VerifyDigest(ctx, a, seal.Digest(cp.Digest))
		if err != nil || st.Outcome != Draft || st.Draft == nil || st.Draft.Reference != ref || st.Draft.Version != 1 ||
			len(st.Draft.Exports) != 1 || st.Draft.Exports[0].Recipient != "Embassy liaison" || st.Draft.Exports[0].By != "dana" {
			t.Fatalf("%s verifies a draft export: %+v (%+v), %v", a.name(), st, st.Draft, err)
		}
	}
	st, err = o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf([]byte("Secret draft, altered.")))
	if err != nil || st.Outcome != Unknown {
		t.Fatalf("public verify of unknown bytes: %+v, %v", st, err)
	}
}

func TestThreatStatusOfHidesDrafts(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	draft := o.letter(t, "A draft the public must not learn of.")
	never := draft[:len(draft)-6] + "999999"
	ds, err := o.r.StatusOf(ctx, draft)
	if err != nil {
		t.Fatal(err)
	}
	ns, err := o.r.StatusOf(ctx, never)
	if err != nil {
		t.Fatal(err)
	}
	ns.Reference = ds.Reference
	if !reflect.DeepEqual(ds, ns) {
		t.Errorf("the public can tell a draft's reference from an unused one:\n draft:  %+v\n unused: %+v", ds, ns)
	}
}

func TestThreatReviserCannotApproveOwnText(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	eve := o.member(t, "eve", RoleDrafter, RoleReviewer)
	ref := o.letter(t, "Dana's text.")
	if _, err := o.r.Revise(ctx, eve, ref, Upload{Name: "letter.txt", Data: []byte("Eve's text, entirely rewritten.")}); err != nil {
		t.Fatal(err)
	}
	// Eve drafted the version to be released: her approval of it is a self-approval.
	approveErr := o.r.Approve(ctx, eve, ref, "", "looks good to me")
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	_, err := o.r.Release(ctx, o.officer, ref)
	var gate *GateError
	if approveErr == nil && !errors.As(err, &gate) {
		t.Errorf("eve rewrote %s and approved her own version, and the gate let it out (release error %v)", ref, err)
	}
}

func TestThreatAuditAppendOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := newOfficeIn(t, dir)
	ref, _ := o.released(t, "Audited letter.")
	stmt, pt := o.withdrawalStatement(t, o.signer, ref, "", "audit drill")
	if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatal(err)
	}

	events, err := o.r.Audit(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range events {
		got = append(got, e.Action+" by "+e.Actor)
	}
	want := []string{"letter.create by dana", "letter.approve by rita", "letter.sign by sam", "letter.release by otto", "letter.retraction by sam"}
	if !slices.Equal(got, want) {
		t.Fatalf("audit of %s:\n got  %q\n want %q", ref, got, want)
	}

	// The store's own driver (modernc.org/sqlite, registered by package store) on the same file.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	for _, q := range []string{
		`UPDATE audit_events SET actor = 'nobody' WHERE reference = ?`,
		// The release's and the retraction's events, by their order: their actions are stored
		// as bytes of the detail (store, audit.go).
		`UPDATE audit_events SET time = 946684800000000000 WHERE id IN (SELECT id FROM audit_events WHERE reference = ? ORDER BY id DESC LIMIT 1 OFFSET 1)`,
		`DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE reference = ? ORDER BY id DESC LIMIT 1)`,
		`DELETE FROM audit_events WHERE reference = ?`,
	} {
		_, err := raw.ExecContext(ctx, q, ref)
		if err == nil || !strings.Contains(err.Error(), "audit events are append-only") {
			t.Errorf("%s: got %v, want the append-only trigger's refusal", q, err)
		}
	}
	after, err := o.r.Audit(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, events) {
		t.Errorf("audit changed:\n before %+v\n after  %+v", events, after)
	}
}

// loggedEntries returns the entries of o's published log, decoded, by index: every entry
// the store has committed, once o's log has read them (a second server on one PostgreSQL
// database reads another's entries a moment after their commit).
func loggedEntries(t *testing.T, o *office) []*entry.Entry {
	t.Helper()
	var stored store.LogHead
	if err := o.r.cfg.DB.View(context.Background(), func(tx *store.Tx) error {
		var err error
		stored, err = tx.LogHead(context.Background())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); o.r.cfg.Log.Head().Size < stored.Size; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the log's head is at %d entries 30 s after the store's reached %d", o.r.cfg.Log.Head().Size, stored.Size)
		}
	}
	var out []*entry.Entry
	for i := range o.r.cfg.Log.Head().Size {
		data, err := o.r.cfg.Log.Entry(context.Background(), i)
		if err != nil {
			t.Fatal(err)
		}
		e, err := entry.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// releaseEntries counts the release entries of ref in the published log.
func releaseEntries(t *testing.T, o *office, ref string) int {
	t.Helper()
	ctx := context.Background()
	n := 0
	for i, e := range loggedEntries(t, o) {
		if e.Kind != entry.Release {
			continue
		}
		var op *seal.Opening
		var err error
		if err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
			op, err = opening(ctx, tx, int64(i))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		opened, err := seal.Open(e, op)
		if err != nil {
			t.Fatal(err)
		}
		if opened.(*seal.ReleaseStatement).Reference == ref {
			n++
		}
	}
	return n
}

func TestThreatConcurrentRelease(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Released once, and only once.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}

	const n = 20
	var (
		wg   sync.WaitGroup
		errs = make([]error, n)
		rels = make([]*Released, n)
	)
	for i := range n {
		wg.Go(func() { rels[i], errs[i] = o.r.Release(ctx, o.officer, ref) })
	}
	wg.Wait()
	var won *Released
	for i, err := range errs {
		switch {
		case err == nil && won == nil:
			won = rels[i]
		case err == nil:
			t.Errorf("released twice, at log entries %d and %d", won.LogIndex, rels[i].LogIndex)
		case !errors.Is(err, ErrConflict):
			t.Errorf("a losing release: got %v, want %v", err, ErrConflict)
		}
	}
	if won == nil {
		t.Fatal("no release succeeded")
	}
	o.statementOf(t, won)
	if got := releaseEntries(t, o, ref); got != 1 {
		t.Errorf("%d release entries for %s in the log", got, ref)
	}
	events, err := o.r.Audit(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	releases := 0
	for _, e := range events {
		if e.Action == "letter.release" {
			releases++
		}
	}
	if releases != 1 {
		t.Errorf("%d release events in the audit of %s", releases, ref)
	}
}

func TestThreatEvidenceRacesRelease(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	for round := range 5 {
		ref := o.letter(t, fmt.Sprintf("Round %d: approval and signature race the gate.", round))
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			won   []*Released
			isOut atomic.Bool
		)
		wg.Go(func() {
			if err := o.r.Approve(ctx, o.reviewer, ref, "", "reviewed"); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			st, err := o.r.SigningStatement(ctx, o.signer, ref)
			if err != nil {
				t.Error(err)
				return
			}
			if err := o.r.Sign(ctx, o.signer, ref, o.keyID, st, signPAE(o.signerKey, seal.SigningPayloadType, st)); err != nil {
				t.Error(err)
			}
		})
		for range 4 {
			// Each releaser tries until the letter is out: refusals by the gate or by a
			// change under its feet are expected while the evidence arrives.
			wg.Go(func() {
				for !isOut.Load() {
					rel, err := o.r.Release(ctx, o.officer, ref)
					var gate *GateError
					switch {
					case err == nil:
						mu.Lock()
						won = append(won, rel)
						mu.Unlock()
						isOut.Store(true)
					case errors.As(err, &gate), errors.Is(err, ErrConflict):
					default:
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if len(won) != 1 {
			t.Fatalf("round %d: %d releases of %s", round, len(won), ref)
		}
		stmt := o.statementOf(t, won[0])
		if !slices.Equal(approvers(stmt), []string{"rita"}) || !slices.Equal(signerNames(stmt), []string{"sam"}) {
			t.Fatalf("round %d: released with approvals by %q and signatures by %q", round, approvers(stmt), signerNames(stmt))
		}
	}
}

func TestThreatSealChecks(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref, rel := o.released(t, "Sealed letter.")
	v, err := seal.NewVerifier(o.r.TrustRoot())
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.VerifyBytes(rel.Seal, rel.File)
	if err != nil {
		t.Fatalf("the seal does not verify: %v", err)
	}
	if res.Statement.Reference != ref || res.Index != rel.LogIndex || !slices.Equal(res.Signers, []string{"sam"}) {
		t.Errorf("the seal proves %+v", res)
	}
	parsed, err := seal.Parse(rel.Seal.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyBytes(parsed, rel.File); err != nil {
		t.Errorf("the seal's file form does not verify: %v", err)
	}
	fresh, err := o.r.Seal(ctx, o.officer, ref, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.VerifyBytes(fresh, rel.File); err != nil {
		t.Errorf("a fresh seal does not verify: %v", err)
	}

	_, other := o.released(t, "Another sealed letter.")
	for what, file := range map[string][]byte{
		"one byte more":         append(slices.Clone(rel.File), ' '),
		"another letter's file": other.File,
		"nothing":               nil,
	} {
		_, err := v.VerifyBytes(rel.Seal, file)
		wantErr(t, "the seal against "+what, err, seal.ErrDigestMismatch)
	}

	o2 := newOffice(t)
	v2, err := seal.NewVerifier(o2.r.TrustRoot())
	if err != nil {
		t.Fatal(err)
	}
	_, err = v2.VerifyBytes(rel.Seal, rel.File)
	wantErr(t, "the seal against another office's trust root", err, seal.ErrBadCheckpoint)
	// Our log, but another office's keys: the release is not signed by a trusted office key.
	mixed := o.r.TrustRoot()
	mixed.OfficeKeys = o2.r.TrustRoot().OfficeKeys
	vm, err := seal.NewVerifier(mixed)
	if err != nil {
		t.Fatal(err)
	}
	_, err = vm.VerifyBytes(rel.Seal, rel.File)
	wantErr(t, "the seal against another office's keys", err, seal.ErrUntrustedKey)
}

// TestThreatSmallOrderSignerKey: under an Ed25519 public key of small order (the identity
// point, here) the signature R = identity, S = 0 verifies for every statement, so the key
// binds no signature to its owner: anyone could have made it, and its owner can deny it. The
// registry refuses to register such a key.
func TestThreatSmallOrderSignerKey(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	identity := make(ed25519.PublicKey, ed25519.PublicKeySize)
	identity[0] = 1
	id, _, err := o.r.RegisterKey(ctx, o.signer, identity)
	wantErr(t, "register a key of small order", err, ErrInvalid)
	if err == nil {
		ref := o.letter(t, "Signed by nobody in particular.")
		st := o.statement(t, o.signer, ref)
		forged := append(append([]byte{}, identity...), make([]byte, 32)...)
		if err := o.r.Sign(ctx, o.signer, ref, id, st, forged); err == nil {
			t.Error("a signature that verifies for every statement was counted")
		}
	}
}
