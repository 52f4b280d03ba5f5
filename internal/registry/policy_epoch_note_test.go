package registry

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/policy"
)

// TestEpochNoteNamesWho: after an adoption, the gate's notes for approvals and signatures
// that no longer count said "an approval given before the policy in force was adopted does
// not count: approve again" without naming whose (found by audit, forty-ninth session): with
// several reviewers and signers, none could tell from the decision who must act again, and
// the same words were given for evidence a server recorded under a policy it had not yet
// replaced. Each note names the member now.
func TestEpochNoteNamesWho(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister, before the adoption.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	src := []byte("version: 1\nname: next\nrules:\n  - name: default\n    default: true\n    require:\n" +
		"      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n      max_approval_age: 720h\n")
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, src); err != nil {
		t.Fatal(err)
	}
	err = tryRelease(o, ref)
	var ge *GateError
	if !errors.As(err, &ge) {
		t.Fatalf("release: %v", err)
	}
	notes := strings.Join(ge.Decision.Notes, "\n")
	t.Logf("notes:\n%s", notes)
	for _, who := range []string{"rita", "sam"} {
		if !strings.Contains(notes, who) {
			t.Errorf("the decision does not say that %s must act again", who)
		}
	}
}
