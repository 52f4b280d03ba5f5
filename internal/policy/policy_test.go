package policy

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/seal"
)

func TestBuiltin(t *testing.T) {
	p := Builtin()
	f := Facts{Reference: "X-1", Authors: []string{"drafter"}}
	rev := Actor{Name: "rita", Roles: []string{"reviewer"}}
	sig := Actor{Name: "sam", Roles: []string{"signer"}}
	both := Actor{Name: "bo", Roles: []string{"reviewer", "signer"}}
	author := Actor{Name: "drafter", Roles: []string{"reviewer", "signer", "drafter"}}
	for _, tc := range []struct {
		name    string
		e       Evidence
		allowed bool
		missing []string
	}{
		{"nothing", Evidence{}, false, []string{"1 approval by a reviewer", "1 signature by a signer"}},
		{"approval and signature", Evidence{Approvals: []Actor{rev}, Signatures: []Actor{sig}}, true, nil},
		{"signature only", Evidence{Signatures: []Actor{sig}}, false, []string{"1 approval by a reviewer"}},
		{"one person both", Evidence{Approvals: []Actor{both}, Signatures: []Actor{both}}, false, []string{"1 signature by a signer"}},
		{"author both", Evidence{Approvals: []Actor{author}, Signatures: []Actor{author}}, false, []string{"1 approval by a reviewer", "1 signature by a signer"}},
		{"wrong roles", Evidence{Approvals: []Actor{sig}, Signatures: []Actor{rev}}, false, []string{"1 approval by a reviewer", "1 signature by a signer"}},
		// Matching, not greedy: bo must sign so that rita's approval counts.
		{"matching", Evidence{Approvals: []Actor{both, rev}, Signatures: []Actor{both}}, true, nil},
	} {
		d := p.Decide(f, tc.e)
		if d.Allowed != tc.allowed || !slices.Equal(d.Missing(), tc.missing) {
			t.Errorf("%s: allowed=%v missing=%q, want %v %q (notes %q)", tc.name, d.Allowed, d.Missing(), tc.allowed, tc.missing, d.Notes)
		}
	}
}

// mustParse compiles a policy written in a test.
func mustParse(t testing.TB, src string) *Policy {
	t.Helper()
	p, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, src)
	}
	return p
}

// now is the time of the decisions in tests.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func actor(name string, roles ...string) Actor {
	return Actor{Name: name, Roles: roles, At: now}
}

const storyPolicy = `version: 1
name: story
groups:
  command: [alice, bob, carol]
rules:
  - name: force-posture
    when: letter.class == "foreign-government" && "force-posture" in letter.tags
    require:
      approvals: [{role: legal}, {role: chain-of-command}]
      signatures: [{group: command, count: 2}]
      release_officer: true
      max_approval_age: 72h
  - name: foreign
    when: letter.class == "foreign-government"
    require:
      approvals: [{role: legal, count: 2}]
      max_approval_age: 96h
  - name: urgent
    when: '"urgent" in letter.tags'
    require:
      max_approval_age: 24h
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer}]
`

func TestMerge(t *testing.T) {
	p := mustParse(t, storyPolicy)
	for _, tc := range []struct {
		name   string
		f      Facts
		rules  []string
		reqs   []string
		maxAge string
	}{
		{"default only when none matched", Facts{Class: "press"}, []string{"default"},
			[]string{"1 approval by a reviewer", "1 signature by a signer"}, ""},
		{"one rule", Facts{Class: "foreign-government"}, []string{"foreign"},
			[]string{"2 approvals by members with role legal"}, "96h"},
		{"larger count wins, smallest age", Facts{Class: "foreign-government", Tags: []string{"force-posture"}}, []string{"force-posture", "foreign"},
			[]string{"2 approvals by members with role legal", "1 approval by a member with role chain-of-command", "2 signatures by members of command", "a release by a release officer"}, "72h"},
		{"a rule of age only", Facts{Class: "foreign-government", Tags: []string{"urgent", "force-posture"}}, []string{"force-posture", "foreign", "urgent"},
			[]string{"2 approvals by members with role legal", "1 approval by a member with role chain-of-command", "2 signatures by members of command", "a release by a release officer"}, "24h"},
		{"an age-only rule keeps the default in force", Facts{Tags: []string{"urgent"}}, []string{"urgent", "default"},
			[]string{"1 approval by a reviewer", "1 signature by a signer"}, "24h"},
	} {
		d := p.Decide(tc.f, Evidence{Now: now})
		var reqs []string
		for _, s := range d.Requirements {
			reqs = append(reqs, s.Requirement.String())
		}
		if !slices.Equal(d.Rules, tc.rules) || !slices.Equal(reqs, tc.reqs) || d.MaxApprovalAge != tc.maxAge {
			t.Errorf("%s: rules %q requirements %q age %q, want %q %q %q", tc.name, d.Rules, reqs, d.MaxApprovalAge, tc.rules, tc.reqs, tc.maxAge)
		}
	}
	// The merged legal approval names both rules that asked for it.
	d := p.Decide(Facts{Class: "foreign-government", Tags: []string{"force-posture"}}, Evidence{Now: now})
	if got := d.Requirements[0].Rules; !slices.Equal(got, []string{"force-posture", "foreign"}) {
		t.Errorf("legal approval asked for by %q", got)
	}
}

