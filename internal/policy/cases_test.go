package policy

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestExampleCases(t *testing.T) {
	data, err := os.ReadFile("../../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := os.ReadFile("../../examples/policy-cases.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := RunCases(p, cases)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) < 10 {
		t.Errorf("only %d cases", len(res))
	}
	for _, r := range res {
		if !r.Pass {
			t.Errorf("line %d, %s: %s\nnotes: %q", r.Line, r.Name, strings.Join(r.Failures, "; "), r.Decision.Notes)
		}
	}
}

func TestCaseFailures(t *testing.T) {
	p := Builtin()
	res, err := RunCases(p, []byte(`members:
  rita: [reviewer]
cases:
  - name: wrong on every count
    letter: {class: press}
    approvals: [rita]
    expect:
      allowed: true
      missing: [1 approval by a reviewer]
      rules: [press]
  - name: right
    letter: {}
    approvals: [{name: sam, roles: [reviewer], age: 1000h}]
    signatures: [{name: rita, roles: [signer]}]
    expect: {allowed: true, missing: [], rules: [default]}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`allowed is false, expected true (missing 1 signature by a signer)`,
		`missing ["1 signature by a signer"], expected ["1 approval by a reviewer"]`,
		`rules ["default"] applied, expected ["press"]`,
	}
	if len(res) != 2 || res[0].Pass || !slices.Equal(res[0].Failures, want) || res[0].Line != 4 || !res[1].Pass {
		t.Errorf("results %+v", res)
	}
}

func TestCasesErrors(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []string
	}{
		{"cases:\n  - name: x\n", []string{
			"2:5: the case has no letter",
			"2:5: the case has no `expect`"}},
		{"members: {a: [r]}\ncases:\n  - name: x\n    letter: {class: a, colour: b}\n    approvals: [a, b, {name: c, roles: [r], age: soon}]\n    signatures: [{name: a, age: 1h}]\n    expect: {allowed: maybe}\n", []string{
			"4:24: unknown key \"colour\" in a letter (known: class, tags, addressees, subject, office, reference, media_type, size, author, drafters)",
			"5:20: b is not listed under members: list them there or give their roles",
			"5:50: age \"soon\" must be a duration such as 96h",
			"6:28: unknown key \"age\" in a person (known: name, roles)",
			"7:23: allowed must be true or false"}},
		{"members: []\n", []string{
			"1:1: the cases file has no cases",
			"1:10: members must be a mapping of names to lists of roles"}},
	} {
		_, err := RunCases(Builtin(), []byte(tc.src))
		if got := errorList(t, err); !slices.Equal(got, tc.want) {
			t.Errorf("%q:\n%s\nwant:\n%s", tc.src, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}

// TestCaseLetterInNFC: a case file that writes a letter's class, tags, addressees or subject
// with combining accents describes the letter the registry would store in NFC, and is judged
// as that letter is.
func TestCaseLetterInNFC(t *testing.T) {
	p, err := Parse([]byte("version: 1\nname: nfc\nclasses: [d\u00e9fense, other]\nrules:\n" +
		"  - name: defence\n    when: letter.class == \"d\u00e9fense\" && \"Minist\u00e8re\" in letter.addressees && letter.subject.contains(\"s\u00e9curit\u00e9\") && \"\u00e9t\u00e9\" in letter.tags\n" +
		"    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n" +
		"  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := RunCases(p, []byte("cases:\n  - name: decomposed\n"+
		"    letter: {class: de\u0301fense, addressees: [Ministe\u0300re], subject: La se\u0301curite\u0301, tags: [e\u0301te\u0301]}\n"+
		"    approvals: [{name: rita, roles: [reviewer]}]\n"+
		"    expect: {allowed: false, rules: [defence]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || !res[0].Pass {
		t.Errorf("results %+v", res)
	}
}

// TestCasesCountAsTheGateDoes: the registry counts an approval only from a member holding the
// reviewer role, and a signature only from one holding the signer role, whatever role or
// group a requirement names. `policy test` counted any person given, so a case file passed a
// letter approved by a legal adviser who is no reviewer, or signed by a command signer whose
// signer role was taken, which the gate refuses: an office's tests said its letters could
// leave when they could not.
func TestCasesCountAsTheGateDoes(t *testing.T) {
	data, err := os.ReadFile("../../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	res, err := RunCases(p, []byte(`members:
  lena: [legal]
  cole: [reviewer, chain-of-command]
  alice: [signer]
  bob: [release]
  carl: [reviewer, legal]
  carol: [signer]
  rory: [release]
cases:
  - name: legal adviser who is no reviewer
    letter: {class: foreign-government, tags: [force-posture], author: dave}
    approvals: [lena, cole]
    signatures: [alice, carol]
    released_by: rory
    expect: {allowed: false, missing: [1 approval by a member with role legal]}
  - name: command signer who is no signer
    letter: {class: foreign-government, tags: [force-posture], author: dave}
    approvals: [carl, cole]
    signatures: [alice, bob]
    released_by: rory
    expect: {allowed: false, missing: [1 signature by a member of command-signers]}
  - name: everyone in their role
    letter: {class: foreign-government, tags: [force-posture], author: dave}
    approvals: [carl, cole]
    signatures: [alice, carol]
    released_by: rory
    expect: {allowed: true}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if !r.Pass {
			t.Errorf("%s: %s\nnotes: %q", r.Name, strings.Join(r.Failures, "; "), r.Decision.Notes)
		}
	}
	if notes := res[0].Decision.Notes; !slices.Contains(notes, "the approval by lena does not count: lena does not hold the reviewer role") {
		t.Errorf("notes %q, want one saying lena holds no reviewer role", notes)
	}
}

// TestDecomposedMemberNamesMatch checks that member names written with a combining accent
// in a policy's groups and in a cases file are the members the registry stores in NFC: the
// group `legal: [Rene\u0301e]` never counted Renée's signature, so a policy written so could
// not be satisfied, and `policy test` disagreed with the gate.
func TestDecomposedMemberNamesMatch(t *testing.T) {
	p := mustParse(t, "version: 1\nname: accents\ngroups:\n  legal: [Rene\u0301e]\nrules:\n  - name: default\n    default: true\n"+
		"    require:\n      signatures: [{group: legal}]\n")
	d := p.Decide(Facts{Author: "dana"}, Evidence{Now: now, Signatures: []Actor{actor("Ren\u00e9e", "signer")}})
	if !d.Allowed {
		t.Errorf("Ren\\u00e9e's signature for the group [Rene\\u0301e]: missing %q, notes %q", d.Missing(), d.Notes)
	}
	if _, err := Parse([]byte("version: 1\nname: twice\ngroups:\n  legal: [Rene\u0301e, Ren\u00e9e]\nrules:\n  - name: default\n    default: true\n" +
		"    require:\n      signatures: [{group: legal}]\n")); err == nil ||
		!strings.Contains(err.Error(), "listed twice") {
		t.Errorf("one member listed twice, decomposed and precomposed: %v, want listed twice", err)
	}
	res, err := RunCases(p, []byte("members:\n  Ren\u00e9e: [signer]\ncases:\n  - name: signed\n    letter: {author: Rene\u0301e}\n"+
		"    signatures: [Rene\u0301e]\n    expect: {allowed: false}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || !res[0].Pass {
		t.Errorf("a case whose decomposed author signs: %+v", res)
	}
}
