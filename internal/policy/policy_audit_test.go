package policy

import (
	"strings"
	"testing"
)

// TestConditionPatternMustBeLiteral: a `matches` whose pattern is not a string constant
// compiles a regular expression at every evaluation, which CEL's cost does not count (about
// 0.1 ms for `\pL{1000}`, nine characters): over a letter's addressees it held a decision for
// more than half a second with 5,000 of them, within the cost limit; nested over tags and
// addressees it took 0.8 s on a letter of 64 each. And the pattern is then the drafter's to
// write: `letter.class.matches(letter.subject)` holds for a subject `.*`.
func TestConditionPatternMustBeLiteral(t *testing.T) {
	for _, cond := range []string{
		`letter.addressees.exists(a, a.matches(letter.subject))`,
		`letter.subject.matches(letter.class)`,
		`matches(letter.subject, letter.class)`,
		`letter.tags.exists(t, letter.subject.matches("^" + t))`,
	} {
		src := "version: 1\nname: x\nrules:\n  - name: r\n    when: '" + cond + "'\n    require:\n      approvals: [{role: legal}]\n" +
			"  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n"
		_, err := ParseFile("p.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), "the pattern of matches must be a string constant") {
			t.Errorf("%s: %v, want refused", cond, err)
		}
	}
	for _, cond := range []string{`letter.subject.matches("(?i)\\bembargo\\b")`, `matches(letter.class, "^press$")`} {
		src := "version: 1\nname: x\nrules:\n  - name: r\n    when: '" + cond + "'\n    require:\n      approvals: [{role: legal}]\n" +
			"  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n"
		if _, err := Parse([]byte(src)); err != nil {
			t.Errorf("%s: %v", cond, err)
		}
	}
}

// TestLookAlikeLabelsEscapeNoPartialRule: a class or tag that begins, ends or contains what a
// rule looks for with startsWith, endsWith, contains or a regular expression, as a reader sees
// it but not as it is written (capitals where the rule compares exactly, a Cyrillic letter,
// a Unicode dash), matched none of them and left under the default rule: CheckLabels compared
// whole labels only.
func TestLookAlikeLabelsEscapeNoPartialRule(t *testing.T) {
	p := mustParse(t, `version: 1
name: partial
rules:
  - name: secret
    when: letter.class.startsWith("secret-")
    require:
      approvals: [{role: legal, count: 2}]
  - name: eyes-only
    when: letter.tags.exists(t, t.endsWith("-eyes-only"))
    require:
      approvals: [{role: legal, count: 2}]
  - name: nuclear
    when: letter.tags.exists(t, t.contains("nuclear"))
    require:
      approvals: [{role: legal, count: 2}]
  - name: embargo
    when: letter.tags.exists(t, t.matches("^embargo-[0-9]+$"))
    require:
      approvals: [{role: legal, count: 2}]
  - name: press
    when: letter.class.matches("(?i)^press")
    require:
      approvals: [{role: legal, count: 2}]
  - name: subject
    when: letter.subject.startsWith("Re")
    require:
      approvals: [{role: legal, count: 2}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
`)
	refused := []struct{ class, tag, names string }{
		{class: "Secret-ops", names: "secret-"},
		{class: "s\u0435cret-ops", names: "secret-"}, // Cyrillic е
		{class: "secret\u2010ops", names: "secret-"}, // a Unicode hyphen
		{tag: "uk-Eyes-Only", names: "-eyes-only"},
		{tag: "uk-eyes-\u043enly", names: "-eyes-only"},
		{tag: "non-Nuclear-talks", names: "nuclear"},
		{tag: "nu\u0441lear", names: "nuclear"}, // Cyrillic с
		{tag: "Embargo-12", names: "embargo-"},
		{tag: "\u0435mbargo-12", names: "embargo-"},
		{class: "\u0440ress-release", names: "press"}, // Cyrillic р: (?i) folds capitals only
	}
	for _, c := range refused {
		var tags []string
		if c.tag != "" {
			tags = []string{c.tag}
		}
		err := p.CheckLabels(c.class, tags)
		if err == nil || !strings.Contains(err.Error(), `"`+c.names+`"`) {
			t.Errorf("class %q, tag %q: %v, want a refusal naming %q", c.class, c.tag, err, c.names)
		}
		d := p.Decide(Facts{Class: c.class, Tags: tags, Author: "dave"}, Evidence{Now: now, Approvals: []Actor{actor("rita", "reviewer")}})
		if d.Allowed {
			t.Errorf("class %q, tag %q: released under rules %q on one approval", c.class, c.tag, d.Rules)
		}
	}
	for _, c := range []struct{ class, tag string }{
		{class: "secret-ops"}, {class: "secretariat"}, {class: "top-Secret-ops"}, {class: "Press-release"}, {class: "press"},
		{tag: "uk-eyes-only"}, {tag: "eyes-only-uk"}, {tag: "non-nuclear-talks"}, {tag: "embargo-12"}, {tag: "Report"}, {tag: "research"},
	} {
		var tags []string
		if c.tag != "" {
			tags = []string{c.tag}
		}
		if err := p.CheckLabels(c.class, tags); err != nil {
			t.Errorf("class %q, tag %q: %v", c.class, c.tag, err)
		}
	}
}