// modifierPolicy has rules that ask for no people: a tag the drafter chooses brings a release
// officer or an age limit, on top of the default rule, never instead of it.
const modifierPolicy = `version: 1
name: modifiers
rules:
  - name: embargoed
    when: '"embargoed" in letter.tags'
    require:
      release_officer: true
  - name: urgent
    when: '"urgent" in letter.tags'
    require:
      max_approval_age: 24h
  - name: press
    when: letter.class == "press"
    require:
      approvals: [{role: public-affairs}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer}]
`

// TestRuleWithoutPeopleKeepsTheDefault: a rule asking only for a release officer or an age
// limit merges with the default rule; only a rule asking for approvals or signatures keeps the
// default away, and then the release officer and the age limit add to it.
func TestRuleWithoutPeopleKeepsTheDefault(t *testing.T) {
	p := mustParse(t, modifierPolicy)
	for _, tc := range []struct {
		name   string
		f      Facts
		rules  []string
		reqs   []string
		maxAge string
	}{
		{"a release officer only", Facts{Tags: []string{"embargoed"}}, []string{"embargoed", "default"},
			[]string{"1 approval by a reviewer", "1 signature by a signer", "a release by a release officer"}, ""},
		{"an age limit only", Facts{Tags: []string{"urgent"}}, []string{"urgent", "default"},
			[]string{"1 approval by a reviewer", "1 signature by a signer"}, "24h"},
		{"both", Facts{Tags: []string{"urgent", "embargoed"}}, []string{"embargoed", "urgent", "default"},
			[]string{"1 approval by a reviewer", "1 signature by a signer", "a release by a release officer"}, "24h"},
		{"with a rule asking for people", Facts{Class: "press", Tags: []string{"embargoed", "urgent"}}, []string{"embargoed", "urgent", "press"},
			[]string{"1 approval by a member with role public-affairs", "a release by a release officer"}, "24h"},
	} {
		d := p.Decide(tc.f, Evidence{Now: now})
		var reqs []string
		for _, s := range d.Requirements {
			reqs = append(reqs, s.Requirement.String())
		}
		if !slices.Equal(d.Rules, tc.rules) || !slices.Equal(reqs, tc.reqs) || d.MaxApprovalAge != tc.maxAge {
			t.Errorf("%s: rules %q requirements %q age %q, want %q %q %q", tc.name, d.Rules, reqs, d.MaxApprovalAge, tc.rules, tc.reqs, tc.maxAge)
		}
	}
	// A release officer alone releases nothing.
	d := p.Decide(Facts{Tags: []string{"embargoed"}}, Evidence{Now: now, Releaser: &Actor{Name: "rory", Roles: []string{RoleRelease}}})
	if d.Allowed {
		t.Errorf("an embargoed letter released on a release officer alone: %+v", d)
	}
}

