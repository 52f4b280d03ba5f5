package registry

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// loggedWithdrawalTime returns the time of the withdrawal statement logged for ref, as a
// verifier reads it.
func (o *office) loggedWithdrawalTime(t *testing.T, ref string) time.Time {
	t.Helper()
	st, err := o.r.MemberStatus(context.Background(), o.reviewer, ref)
	if err != nil || st.Withdrawal == nil || st.Seal == nil {
		t.Fatalf("status of %s: %+v, %v", ref, st, err)
	}
	ve, err := o.verifier.VerifyLogged(*st.Withdrawal, st.Seal.Checkpoint)
	if err != nil {
		t.Fatal(err)
	}
	switch w := ve.Statement.(type) {
	case *seal.RetractionStatement:
		return w.Time
	case *seal.SupersessionStatement:
		return w.Time
	}
	t.Fatalf("withdrawal statement %#v", ve.Statement)
	return time.Time{}
}

// A server whose clock is behind the one that released a letter (another PostgreSQL server of
// the office, or the same one after its clock was stepped back) must not date the withdrawal
// before the release it withdraws, nor before the release of the letter that supersedes it:
// every verifier would read "retracted on" a day the letter was not yet released.
func TestWithdrawalNeverDatedBeforeTheRelease(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	released := time.Date(2026, 12, 3, 0, 2, 0, 0, time.UTC)
	o.r.cfg.Now = func() time.Time { return released }
	ref, _ := o.released(t, "Sent in error.")
	old, _ := o.released(t, "The original instruction.")
	next, _ := o.released(t, "The corrected instruction.")

	// The clock now reads five minutes earlier: the day before.
	o.r.cfg.Now = func() time.Time { return released.Add(-5 * time.Minute) }
	stmt, pt := o.withdrawalStatement(t, o.signer, ref, "", "sent in error")
	if _, err := o.withdraw(ctx, o.signer, ref, "", o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatalf("retraction on a server whose clock is behind: %v", err)
	}
	if at := o.loggedWithdrawalTime(t, ref); at.Before(o.releasedAt(t, ref)) {
		t.Errorf("the retraction is dated %s, before the release at %s", at, o.releasedAt(t, ref))
	}
	stmt, pt = o.withdrawalStatement(t, o.signer, old, next, "corrected")
	if _, err := o.withdraw(ctx, o.signer, old, next, o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatalf("supersession on a server whose clock is behind: %v", err)
	}
	if at := o.loggedWithdrawalTime(t, old); at.Before(o.releasedAt(t, next)) {
		t.Errorf("the supersession is dated %s, before the release of the letter superseding it at %s", at, o.releasedAt(t, next))
	}
}

// A signer chooses the time of the statement they sign (the registry takes any within ten
// minutes of its clock, for the time signing takes): one dated before the release it
// withdraws is refused.
func TestWithdrawalBackdatedBeforeTheReleaseRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	released := time.Date(2026, 12, 3, 0, 2, 0, 0, time.UTC)
	o.r.cfg.Now = func() time.Time { return released }
	ref, rel := o.released(t, "Sent in error.")
	o.r.cfg.Now = func() time.Time { return released.Add(2 * time.Minute) }

	backdated := seal.NewOpening(seal.RetractionStatement{Office: o.r.Office().Name, Reference: ref, FileDigest: rel.FileDigest,
		Reason: "never sent", RetractedBy: "sam", Time: released.Add(-3 * time.Minute)})
	record := seal.Marshal(seal.RetractionRecord{Office: o.r.Office().Name, Release: rel.LogIndex,
		Commitment: backdated.Commitment(entry.Retraction), Time: released.Add(-3 * time.Minute)})
	pt := entry.Retraction.PayloadTypeV(entry.V2)
	_, err := o.r.Withdraw(ctx, o.signer, ref, "", o.keyID, record, backdated, signPAE(o.signerKey, pt, record))
	wantErr(t, "a retraction dated before the release", err, ErrInvalid)

	// The same, dated after the release, is taken: the refusal is for the date alone.
	onTime := seal.NewOpening(seal.RetractionStatement{Office: o.r.Office().Name, Reference: ref, FileDigest: rel.FileDigest,
		Reason: "never sent", RetractedBy: "sam", Time: released.Add(time.Minute)})
	record = seal.Marshal(seal.RetractionRecord{Office: o.r.Office().Name, Release: rel.LogIndex,
		Commitment: onTime.Commitment(entry.Retraction), Time: released.Add(time.Minute)})
	if _, err := o.r.Withdraw(ctx, o.signer, ref, "", o.keyID, record, onTime, signPAE(o.signerKey, pt, record)); err != nil {
		t.Fatalf("a retraction dated after the release: %v", err)
	}
}

