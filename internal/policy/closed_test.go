package policy

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/seal"
)

// TestClosedPolicyAllowsNothing: the policy put in force when the adopted file no longer
// compiles refuses every release and says why, whatever the evidence, and keeps the rules
// for changing it (two_admins) and the office's own roles that its file states.
func TestClosedPolicyAllowsNothing(t *testing.T) {
	src := []byte("version: 1\nname: old rules\ntwo_admins: true\nrules:\n  - name: d\n    default: true\n    require:\n" +
		"      approvals: [{role: legal, count: 1}]\n      signatures: [{role: signer}]\n  - name: x\n    when: letter.class.matches(letter.subject)\n" +
		"    require:\n      approvals: [{role: public-affairs}]\n")
	why := errors.New("refused by this build")
	p := Closed("old rules", src, why)
	if p.Digest != seal.DigestOf(src) || p.Name != "old rules" || !errors.Is(p.Closed(), why) {
		t.Fatalf("closed policy: name %q, digest %s, closed %v", p.Name, p.Digest, p.Closed())
	}
	if !p.TwoAdmins() {
		t.Error("two_admins: true was not kept")
	}
	if got := p.Roles(); !slices.Equal(got, []string{"legal", "public-affairs", "signer"}) {
		t.Errorf("roles %q", got)
	}
	everyone := []Actor{{Name: "rita", Roles: []string{"reviewer", "legal", "public-affairs"}}, {Name: "sam", Roles: []string{"signer"}}}
	d := p.Decide(Facts{Class: "x", Author: "dana", Authors: []string{"dana"}},
		Evidence{Approvals: everyone, Signatures: everyone, Releaser: &Actor{Name: "otto", Roles: []string{RoleRelease}}})
	if d.Allowed || len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "refused by this build") || d.Policy != string(p.Digest) {
		t.Errorf("decision under a closed policy: %+v", d)
	}
	if Builtin().Closed() != nil {
		t.Error("the built-in policy is closed")
	}
	// A file whose two_admins cannot be read asks for two admins.
	if !Closed("x", []byte("two_admins: [\n"), why).TwoAdmins() {
		t.Error("an unreadable file's two_admins is false")
	}
	if Closed("x", []byte("version: 1\nrules: []\n"), why).TwoAdmins() {
		t.Error("a file without two_admins asks for two admins")
	}
}