// TestRuleWithoutPeopleNoted: policy check says what a rule asking for no people does.
func TestRuleWithoutPeopleNoted(t *testing.T) {
	p := mustParse(t, modifierPolicy)
	want := []Warning{
		{Line: 4, Message: "rule embargoed asks for no approval or signature: it adds a release officer to the rules that apply with it, " +
			"and the default rule still applies unless a rule asking for approvals or signatures does"},
		{Line: 8, Message: "rule urgent asks for no approval or signature: it adds max_approval_age 24h to the rules that apply with it, " +
			"and the default rule still applies unless a rule asking for approvals or signatures does"},
	}
	if got := p.Notes(); !slices.Equal(got, want) {
		t.Errorf("notes %q, want %q", got, want)
	}
	if w := p.Warnings(); len(w) != 0 {
		t.Errorf("warnings %q", w)
	}
	if n := mustParse(t, storyPolicy).Notes(); len(n) != 1 || !strings.Contains(n[0].Message, "rule urgent asks for no approval or signature") {
		t.Errorf("story policy notes %q", n)
	}
}

// TestDecideRefusesWithoutPeople: whatever the rules, a decision that asks for no approval and
// no signature allows nothing. The parser refuses such a default rule; this policy is built
// by hand to show that the decision holds the floor too.
func TestDecideRefusesWithoutPeople(t *testing.T) {
	p := &Policy{Name: "hand-made", rules: []*rule{{name: "default", require: []Requirement{{Kind: KindRelease, Role: RoleRelease, Need: 1}}}}}
	d := p.Decide(Facts{}, Evidence{Now: now, Releaser: &Actor{Name: "rory", Roles: []string{RoleRelease}}})
	want := "the rules that apply (default) ask for no approval and no signature: no letter is released without one"
	if d.Allowed || len(d.Missing()) != 0 || !slices.Contains(d.Notes, want) || d.Explain() != want {
		t.Errorf("allowed=%v missing %q notes %q explain %q", d.Allowed, d.Missing(), d.Notes, d.Explain())
	}
}

// storyEvidence meets the force-posture rule of storyPolicy (with the foreign rule's second
// legal approval).
func storyEvidence() Evidence {
	return Evidence{Now: now,
		Approvals:  []Actor{actor("lena", "legal"), actor("leo", "legal"), actor("cole", "chain-of-command")},
		Signatures: []Actor{actor("alice", "signer"), actor("bob", "signer")},
		Releaser:   &Actor{Name: "rory", Roles: []string{"release"}},
	}
}

func TestGroupsAndReleaseOfficer(t *testing.T) {
	p := mustParse(t, storyPolicy)
	f := Facts{Class: "foreign-government", Tags: []string{"force-posture"}, Author: "dave"}
	for _, tc := range []struct {
		name    string
		edit    func(e *Evidence)
		missing []string
		note    string
	}{
		{"all met", func(*Evidence) {}, nil, ""},
		{"a signer outside the group", func(e *Evidence) { e.Signatures[1] = actor("sam", "signer") },
			[]string{"1 signature by a member of command"}, "the signature by sam does not count: no requirement asks for a signature from their roles or groups"},
		{"group membership, not the role, makes a command signer", func(e *Evidence) { e.Signatures[1] = actor("bob") }, nil, ""},
		{"no releaser yet", func(e *Evidence) { e.Releaser = nil }, []string{"a release by a release officer"}, ""},
		{"a releaser without the role", func(e *Evidence) { e.Releaser = &Actor{Name: "rory"} },
			[]string{"a release by a release officer"}, "the release by rory does not count: rory does not hold the release role"},
		{"the releaser drafted the letter", func(e *Evidence) { e.Releaser = &Actor{Name: "dave", Roles: []string{"release"}} },
			[]string{"a release by a release officer"}, "dave drafted the letter and cannot count for its release"},
		{"a signer cannot also release", func(e *Evidence) { e.Releaser = &Actor{Name: "bob", Roles: []string{"release"}} },
			[]string{"a release by a release officer"}, "the release by bob does not count: bob already counts for the signature by a member of command (two-person rule)"},
		{"a signer who drafted", func(e *Evidence) { e.Signatures[0].Name = "dave" },
			[]string{"1 signature by a member of command"}, "dave drafted the letter and cannot count for its release"},
		{"a legal approver cannot sign for the group too", func(e *Evidence) {
			e.Approvals[0].Name = "carol"
			e.Signatures[1] = actor("carol", "signer")
		}, []string{"1 signature by a member of command"}, "the signature by carol does not count: carol already counts for the approval by a member with role legal (two-person rule)"},
	} {
		e := storyEvidence()
		tc.edit(&e)
		d := p.Decide(f, e)
		if d.Allowed != (tc.missing == nil) || !slices.Equal(d.Missing(), tc.missing) || tc.note != "" && !slices.Contains(d.Notes, tc.note) {
			t.Errorf("%s: allowed=%v missing=%q notes=%q, want missing %q note %q", tc.name, d.Allowed, d.Missing(), d.Notes, tc.missing, tc.note)
		}
	}
}

