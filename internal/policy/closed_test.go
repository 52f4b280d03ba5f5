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

// TestUnreadableTwoAdminsFollowsTheOffice: a closed policy whose file could not be read as
// YAML at all was taken as asking for two admins, so an office with one admin could never
// adopt the fix that reopens its gate. Such a file asks for two admins while the office has
// two (a two_admins policy keeps two), and a file that states two_admins is taken at its word.
func TestUnreadableTwoAdminsFollowsTheOffice(t *testing.T) {
	why := errors.New("refused by this build")
	for _, tc := range []struct {
		src       string
		one, many bool
	}{
		{"two_admins: [\n", false, true},
		{"version: 1\n\ttwo_admins: true\n", false, true},
		{"version: 1\ntwo_admins: true\nrules: []\n", true, true},
		{"version: 1\ntwo_admins: false\nrules: []\n", false, false},
		{"version: 1\nrules: []\n", false, false},
		{"version: 1\ntwo_admins: maybe\n", false, true},
	} {
		p := Closed("x", []byte(tc.src), why)
		if got := p.TwoAdminsWith(1); got != tc.one {
			t.Errorf("%q with one admin: two admins %v, want %v", tc.src, got, tc.one)
		}
		if got := p.TwoAdminsWith(2); got != tc.many {
			t.Errorf("%q with two admins: two admins %v, want %v", tc.src, got, tc.many)
		}
	}
	for _, src := range []string{"version: 1\nname: x\ntwo_admins: true\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n",
		"version: 1\nname: x\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n"} {
		p, err := Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if p.TwoAdminsWith(1) != p.TwoAdmins() || p.TwoAdminsWith(2) != p.TwoAdmins() {
			t.Errorf("a compiled policy's two_admins depends on the office's admins: %q", src)
		}
	}
}

// TestCompiledFrom: AdoptPolicy checked only that the policy's exported Digest was the
// file's, so a policy made by Closed, as a literal, or compiled from one file and given
// another's digest could be put in force with a file it was not compiled from. Only what
// Parse compiled from exactly that file passes.
func TestCompiledFrom(t *testing.T) {
	src := []byte("version: 1\nname: x\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n")
	other := []byte("version: 1\nname: y\nrules:\n  - name: d\n    default: true\n    require:\n      signatures: [{role: signer}]\n")
	p, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CompiledFrom(src); err != nil {
		t.Errorf("a policy compiled from its file: %v", err)
	}
	renamed, _ := Parse(src)
	renamed.Name = "z"
	redigested, _ := Parse(src)
	redigested.Digest = seal.DigestOf(other)
	for name, tc := range map[string]struct {
		p   *Policy
		src []byte
	}{
		"literal":          {&Policy{Name: "x", Digest: seal.DigestOf(src)}, src},
		"closed, no cause": {Closed("x", src, nil), src},
		"closed":           {Closed("x", src, errors.New("old")), src},
		"another file":     {p, other},
		"renamed":          {renamed, src},
		"digest changed":   {redigested, other},
	} {
		if err := tc.p.CompiledFrom(tc.src); err == nil {
			t.Errorf("%s: taken as compiled from the file", name)
		}
	}
}