// TestGroupListsLookAlikeNames: a group listing two names that read as one ("alice" and
// "Alice", or a Cyrillic а) asks, with count 2, for two people of whom the registry lets at
// most one exist (a new member's name may not read as an existing one's), or for one person
// holding two accounts stored before such names were refused: n of m with n > m.
func TestGroupListsLookAlikeNames(t *testing.T) {
	for _, second := range []string{"Alice", "\u0430lice", "ALICE"} {
		src := "version: 1\nname: x\ngroups:\n  g: [alice, bob, " + second + "]\nrules:\n  - name: d\n    default: true\n    require:\n      signatures: [{group: g, count: 3}]\n"
		_, err := ParseFile("p.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), "reads as alice") {
			t.Errorf("group [alice, bob, %s]: %v, want refused", second, err)
		}
	}
}

// TestLookAlikeNamesCountAsOnePerson: two accounts whose names read as one (stored before the
// registry refused such names; docs/security.md keeps them) were two people to the two-person
// rule, and a drafter's look-alike second account counted for the drafter's own letter. Release
// statements, the log and the audit trail name people by name alone: names that read alike are
// one person there, and count once.
func TestLookAlikeNamesCountAsOnePerson(t *testing.T) {
	p := Builtin()
	for _, tc := range []struct {
		name string
		f    Facts
		e    Evidence
	}{
		{"approver and signer", Facts{Author: "dave"}, Evidence{Now: now,
			Approvals: []Actor{actor("rita", "reviewer")}, Signatures: []Actor{actor("R\u0456ta", "signer")}}},
		{"drafter's second account approves", Facts{Author: "dave"}, Evidence{Now: now,
			Approvals: []Actor{actor("Dave", "reviewer")}, Signatures: []Actor{actor("sam", "signer")}}},
		{"a version's author's second account signs", Facts{Author: "dave", Authors: []string{"dave", "lena"}}, Evidence{Now: now,
			Approvals: []Actor{actor("rita", "reviewer")}, Signatures: []Actor{actor("L\u0435na", "signer")}}},
	} {
		d := p.Decide(tc.f, tc.e)
		if d.Allowed {
			t.Errorf("%s: allowed (requirements %+v)", tc.name, d.Requirements)
		}
	}
	// Names that merely resemble are other people.
	d := p.Decide(Facts{Author: "dave"}, Evidence{Now: now, Approvals: []Actor{actor("rita", "reviewer")}, Signatures: []Actor{actor("rina", "signer")}})
	if !d.Allowed {
		t.Errorf("rita and rina: refused (%q)", d.Notes)
	}
}