func TestReleaserIgnoredWithoutRequirement(t *testing.T) {
	// The built-in policy asks for no release officer: the releaser is no evidence, and the
	// drafter releasing it adds no note.
	e := Evidence{Approvals: []Actor{actor("rita", "reviewer")}, Signatures: []Actor{actor("sam", "signer")},
		Releaser: &Actor{Name: "dave", Roles: []string{"release"}}}
	d := Builtin().Decide(Facts{Author: "dave"}, e)
	if !d.Allowed || len(d.Notes) != 0 || len(d.Requirements) != 2 {
		t.Errorf("allowed=%v requirements %v notes %q", d.Allowed, d.Requirements, d.Notes)
	}
}

func TestMaxApprovalAge(t *testing.T) {
	p := mustParse(t, storyPolicy)
	f := Facts{Class: "foreign-government", Tags: []string{"force-posture"}}
	for _, tc := range []struct {
		name    string
		at      time.Time
		allowed bool
		note    string
	}{
		{"fresh", now.Add(-71 * time.Hour), true, ""},
		{"exactly the limit", now.Add(-72 * time.Hour), true, ""},
		{"too old", now.Add(-72*time.Hour - time.Second), false, "the approval by cole does not count: it is 72h0m1s old, and approvals count for 72h (max_approval_age)"},
		{"no time", time.Time{}, false, "the approval by cole does not count: it has no time, and approvals count for 72h (max_approval_age)"},
		{"from the future (clock skew)", now.Add(time.Minute), true, ""},
		{"at the bound of clock skew", now.Add(MaxClockSkew), true, ""},
		// Approved while the server's clock was a week ahead, since corrected: its age is not
		// known, and it would count for a week longer than the policy allows.
		{"from a clock that was wrong", now.Add(7 * 24 * time.Hour), false,
			"the approval by cole does not count: it is dated 2026-03-08T12:00:00Z, after the time of this decision (2026-03-01T12:00:00Z): the clock that dated it was wrong, and its age is not known (max_approval_age)"},
	} {
		e := storyEvidence()
		e.Approvals[2].At = tc.at
		d := p.Decide(f, e)
		if d.Allowed != tc.allowed || tc.note != "" && !slices.Contains(d.Notes, tc.note) {
			t.Errorf("%s: allowed=%v notes=%q, want %v %q", tc.name, d.Allowed, d.Notes, tc.allowed, tc.note)
		}
	}
	// Signatures have no age limit, and without a limit approvals need no time.
	e := Evidence{Approvals: []Actor{{Name: "rita", Roles: []string{"reviewer"}}},
		Signatures: []Actor{{Name: "sam", Roles: []string{"signer"}, At: now.AddDate(-1, 0, 0)}}}
	if d := Builtin().Decide(Facts{}, e); !d.Allowed {
		t.Errorf("builtin without times: %s %q", d.Explain(), d.Notes)
	}
	// A zero Now is the current time.
	e = storyEvidence()
	for i := range e.Approvals {
		e.Approvals[i].At = time.Now().Add(-time.Hour)
	}
	e.Now = time.Time{}
	if d := p.Decide(f, e); !d.Allowed {
		t.Errorf("zero Now: %s %q", d.Explain(), d.Notes)
	}
}

func TestMatchingNotGreedy(t *testing.T) {
	p := mustParse(t, `version: 1
name: m
groups:
  g: [ann, ben]
rules:
  - name: default
    default: true
    require:
      approvals: [{role: legal}, {group: g}]
      signatures: [{role: signer}, {group: g}]
`)
	// In evidence order, ann could take legal, ben the group approval, and then nobody is
	// left for the group signature. The matching moves people so that all four are met.
	e := Evidence{Now: now,
		Approvals:  []Actor{actor("ann", "legal"), actor("ben", "legal"), actor("lee", "legal")},
		Signatures: []Actor{actor("ann", "signer"), actor("sue", "signer")},
	}
	d := p.Decide(Facts{}, e)
	if !d.Allowed {
		t.Fatalf("not allowed: %s, notes %q", d.Explain(), d.Notes)
	}
	want := [][]string{{"lee"}, {"ben"}, {"sue"}, {"ann"}}
	for i, s := range d.Requirements {
		if !slices.Equal(s.By, want[i]) {
			t.Errorf("%s by %q, want %q", s.Requirement, s.By, want[i])
		}
	}
	// Every uncounted piece of evidence is explained.
	for _, n := range []string{
		"the approval by ann does not count: ann already counts for the signature by a member of g (two-person rule)",
	} {
		if !slices.Contains(d.Notes, n) {
			t.Errorf("notes %q lack %q", d.Notes, n)
		}
	}
}