// A release on a server whose clock is behind the one where the letter was approved must not
// be dated before the approvals its statement records: an auditor would read a release made
// before anyone approved it.
func TestReleaseNeverDatedBeforeItsApprovals(t *testing.T) {
	o := newOffice(t)
	approved := time.Date(2026, 12, 3, 0, 2, 0, 0, time.UTC)
	o.r.cfg.Now = func() time.Time { return approved }
	ref := o.letter(t, "Approved on a server whose clock is ahead.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	o.r.cfg.Now = func() time.Time { return approved.Add(-5 * time.Minute) }
	rel, err := o.r.Release(context.Background(), o.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	r, err := o.verifier.VerifyBytes(rel.Seal, rel.File)
	if err != nil {
		t.Fatal(err)
	}
	for _, ap := range r.Statement.Approvals {
		if r.Statement.ReleasedAt.Before(ap.Time) {
			t.Errorf("the release is dated %s, before the approval by %s at %s", r.Statement.ReleasedAt, ap.Member, ap.Time)
		}
	}
	if len(r.Statement.Approvals) == 0 {
		t.Fatal("the statement records no approval")
	}
	if at := o.releasedAt(t, ref); !at.Equal(r.Statement.ReleasedAt) {
		t.Errorf("the release is stored at %s, its statement says %s", at, r.Statement.ReleasedAt)
	}
}

// A session started while the server's clock was far ahead (a VM restored with a wrong clock,
// since corrected) records its start and last use in the future: its idleness could not be
// measured, and it would live for as much longer as the clock was ahead. It is refused, as a
// 'chancery login' token issued then is.
func TestSessionFromAClockThatWasAheadRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	times := SessionTimes{Lifetime: 8 * time.Hour, Idle: 30 * time.Minute}
	o.r.cfg.Now = func() time.Time { return now.AddDate(1, 0, 0) }
	id, err := o.r.StartSession(ctx, o.reviewer.Member, "test", times)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := o.r.StartCLISession(ctx, o.reviewer.Member, "test", 8*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	o.r.cfg.Now = func() time.Time { return now.Add(time.Hour) }
	if _, err := o.r.SessionMember(ctx, id, times); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a session started a year ahead, used after the clock was corrected: %v, want ErrUnauthenticated", err)
	}
	if _, err := o.r.Authenticate(ctx, tok); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a 'chancery login' token issued a year ahead, used after the clock was corrected: %v, want ErrUnauthenticated", err)
	}

	// Servers of one office whose clocks differ by a minute share sessions as before.
	o.r.cfg.Now = func() time.Time { return now.Add(time.Minute) }
	id, err = o.r.StartSession(ctx, o.reviewer.Member, "test", times)
	if err != nil {
		t.Fatal(err)
	}
	o.r.cfg.Now = func() time.Time { return now }
	if _, err := o.r.SessionMember(ctx, id, times); err != nil {
		t.Errorf("a session started on a server a minute ahead: %v", err)
	}
}

