package registry

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// office is a registry with one member per role and a registered signer key.
type office struct {
	r                                         *Registry
	admin, drafter, reviewer, signer, officer Actor
	signerKey                                 ed25519.PrivateKey
	keyID                                     string
	verifier                                  *seal.Verifier
	// openings remembers the opening WithdrawalStatement gave with each record, for withdraw.
	openings sync.Map
	// dir holds the store's SQLite database.
	dir string
	// logSigner signs the log's checkpoints: a restarted server opens the log with it.
	logSigner note.Signer
}

// withdraw is Withdraw with the opening that came with the record.
func (o *office) withdraw(ctx context.Context, a Actor, ref, by, keyID string, record, sig []byte) (int64, error) {
	op, _ := o.openings.Load(string(record))
	so, _ := op.(*seal.Opening)
	return o.r.Withdraw(ctx, a, ref, by, keyID, record, so, sig)
}

// withdrawalStatementOf is WithdrawalStatement, remembering the opening for withdraw.
// supersede has the signer supersede letter old by letter by, for the reason "plan extended".
func (o *office) supersede(old, by string) error {
	ctx := context.Background()
	st, pt, err := o.withdrawalStatementOf(ctx, o.signer, old, by, "plan extended")
	if err != nil {
		return err
	}
	_, err = o.withdraw(ctx, o.signer, old, by, o.keyID, st, signPAE(o.signerKey, pt, st))
	return err
}

func (o *office) withdrawalStatementOf(ctx context.Context, a Actor, ref, by, reason string) ([]byte, string, error) {
	st, pt, op, err := o.r.WithdrawalStatement(ctx, a, ref, by, reason)
	if err == nil {
		o.openings.Store(string(st), op)
	}
	return st, pt, err
}

func newOffice(t testing.TB) *office {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const origin = "test.example/log"
	skey, vkey, _ := note.GenerateKey(rand.Reader, origin)
	signer, _ := note.NewSigner(skey)
	lg, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	r := New(Config{DB: db, Log: lg, Office: Office{Name: "Task Force North", Prefix: "TFN", URL: "https://tfn.example"},
		OfficeKey: officeKey, LogKey: vkey, LogOrigin: origin})
	o := &office{r: r, dir: dir, logSigner: signer}
	tok, err := r.Bootstrap(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	o.admin = o.actor(t, tok)
	for _, m := range []struct {
		name string
		role string
		to   *Actor
	}{{"dana", RoleDrafter, &o.drafter}, {"rita", RoleReviewer, &o.reviewer}, {"sam", RoleSigner, &o.signer}, {"otto", RoleRelease, &o.officer}} {
		tok, err := r.AddMember(ctx, o.admin, m.name, []string{m.role})
		if err != nil {
			t.Fatal(err)
		}
		*m.to = o.actor(t, tok)
	}
	_, o.signerKey, _ = ed25519.GenerateKey(rand.Reader)
	o.keyID, _, err = r.RegisterKey(ctx, o.signer, o.signerKey.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	o.verifier, err = seal.NewVerifier(r.TrustRoot())
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (o *office) actor(t testing.TB, tok string) Actor {
	m, err := o.r.Authenticate(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	return Actor{Member: m, Remote: "test"}
}

func (o *office) sign(t testing.TB, ref string) error {
	t.Helper()
	ctx := context.Background()
	st, err := o.r.SigningStatement(ctx, o.signer, ref)
	if err != nil {
		t.Fatal(err)
	}
	sig := ed25519.Sign(o.signerKey, dsse.PAE(seal.SigningPayloadType, st))
	return o.r.Sign(ctx, o.signer, ref, o.keyID, st, sig)
}

func (o *office) letter(t testing.TB, body string) string {
	t.Helper()
	return o.letterTo(t, "Repositioning of forces", body, "Ministry of Defence of Freedonia")
}

// letterTo drafts a text letter of the foreign-government class with subject and body, to
// addressees to.
func (o *office) letterTo(t testing.TB, subject, body string, to ...string) string {
	t.Helper()
	ref, err := o.r.CreateLetter(context.Background(), o.drafter, NewLetter{Subject: subject, Class: "foreign-government",
		Addressees: to, File: Upload{Name: "letter.txt", Data: []byte(body)}})
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestLifecycle(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister, draft one.")
	if ref != "TFN-"+o.r.now().Format("2006")+"-000001" {
		t.Fatalf("reference %q", ref)
	}

	// A leaked coordination copy is a draft.
	cp, err := o.r.ExportDraft(ctx, o.drafter, ref, "Embassy liaison")
	if err != nil {
		t.Fatal(err)
	}
	st, err := o.r.VerifyDigest(ctx, Actor{}, seal.Digest(cp.Digest))
	if err != nil || st.Outcome != Draft || st.Draft != nil {
		t.Fatalf("public verify of a draft copy: %+v, %v", st, err)
	}
	st, _ = o.r.VerifyDigest(ctx, o.reviewer, seal.Digest(cp.Digest))
	if st.Draft == nil || st.Draft.Reference != ref || st.Draft.Exports[0].Recipient != "Embassy liaison" {
		t.Fatalf("member verify of a draft copy: %+v", st.Draft)
	}

	// Release before approvals is refused with what is missing.
	_, err = o.r.Release(ctx, o.officer, ref)
	var gate *GateError
	if !errors.As(err, &gate) || len(gate.Decision.Missing()) != 2 {
		t.Fatalf("release without approvals: %v", err)
	}

	if err := o.r.Approve(ctx, o.reviewer, ref, "", "legal review done"); err != nil {
		t.Fatal(err)
	}
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	rel, err := o.r.Release(ctx, o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	res, err := o.verifier.VerifyBytes(rel.Seal, rel.File)
	if err != nil {
		t.Fatalf("seal does not verify: %v", err)
	}
	if res.Statement.Reference != ref {
		t.Fatalf("sealed reference %q", res.Statement.Reference)
	}
	// The seal survives its file form.
	if _, err := seal.Parse(rel.Seal.Marshal()); err != nil {
		t.Fatal(err)
	}
	st, err = o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(rel.File))
	if err != nil || st.Outcome != Valid {
		t.Fatalf("verify released: %+v %v", st, err)
	}
	if _, err := o.r.Release(ctx, o.officer, ref); !errors.Is(err, ErrConflict) {
		t.Fatalf("second release: %v", err)
	}

	// Retraction.
	stmt, pt, err := o.withdrawalStatementOf(ctx, o.signer, ref, "", "sent in error")
	if err != nil {
		t.Fatal(err)
	}
	sig := ed25519.Sign(o.signerKey, dsse.PAE(pt, stmt))
	if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, stmt, sig); err != nil {
		t.Fatal(err)
	}
	st, err = o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(rel.File))
	if err != nil || st.Outcome != Retracted || st.Reason != "sent in error" || st.Withdrawal == nil {
		t.Fatalf("verify retracted: %+v %v", st, err)
	}
	ve, err := o.verifier.VerifyLogged(*st.Withdrawal, st.Seal.Checkpoint)
	if err != nil {
		t.Fatalf("retraction evidence: %v", err)
	}
	if rs, ok := ve.Statement.(*seal.RetractionStatement); !ok || rs.Reason != "sent in error" {
		t.Fatalf("retraction statement: %#v", ve.Statement)
	}
	events, err := o.r.Audit(ctx, o.reviewer, ref)
	if err != nil || len(events) < 6 {
		t.Fatalf("audit: %d events, %v", len(events), err)
	}
}