func TestNotes(t *testing.T) {
	p := mustParse(t, `version: 1
name: n
rules:
  - name: default
    default: true
    require:
      approvals: [{role: reviewer, count: 2}]
      signatures: [{role: signer}]
`)
	e := Evidence{Now: now,
		Approvals:  []Actor{actor("dave", "reviewer"), actor("rita", "reviewer"), actor("rob", "reviewer"), actor("rex", "reviewer"), actor("sam", "signer"), actor("rita", "reviewer")},
		Signatures: []Actor{actor("rob", "signer"), actor("sue")},
	}
	d := p.Decide(Facts{Authors: []string{"dave"}}, e)
	want := []string{
		"dave drafted the letter and cannot count for its release",
		"the approval by rita was given 1 more times and counts once at most",
		"the approval by rob does not count: rob already counts for the signature by a signer (two-person rule)",
		"the approval by sam does not count: no requirement asks for an approval from their roles or groups",
		"the signature by sue does not count: no requirement asks for a signature from their roles or groups",
	}
	if !d.Allowed || !slices.Equal(d.Notes, want) {
		t.Errorf("allowed=%v notes:\n%s\nwant:\n%s", d.Allowed, strings.Join(d.Notes, "\n"), strings.Join(want, "\n"))
	}
	// A third reviewer approval, not needed once two count, says so.
	e.Signatures[0] = actor("sid", "signer")
	d = p.Decide(Facts{Authors: []string{"dave"}}, e)
	if n := "the approval by rex does not count: the requirements it could count for are met by others"; !slices.Contains(d.Notes, n) {
		t.Errorf("notes %q lack %q", d.Notes, n)
	}
}

func TestConditionErrorAppliesRule(t *testing.T) {
	p := mustParse(t, `version: 1
name: c
rules:
  - name: first-tag
    when: letter.tags[0] == "secret"
    require:
      approvals: [{role: legal}]
  - name: costly
    when: letter.addressees.exists(a, letter.addressees.exists(b, letter.addressees.exists(c, a + b + c == "z")))
    require:
      approvals: [{role: chain-of-command}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
`)
	f := Facts{Addressees: make([]string, 100)}
	d := p.Decide(f, Evidence{Now: now})
	if !slices.Equal(d.Rules, []string{"first-tag", "costly", "default"}) || len(d.Notes) != 2 ||
		!strings.Contains(d.Notes[0], "the condition of rule first-tag could not be evaluated") ||
		!strings.Contains(d.Notes[1], "cost limit") {
		t.Errorf("rules %q notes %q", d.Rules, d.Notes)
	}
	d = p.Decide(Facts{Tags: []string{"open"}, Addressees: []string{"x"}}, Evidence{Now: now})
	if !slices.Equal(d.Rules, []string{"default"}) || len(d.Notes) != 0 {
		t.Errorf("rules %q notes %q", d.Rules, d.Notes)
	}
}