// A release made after the PDF signing certificate expired would carry a signature that PDF
// readers report as made with an expired certificate: it is refused with what to do, and
// leaves nothing behind (no log entry, no audit event, the letter still a draft), until the
// certificate is renewed.
func TestReleaseRefusedWithAnExpiredPDFCertificate(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	now := time.Now()
	o.r.cfg.PDFSigner = officecatest.SignerValid(t, "Task Force North", now.AddDate(-3, 0, 0), now.Add(-time.Hour))
	ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	size := o.r.cfg.Log.Head().Size
	audit, err := o.r.Audit(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.r.Release(ctx, o.officer, ref)
	if !errors.Is(err, pdf.ErrCertificateNotValid) || !strings.Contains(err.Error(), "expired") || !strings.Contains(err.Error(), "pdf-signing.crt") {
		t.Fatalf("release with an expired PDF certificate: %v; want it refused, saying how to renew", err)
	}
	if got := o.r.cfg.Log.Head().Size; got != size {
		t.Errorf("the refused release grew the log from %d to %d entries", size, got)
	}
	if after, err := o.r.Audit(ctx, o.reviewer, ref); err != nil || !reflect.DeepEqual(after, audit) {
		t.Errorf("the refused release changed the audit: %+v, %v", after, err)
	}
	if st, err := o.r.MemberStatus(ctx, o.reviewer, ref); err != nil || st.ReleasedAt != nil {
		t.Errorf("the refused release left %s released: %+v, %v", ref, st, err)
	}

	// A certificate not yet valid (a clock stepped back past its start) is refused too.
	o.r.cfg.PDFSigner = officecatest.SignerValid(t, "Task Force North", now.Add(time.Hour), now.AddDate(3, 0, 0))
	if _, err := o.r.Release(ctx, o.officer, ref); !errors.Is(err, pdf.ErrCertificateNotValid) {
		t.Fatalf("release with a PDF certificate not yet valid: %v", err)
	}

	o.r.cfg.PDFSigner = officecatest.Signer(t, "Task Force North")
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatalf("release once the certificate is renewed: %v", err)
	}
}

// The operator hears of the PDF signing certificate's end a month ahead, and once it has
// passed, with how to renew it.
func TestPDFCertificateWarning(t *testing.T) {
	o := newOffice(t)
	if w := o.r.PDFCertificateWarning(); w != "" {
		t.Errorf("warning without a certificate: %q", w)
	}
	now := time.Now()
	for _, c := range []struct {
		end  time.Time
		want string
	}{
		{now.AddDate(0, 0, 40), ""},
		{now.AddDate(0, 0, 20), "expires on " + now.AddDate(0, 0, 20).UTC().Format(time.DateOnly)},
		{now.Add(-time.Minute), "expired on"},
	} {
		o.r.cfg.PDFSigner = officecatest.SignerValid(t, "Task Force North", now.AddDate(-1, 0, 0), c.end)
		w := o.r.PDFCertificateWarning()
		if c.want == "" && w != "" || c.want != "" && (!strings.Contains(w, c.want) || !strings.Contains(w, "pdf-signing.crt")) {
			t.Errorf("certificate ending %s: warning %q, want %q", c.end, w, c.want)
		}
	}
}

// newQuorumOffice is a witnessed office with a quorum of one witness, run in the test.
func newQuorumOffice(t *testing.T) *witnessed {
	t.Helper()
	ctx := context.Background()
	w := newWitnessedOffice(t, time.Minute)
	vkey, srv := startWitness(t, "witness.justice.example", w, nil)
	if err := w.r.AddWitness(ctx, w.admin, "justice", srv.URL, vkey); err != nil {
		t.Fatal(err)
	}
	if err := w.r.SetWitnessQuorum(ctx, w.admin, 1); err != nil {
		t.Fatal(err)
	}
	var err error
	if w.verifier, err = seal.NewVerifier(w.r.TrustRoot()); err != nil {
		t.Fatal(err)
	}
	return w
}

