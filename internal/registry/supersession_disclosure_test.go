package registry

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/policy"
)

// adoptDisclosing adopts a policy under which press letters log press (a list of fields) in
// the clear, and other letters nothing.
func adoptDisclosing(t *testing.T, o *office, name, press string) {
	t.Helper()
	o.adopt(t, "version: 1\nname: "+name+"\n"+press+"rules:\n  - name: d\n    default: true\n    require:\n"+
		"      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n")
}

// adopt adopts the policy src, as the office's admin.
func (o *office) adopt(t *testing.T, src string) {
	t.Helper()
	p, err := policy.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(context.Background(), o.admin, p, []byte(src)); err != nil {
		t.Fatal(err)
	}
}

// releasedLetter creates and releases a letter of class to the addressees.
func releasedLetter(t *testing.T, o *office, subject, class string, to ...string) string {
	t.Helper()
	ref, err := o.r.CreateLetter(context.Background(), o.drafter, NewLetter{Subject: subject, Class: class,
		Addressees: to, File: Upload{Name: "letter.txt", Data: []byte(subject + "\n")}})
	if err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, ref)
	return ref
}

// TestSupersessionKeepsDisclosureApart: a supersession hands whoever holds the old letter the
// new letter's file digest, which opens its answer, and links the two releases in the public
// log. A press letter whose class logs its file digest (or whose text is public: identify
// answers the text's holder) superseded by a letter to a ministry made the latter public:
// subject, signers, addressees to anyone (found by audit, forty-ninth session, live on the
// demo); the reverse tied a confidential release to a public one; and within one class a
// policy that stopped disclosing in between did the same. Two releases that log different
// fields in the clear are not linked: the supersession is refused; one between releases that
// log the same goes on.
func TestSupersessionKeepsDisclosureApart(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	adoptDisclosing(t, o, "disclosing", "disclose:\n  press: [reference, subject, class, file_digest]\n")
	press := releasedLetter(t, o, "Press release: exercise", "press", "Newsrooms")
	secret := releasedLetter(t, o, "Secret repositioning of forces", "foreign-government", "Newsrooms", "Ministry of Defence of Freedonia")
	other := releasedLetter(t, o, "Repositioning, second note", "foreign-government", "Newsrooms", "Ministry of Defence of Freedonia")
	press2 := releasedLetter(t, o, "Press release: exercise, corrected", "press", "Newsrooms", "Ministry of Defence of Freedonia")
	refused := func(ref, by string) {
		t.Helper()
		_, _, err := o.withdrawalStatementOf(ctx, o.signer, ref, by, "corrected")
		if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "a supersession would link them in the public log") {
			t.Errorf("%s superseded by %s: %v, want refused", ref, by, err)
		}
	}
	refused(press, secret)
	refused(secret, press2)

	// The same class under another policy, which logs less: refused too.
	adoptDisclosing(t, o, "quiet", "")
	quiet := releasedLetter(t, o, "Press release, now quiet", "press", "Newsrooms", "Ministry of Defence of Freedonia")
	refused(press2, quiet)

	// Releases that log the same fields: as before.
	stmt, pt := o.withdrawalStatement(t, o.signer, secret, other, "corrected")
	if _, err := o.withdraw(ctx, o.signer, secret, other, o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatalf("a supersession between two letters that log nothing in the clear: %v", err)
	}
}
