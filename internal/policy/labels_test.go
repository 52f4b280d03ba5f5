package policy

import (
	"os"
	"slices"
	"strings"
	"testing"
)

const labelsPolicy = `version: 1
name: labels
classes: [foreign-government, press]
tags: [force-posture]
disclose:
  press: [reference]
  pres: [subject]
rules:
  - name: posture
    when: letter.class == "foreign-govermnent" && "force-posture" in letter.tags
    require:
      approvals:
        - role: legal
          count: 1
  - name: press
    when: letter.class in ["press", 'internal'] || "press" == letter.class || "embargo" in letter.tags
    require:
      approvals:
        - role: reviewer
          count: 1
  - name: default
    default: true
    require:
      approvals:
        - role: reviewer
          count: 1
`

// TestPolicyDeclaresClasses is issue 12 item 14: a policy that lists its classes (and tags)
// refuses letters with others, and policy check warns about a rule or disclose entry that
// names one it does not list (here the very typo that sent a letter through the default rule).
func TestPolicyDeclaresClasses(t *testing.T) {
	p, err := Parse([]byte(labelsPolicy))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Classes(), []string{"foreign-government", "press"}) || !slices.Equal(p.Tags(), []string{"force-posture"}) {
		t.Errorf("classes %q, tags %q", p.Classes(), p.Tags())
	}
	var got []string
	for _, w := range p.Warnings() {
		got = append(got, w.String())
	}
	want := []string{
		`line 7: disclose names class "pres"`,
		`line 10: the condition names class "foreign-govermnent"`,
		`line 16: the condition names class "internal"`,
		`line 16: the condition names tag "embargo"`,
	}
	if len(got) != len(want) {
		t.Fatalf("warnings %q, want %d", got, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("warning %d: %q, want %q…", i, got[i], w)
		}
	}
	for _, tc := range []struct {
		class string
		tags  []string
		msg   string
	}{
		{"foreign-government", []string{"force-posture"}, ""},
		{"press", nil, ""},
		{"foreign-govermnent", []string{"force-posture"}, `class "foreign-govermnent" is not one of the policy's classes: foreign-government, press`},
		{"press", []string{"force-postrue"}, `tag "force-postrue" is not one of the policy's tags: force-posture`},
	} {
		err := p.CheckLabels(tc.class, tc.tags)
		if (tc.msg == "") != (err == nil) || err != nil && err.Error() != tc.msg {
			t.Errorf("CheckLabels(%q, %q) = %v, want %q", tc.class, tc.tags, err, tc.msg)
		}
	}

	// Disclosing signers ties names to the key IDs every entry shows: a warning, at its line.
	q, err := Parse([]byte(strings.Replace(labelsPolicy, "press: [reference]", "press: [reference, signers]", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if w := q.Warnings(); len(w) != 5 || w[0].Line != 6 || !strings.HasPrefix(w[0].Message, "disclosing signers ties their names to their key IDs") {
		t.Errorf("warnings of a policy disclosing signers: %q", w)
	}
	// So does disclosing file_digest, which opens the letter's answer, with those names in it
	// (found by audit, forty-ninth session).
	q, err = Parse([]byte(strings.Replace(labelsPolicy, "press: [reference]", "press: [reference, file_digest]", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if w := q.Warnings(); len(w) != 5 || w[0].Line != 6 || !strings.HasPrefix(w[0].Message, "disclosing file_digest makes the whole letter's answer public") {
		t.Errorf("warnings of a policy disclosing file_digest: %q", w)
	}

	// A policy that declares nothing accepts any class and warns about nothing.
	b := Builtin()
	if b.Classes() != nil || b.CheckLabels("anything", []string{"at-all"}) != nil || len(b.Warnings()) != 0 {
		t.Errorf("the built-in policy restricts labels: %q %v", b.Classes(), b.Warnings())
	}
	// The example policy declares the classes its rules use, without warnings.
	src, err := os.ReadFile("../../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ex.Classes(), []string{"foreign-government", "press", "internal"}) || len(ex.Warnings()) != 0 {
		t.Errorf("examples/policy.yaml: classes %q, warnings %v", ex.Classes(), ex.Warnings())
	}
}

func TestPolicyClassesMalformed(t *testing.T) {
	for src, msg := range map[string]string{
		"classes: []\n":                    "classes is empty",
		"classes: [press, press]\n":        "press is listed twice under classes",
		"classes: [\"a b\"]\n":             `class "a b" must be 1 to 64 characters`,
		"tags: press\n":                    "tags",
		"classes: [press]\ntags: [x, x]\n": "x is listed twice under tags",
	} {
		_, err := Parse([]byte("version: 1\nname: t\n" + src + "rules:\n  - name: d\n    default: true\n    require:\n      approvals:\n        - role: reviewer\n          count: 1\n"))
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v, want %q", src, err, msg)
		}
	}
}

// TestLookAlikeLabelsRefused: a class or tag that reads as one the policy names without being
// it (a space after it, a no-break space, a Unicode hyphen, a Cyrillic letter, another case)
// matches none of the rules that name it, so a drafter could send a letter to a foreign
// government on force posture through the default rule: one reviewer and one signer instead
// of legal review, the chain of command and two of the three command signers. The example
// policy declares its classes but not its tags, as the format allows.
func TestLookAlikeLabelsRefused(t *testing.T) {
	src, err := os.ReadFile("../../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"force-posture ", " force-posture", "force-posture\u00a0", "force\u2010posture",
		"force\u2011posture", "force\u2212posture", "f\u043erce-posture", "Force-Posture", "force-posture\u3000", "\uff46orce-posture"} {
		err := p.CheckLabels("foreign-government", []string{tag})
		if err == nil || !strings.Contains(err.Error(), `"force-posture"`) {
			t.Errorf("tag %q: %v, want a refusal naming force-posture", tag, err)
		}
		// The gate refuses such a letter whatever its evidence, as it does an undeclared class.
		d := p.Decide(Facts{Class: "foreign-government", Tags: []string{tag}, Author: "dave"}, Evidence{Now: now,
			Approvals: []Actor{actor("rita", "reviewer")}, Signatures: []Actor{actor("sam", "signer")}})
		if d.Allowed {
			t.Errorf("tag %q: released under rules %q on one approval and one signature", tag, d.Rules)
		}
	}
	for _, tags := range [][]string{{"force-posture"}, {"embargoed"}, {"posture"}, {"force-posture", "urgent"}, nil} {
		if err := p.CheckLabels("foreign-government", tags); err != nil {
			t.Errorf("tags %q: %v", tags, err)
		}
	}
	// Without classes declared, the literals of the conditions are what a class must not
	// resemble.
	q := mustParse(t, "version: 1\nname: q\nrules:\n  - name: legal\n    when: letter.class == 'foreign-government'\n"+
		"    require:\n      approvals: [{role: legal}]\n  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n")
	for _, class := range []string{"foreign-government ", "foreign\u2013government", "Foreign-Government", "f\u043ereign-g\u043evernment"} {
		if err := q.CheckLabels(class, nil); err == nil || !strings.Contains(err.Error(), `"foreign-government"`) {
			t.Errorf("class %q: %v, want a refusal naming foreign-government", class, err)
		}
	}
	for _, class := range []string{"foreign-government", "internal", "press release"} {
		if err := q.CheckLabels(class, nil); err != nil {
			t.Errorf("class %q: %v", class, err)
		}
	}
}

// TestPersianLabelsAndNames: a class, a tag and a member name with a zero-width non-joiner
// where Persian writes one are taken as the registry stores them; one where it changes
// nothing a reader sees is refused, as any other invisible character is (anywhere in the
// file, since the forty-ninth session).
func TestPersianLabelsAndNames(t *testing.T) {
	const official, ali = "\u0646\u0627\u0645\u0647\u200c\u0647\u0627", "\u0639\u0644\u06cc\u200c\u0631\u0636\u0627" // نامه‌ها, علی‌رضا
	p, err := Parse([]byte("version: 1\nname: t\nclasses: [" + official + "]\ntags: [" + official + "]\ngroups:\n  legal: [" + ali + "]\n" +
		"rules:\n  - name: d\n    default: true\n    require:\n      approvals:\n        - group: legal\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Classes(), []string{official}) || p.CheckLabels(official, []string{official}) != nil {
		t.Errorf("classes %q, tags %q", p.Classes(), p.Tags())
	}
	for _, bad := range []string{"press\u200cx", "\u0627\u200c\u0628"} { // Latin; after alef, where it shows nothing
		if _, err := Parse([]byte("version: 1\nname: t\nclasses: [" + bad + "]\nrules:\n  - name: d\n    default: true\n    require:\n      approvals:\n        - role: reviewer\n")); err == nil || !strings.Contains(err.Error(), "U+200C is not allowed in a policy") {
			t.Errorf("class %+q: %v, want refused", bad, err)
		}
	}
}