// A releasing server whose clock was stepped back makes approvals look younger than they are:
// one given 30 hours ago looks 10 hours old to a clock set 20 hours back, and would count
// under a max_approval_age of a day. The witnesses' cosignatures vouch for a later time: the
// gate measures ages from it, and the release is not dated before it.
func TestSteppedBackClockDoesNotRejuvenateApprovals(t *testing.T) {
	ctx := context.Background()
	w := newQuorumOffice(t)
	p, err := policy.Parse([]byte(modifierPolicy))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.r.AdoptPolicy(ctx, w.admin, p, []byte(modifierPolicy)); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	w.r.cfg.Now = func() time.Time { return now.Add(-30 * time.Hour) }
	ref, err := w.r.CreateLetter(ctx, w.drafter, NewLetter{Subject: "Repositioning", Class: "foreign-government",
		Tags: []string{"urgent"}, Addressees: []string{"Ministry of Defence"}, File: Upload{Name: "letter.txt", Data: []byte("Dear Minister, urgent.")}})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(t, ref)
	if err := w.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	// Time passes: another letter is released and its checkpoint cosigned, at the real time.
	w.r.cfg.Now = time.Now
	if rel := w.releaseOne(t, "Another letter."); rel.Seal == nil {
		t.Fatalf("no seal: %s", rel.SealPending)
	}
	// The clock is stepped back 20 hours.
	w.r.cfg.Now = func() time.Time { return time.Now().Add(-20 * time.Hour) }
	rel, err := w.r.Release(ctx, w.officer, ref)
	var gate *GateError
	if err == nil {
		t.Fatalf("released %s on an approval 30 hours old under a max_approval_age of 24h, dated %s", ref, w.statementOf(t, rel).ReleasedAt)
	} else if !errors.As(err, &gate) || !strings.Contains(err.Error(), "max_approval_age") {
		t.Fatalf("release: %v", err)
	}
	// A letter approved and released on the stepped-back server is dated no earlier than the
	// witnesses' time.
	w.r.cfg.Now = func() time.Time { return time.Now().Add(-20 * time.Hour) }
	rel = w.releaseOne(t, "A letter of today.")
	if at := w.statementOf(t, rel).ReleasedAt; now.Sub(at) > time.Minute {
		t.Errorf("released at %s by a clock 20 hours behind the witnesses' (%s)", at, now)
	}
}

// A clock stepped back would make sessions look younger than they are: a 'chancery login'
// token of an hour, started two hours ago, would still open the registry to a clock set back
// ninety minutes. The witnesses' time ends it.
func TestSteppedBackClockDoesNotProlongSessions(t *testing.T) {
	ctx := context.Background()
	w := newQuorumOffice(t)
	// A session opened two hours ago for an hour. It is written as it was then: opened through
	// StartCLISession now, it would be dated by the witnesses' time as soon as they cosigned
	// the office's witness statements, which they do in the background.
	now := time.Now().UTC().Truncate(time.Second)
	b := make([]byte, 32)
	rand.Read(b)
	tok := cliPrefix + base64.RawURLEncoding.EncodeToString(b)
	err := w.r.cfg.DB.Update(ctx, func(tx *store.Tx) error {
		return tx.AddSession(ctx, store.Session{IDHash: HashToken(tok), MemberID: w.drafter.Member.ID,
			CreatedAt: now.Add(-2 * time.Hour), LastSeen: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour), Remote: "test"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if rel := w.releaseOne(t, "A letter cosigned now."); rel.Seal == nil {
		t.Fatalf("no seal: %s", rel.SealPending)
	}
	w.r.cfg.Now = func() time.Time { return time.Now().Add(-90 * time.Minute) }
	if _, err := w.r.Authenticate(ctx, tok); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("a token that expired an hour ago, to a clock set back 90 minutes: %v", err)
	}
}