func TestConditionFields(t *testing.T) {
	f := Facts{Reference: "TFN-2026-000123", Class: "press", Tags: []string{"a", "b"}, Addressees: []string{"x@gov.example"},
		Subject: "Exercise Northern Light", Office: "tfn", MediaType: "application/pdf", Size: 2048, Author: "dave"}
	for _, cond := range []string{
		`letter.reference.startsWith("TFN-2026-")`,
		`letter.class == "press"`,
		`letter.tags == ["a", "b"]`,
		`letter.addressees.exists(a, a.endsWith("@gov.example"))`,
		`letter.subject.contains("Northern")`,
		`letter.office == "tfn"`,
		`letter.media_type == "application/pdf"`,
		`letter.size > 1024`,
		`letter.author == "dave"`,
		`letter.subject.matches("^Exercise [A-Z]")`,
		`size(letter.tags) == 2`,
	} {
		p := mustParse(t, "version: 1\nname: f\nrules:\n  - name: r\n    when: '"+cond+"'\n    require: {approvals: [{role: x}]}\n  - name: d\n    default: true\n    require: {approvals: [{role: y}]}\n")
		if d := p.Decide(f, Evidence{}); !slices.Equal(d.Rules, []string{"r"}) {
			t.Errorf("%s: rules %q, notes %q", cond, d.Rules, d.Notes)
		}
		// Empty facts: every field exists, empty.
		if d := p.Decide(Facts{}, Evidence{}); !slices.Equal(d.Rules, []string{"d"}) {
			t.Errorf("%s on empty facts: rules %q, notes %q", cond, d.Rules, d.Notes)
		}
	}
}

func TestBuiltinCompiled(t *testing.T) {
	p := Builtin()
	if p.Name != "builtin" || p.Digest != seal.DigestOf(builtinSource) {
		t.Errorf("name %q digest %s", p.Name, p.Digest)
	}
	d := p.Decide(Facts{}, Evidence{})
	if !slices.Equal(d.Rules, []string{"default"}) || d.Policy != string(p.Digest) {
		t.Errorf("rules %q policy %s", d.Rules, d.Policy)
	}
}

func TestRoles(t *testing.T) {
	got := mustParse(t, storyPolicy).Roles()
	if want := []string{"chain-of-command", "legal", "release", "reviewer", "signer"}; !slices.Equal(got, want) {
		t.Errorf("roles %q, want %q", got, want)
	}
}

// A rule whose condition cannot be evaluated applies, and must not keep the default rule
// away: a memo rule asking only for a reviewer, erring on a letter without tags, would
// otherwise let that letter leave without the default's signature.
func TestConditionErrorKeepsTheDefault(t *testing.T) {
	p := mustParse(t, `version: 1
name: c
rules:
  - name: memo
    when: letter.class == "internal" || letter.tags[0] == "memo"
    require:
      approvals: [{role: reviewer}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer}]
`)
	d := p.Decide(Facts{Class: "foreign-government", Author: "dave"}, Evidence{Now: now,
		Approvals: []Actor{actor("rita", "reviewer")}})
	if d.Allowed || !slices.Equal(d.Rules, []string{"memo", "default"}) || !slices.Equal(d.Missing(), []string{"1 signature by a signer"}) {
		t.Errorf("allowed=%v rules %q missing %q notes %q", d.Allowed, d.Rules, d.Missing(), d.Notes)
	}
	// A condition that holds still replaces the default, as the format says.
	d = p.Decide(Facts{Class: "internal"}, Evidence{Now: now, Approvals: []Actor{actor("rita", "reviewer")}})
	if !d.Allowed || !slices.Equal(d.Rules, []string{"memo"}) {
		t.Errorf("internal memo: allowed=%v rules %q missing %q", d.Allowed, d.Rules, d.Missing())
	}
}

// TestConditionTextDecomposedMatchesTheLetter: the registry stores a letter's class, tags and
// addressees in NFC, so a policy whose file writes "défense" with a combining accent (as some
// editors save it) must match them as it reads, not miss the letter and leave it to the
// default rule.
func TestConditionTextDecomposedMatchesTheLetter(t *testing.T) {
	p := mustParse(t, "version: 1\nname: nfd\nclasses: [de\u0301fense, press]\nrules:\n"+
		"  - name: defence\n    when: letter.class == \"de\u0301fense\"\n    require:\n      approvals: [{role: legal}]\n      signatures: [{role: signer}]\n"+
		"  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n")
	f := Facts{Class: "d\u00e9fense"}
	if err := p.CheckLabels(f.Class, nil); err != nil {
		t.Errorf("a declared class in NFC: %v", err)
	}
	d := p.Decide(f, Evidence{Now: now, Approvals: []Actor{actor("rita", "reviewer")}})
	if d.Allowed || !slices.Equal(d.Rules, []string{"defence"}) {
		t.Errorf("allowed=%v rules %q, want the defence rule", d.Allowed, d.Rules)
	}
	if len(p.Warnings()) != 0 {
		t.Errorf("warnings %v, want none: the condition names a declared class", p.Warnings())
	}
}
