package policy

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/seal"
)

// errorList returns the messages of a Parse error, one per problem.
func errorList(t *testing.T, err error) []string {
	t.Helper()
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v (%T) is not Errors", err, err)
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Error()
	}
	return out
}

func TestParseErrors(t *testing.T) {
	const head = "version: 1\nname: x\n"
	const def = "  - name: d\n    default: true\n    require: {approvals: [{role: r}]}\n"
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"yaml syntax", head + "rules: [\n", []string{"p.yaml:3: invalid YAML: did not find expected node content"}},
		{"not utf-8", head + "rules: \xff\n", []string{"p.yaml:3:8: the file is not UTF-8 text (byte 0xff)"}},
		{"control character", "version: 1\nname: a\x01b\n", []string{"p.yaml:2:8: the character U+0001 is not allowed in YAML"}},
		{"empty", "", []string{"p.yaml:1:1: the policy file is empty"}},
		{"comment only", "# nothing\n", []string{"p.yaml:1:1: the policy file is empty"}},
		{"an empty document", "---", []string{"p.yaml:1:1: the policy file is empty"}},
		{"two documents", "version: 1\n---\nversion: 1\n", []string{"p.yaml:2:1: a second YAML document: a policy file is one document"}},
		{"disclose not a mapping", head + "disclose: [press]\nrules:\n" + def, []string{
			"p.yaml:3:11: disclose must be a mapping of letter classes to the fields they log in the clear, such as press: [reference, subject]"}},
		{"disclose unknown and repeated fields", head + "disclose:\n  press: [subject, approvals, subject]\n  press: [reference]\nrules:\n" + def, []string{
			"p.yaml:4:20: approvals cannot be logged in the clear: the fields that can are reference, subject, class, tags, addressees, signers, file_digest",
			"p.yaml:4:31: subject is listed twice",
			"p.yaml:5:3: class press is listed twice under disclose (first on line 4)"}},
		{"not a mapping", "- a\n", []string{"p.yaml:1:1: the policy must be a mapping (version, name, groups, classes, tags, disclose, two_admins, rules)"}},
		{"two_admins not a boolean", head + "two_admins: yes please\nrules:\n" + def, []string{"p.yaml:3:13: two_admins must be true or false"}},
		{"nothing required at the top", "groups: {}\n", []string{
			"p.yaml:1:1: the policy has no version (version: 1)",
			"p.yaml:1:1: the policy has no name",
			"p.yaml:1:1: the policy has no rules"}},
		{"wrong types at the top", "version: one\nname: [x]\nrules: {}\n", []string{
			"p.yaml:1:10: version must be a whole number",
			"p.yaml:2:7: the policy name must be a single value",
			"p.yaml:3:8: rules must be a list"}},
		{"anchors and aliases", head + "groups:\n  g: &g [a, b]\n  h: *g\nrules: []\n", []string{
			"p.yaml:4:6: anchors (&g) are not allowed: write the value out where it is used",
			"p.yaml:5:6: aliases (*g) are not allowed: write the value out"}},
		{"no rules at all", head + "rules: []\n", []string{
			"p.yaml:3:1: no default rule: add a rule with `default: true` and no `when`; it covers every letter that no rule asking for approvals or signatures matches"}},
		{"no default rule", head + "rules:\n  - name: r\n    when: letter.size > 1\n    require: {approvals: [{role: r}]}\n", []string{
			"p.yaml:3:1: no default rule: add a rule with `default: true` and no `when`; it covers every letter that no rule asking for approvals or signatures matches"}},
		{"two default rules, one with when", head + "rules:\n" + def + "  - name: e\n    default: true\n    when: letter.size > 1\n    require: {approvals: [{role: r}]}\n", []string{
			"p.yaml:7:5: a second default rule (the first is on line 4): only one rule may be the default",
			"p.yaml:9:5: the default rule must not have a `when`: it applies unless a rule asking for approvals or signatures does"}},
		{"a default rule asking for no person", head + "rules:\n  - name: d\n    default: true\n    require: {release_officer: true, max_approval_age: 1h}\n", []string{
			"p.yaml:6:5: the default rule must require at least one approval or signature"}},
		{"a key given twice", head + "rules:\n" + def + "    require: {approvals: [{role: s}]}\n", []string{
			"p.yaml:7:5: key \"require\" given twice in a rule (first on line 6)"}},
		{"counts YAML reads otherwise than they read", head + "rules:\n  - name: d\n    default: true\n    require: {approvals: [{role: r, count: 010}], signatures: [{role: s, count: 0x2}]}\n", []string{
			"p.yaml:6:44: count 010 must be written in decimal digits, without a sign or leading zeros",
			"p.yaml:6:81: count 0x2 must be written in decimal digits, without a sign or leading zeros"}},
		{"a count too large for int", head + "rules:\n  - name: d\n    default: true\n    require: {approvals: [{role: r, count: 99999999999999999999}]}\n", []string{
			"p.yaml:6:44: count must be a whole number"}},
		{"names, conditions", head + "groups:\n  g: [a b, 'c,d']\nrules:\n" + def +
			"  - name: r\n    when: [letter.size]\n    require: {approvals: [{role: r}]}\n" +
			"  - name: s\n    when: ' '\n    require: {approvals: [{role: r}]}\n" +
			"  - name: t\n    when: letter.size > (1\n    require: {approvals: [{role: r}]}\n" +
			"  - name: u\n    default: false\n    require: {approvals: [{role: r}]}\n" +
			"  - name: ' v'\n    when: 'true'\n    require: {approvals: [{role: r}]}\n", []string{
			"p.yaml:4:7: member name \"a b\" must be 1 to 64 characters without spaces or commas",
			"p.yaml:4:12: member name \"c,d\" must be 1 to 64 characters without spaces or commas",
			"p.yaml:10:11: `when` (a condition) must be a single value",
			"p.yaml:13:11: the condition is empty",
			"p.yaml:16:27: syntax error: missing ')' at '<EOF>'",
			"p.yaml:18:5: the rule has no `when` (only the default rule, `default: true`, has none)",
			"p.yaml:21:11: the rule name \" v\" must be 1 to 200 printable characters, without leading or trailing spaces"}},
	} {
		_, err := ParseFile("p.yaml", []byte(tc.src))
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if got := errorList(t, err); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n%s\nwant:\n%s", tc.name, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}

// TestParseAllErrors checks that one pass reports every problem of a file, each at its line
// and column: in plain, single-quoted, double-quoted (with escapes), literal and folded
// conditions alike.
func TestParseAllErrors(t *testing.T) {
	data, err := os.ReadFile("testdata/bad-policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ParseFile("policy.yaml", data)
	want := []string{
		"policy.yaml:1:10: version 2 is not supported: this Chancery reads version 1",
		"policy.yaml:3:1: unknown key \"colour\" in the policy (known: version, name, groups, classes, tags, disclose, two_admins, rules)",
		"policy.yaml:5:25: alice is listed twice in group command",
		"policy.yaml:6:10: group empty has no members",
		"policy.yaml:8:1: no default rule: add a rule with `default: true` and no `when`; it covers every letter that no rule asking for approvals or signatures matches",
		"policy.yaml:10:17: undeclared reference to 'letter.clas' (did you mean 'letter.class'?)",
		"policy.yaml:12:40: count 0 must be at least 1",
		"policy.yaml:13:11: rule name \"one\" is already used on line 9",
		"policy.yaml:16:21: found no matching overload for '_>_' applied to '(int, string)'",
		"policy.yaml:18:28: group nope is not defined under `groups`",
		"policy.yaml:18:55: count 3 is more than the 2 members of group two",
		"policy.yaml:20:55: undeclared reference to 'letter.sizee' (did you mean 'letter.size'?)",
		"policy.yaml:21:5: the rule requires nothing: add approvals, signatures, release_officer or max_approval_age",
		"policy.yaml:25:13: undeclared reference to 'letter.subjec' (did you mean 'letter.subject'?)",
		"policy.yaml:27:19: a required approval names a role or a group, not both",
		"policy.yaml:27:42: a required approval names a role or a group",
		"policy.yaml:28:25: max_approval_age \"3 days\" must be a positive duration such as 72h or 90m",
		"policy.yaml:29:24: release_officer must be true or false",
		"policy.yaml:31:11: the condition is of type int, not bool",
		"policy.yaml:32:45: approvals by reviewers are already required by this rule",
		"policy.yaml:33:5: the rule has no `when` (only the default rule, `default: true`, has none)",
		"policy.yaml:36:41: undeclared reference to 'letter.media' (did you mean 'letter.media_type'?)",
		"policy.yaml:37:44: count must be a whole number",
	}
	if got := errorList(t, err); !slices.Equal(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Without a file name, positions stand alone; each problem is also an error of its own.
	_, err = Parse(data)
	var e *Error
	if !errors.As(err, &e) || e.Error() != "1:10: version 2 is not supported: this Chancery reads version 1" {
		t.Errorf("first problem %v", e)
	}
}

func TestConditionPositions(t *testing.T) {
	// Each condition refers to letter.nope once; the error points at its dot.
	for _, tc := range []struct {
		when string
		pos  string // line:column of the dot in the file
	}{
		{"letter.nope == 1", "4:17"},
		{"'letter.nope == 1'", "4:18"},
		{`"letter.nope == 1"`, "4:18"},
		{`"\"a\" == letter.nope"`, "4:27"},
		{`"\"\u00e9\x41\" == letter.nope"`, "4:36"},
		{"\"letter.size > 1 &&\\\n      letter.nope\"", "5:13"},
		{"|\n      letter.size > 1 &&\n      letter.nope", "6:13"},
		{">-\n      letter.size > 1 &&\n\n      letter.nope", "7:13"},
		{"letter.size > 1\n      && letter.nope", "5:16"},
		{`"'é' == letter.nope"`, "4:25"},
	} {
		src := "version: 1\nname: x\nrules:\n  - when: " + tc.when + "\n    name: r\n    require: {approvals: [{role: r}]}\n" +
			"  - {name: d, default: true, require: {approvals: [{role: r}]}}\n"
		_, err := ParseFile("p", []byte(src))
		if err == nil {
			t.Errorf("%q: no error", tc.when)
			continue
		}
		got := errorList(t, err)
		if len(got) != 1 || !strings.HasPrefix(got[0], "p:"+tc.pos+": undeclared reference to 'letter.nope'") {
			t.Errorf("%q: %q, want it at %s\n%s", tc.when, got, tc.pos, src)
		}
	}
}

func TestParseDigestAndName(t *testing.T) {
	src := []byte("version: 1\nname: tfn\nrules:\n  - {name: d, default: true, require: {signatures: [{role: signer, count: 2}]}}\n")
	p, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "tfn" || p.Digest != seal.DigestOf(src) {
		t.Errorf("name %q digest %s", p.Name, p.Digest)
	}
	// A comment changes the digest: the exact bytes are adopted.
	q, err := Parse(append(src, "# note\n"...))
	if err != nil || q.Digest == p.Digest {
		t.Errorf("digest %s, %v", q.Digest, err)
	}
}

func TestParseTwoAdmins(t *testing.T) {
	const src = "version: 1\nname: tfn\n%srules:\n  - {name: d, default: true, require: {signatures: [{role: signer, count: 2}]}}\n"
	for _, tc := range []struct {
		line string
		want bool
	}{{"", false}, {"two_admins: false\n", false}, {"two_admins: true\n", true}} {
		p, err := Parse([]byte(fmt.Sprintf(src, tc.line)))
		if err != nil {
			t.Fatal(err)
		}
		if p.TwoAdmins() != tc.want {
			t.Errorf("%q: TwoAdmins() = %v, want %v", tc.line, p.TwoAdmins(), tc.want)
		}
	}
	if Builtin().TwoAdmins() {
		t.Error("the built-in policy asks for two admins: a new office has one")
	}
}

func TestExamplePolicy(t *testing.T) {
	data, err := os.ReadFile("../../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseFile("examples/policy.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "task-force-north" || len(p.rules) != 4 || p.rules[3].when != nil {
		t.Errorf("name %q, %d rules", p.Name, len(p.rules))
	}
}
