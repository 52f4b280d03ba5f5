package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"

	"github.com/chancery/chancery/internal/i18n"
)

// caseTime is "now" in every case: the ages of approvals are measured back from it.
var caseTime = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// CaseResult is the outcome of one case of a cases file.
type CaseResult struct {
	Name string `json:"name"`
	Line int    `json:"line"` // where the case starts in the file
	Pass bool   `json:"pass"`
	// Failures say how the decision differs from what the case expects.
	Failures []string  `json:"failures,omitempty"`
	Decision *Decision `json:"decision"`
}

// testCase is one case of a cases file, read.
type testCase struct {
	name     string
	line     int
	facts    Facts
	evidence Evidence
	allowed  bool
	missing  []string // nil: not checked
	rules    []string // nil: not checked
}

// RunCases decides each case of a cases file (see docs/policy-format.md) under p and compares
// the decision with the one the case expects: sample letters with their evidence, for an
// office's own tests of its policy. The error, if any, is Errors: the problems of the cases
// file, each with its line and column. A case whose decision differs is not an error: its
// result says how.
func RunCases(p *Policy, cases []byte) ([]CaseResult, error) {
	ps := &parser{data: cases}
	tcs := ps.cases()
	if err := ps.err(); err != nil {
		return nil, err
	}
	out := make([]CaseResult, 0, len(tcs))
	for _, tc := range tcs {
		e, notes := asTheGateCounts(tc.evidence)
		d := p.Decide(tc.facts, e)
		for _, n := range notes {
			d.AddNote(n)
		}
		// Only a member holding the release role releases, whatever the policy asks.
		if r := tc.evidence.Releaser; r != nil && !slices.Contains(r.Roles, RoleRelease) {
			d.Allowed = false
			d.AddNote(i18n.Msg("the release by %s is refused: %s", r.Name, i18n.Msg("%s does not hold the %s role", r.Name, RoleRelease)))
		}
		res := CaseResult{Name: tc.name, Line: tc.line, Decision: d}
		if d.Allowed != tc.allowed {
			res.Failures = append(res.Failures, fmt.Sprintf("allowed is %v, expected %v (%s)", d.Allowed, tc.allowed, d.Explain()))
		}
		if tc.missing != nil && !sameSet(d.Missing(), tc.missing) {
			res.Failures = append(res.Failures, fmt.Sprintf("missing %s, expected %s", quoteList(d.Missing()), quoteList(tc.missing)))
		}
		if tc.rules != nil && !sameSet(d.Rules, tc.rules) {
			res.Failures = append(res.Failures, fmt.Sprintf("rules %s applied, expected %s", quoteList(d.Rules), quoteList(tc.rules)))
		}
		res.Pass = len(res.Failures) == 0
		out = append(out, res)
	}
	return out, nil
}

// asTheGateCounts keeps of e what the registry's gate counts: approvals by people holding the
// reviewer role and signatures by people holding the signer role, whatever role or group a
// requirement names. It returns notes for the others.
func asTheGateCounts(e Evidence) (Evidence, []i18n.Message) {
	var notes []i18n.Message
	keep := func(kind, role string, as []Actor) []Actor {
		var out []Actor
		for _, a := range as {
			if slices.Contains(a.Roles, role) {
				out = append(out, a)
				continue
			}
			notes = append(notes, i18n.Msg("%s by %s does not count: %s", theKind(kind), a.Name, i18n.Msg("%s does not hold the %s role", a.Name, role)))
		}
		return out
	}
	e.Approvals = keep(KindApproval, roleReviewer, e.Approvals)
	e.Signatures = keep(KindSignature, roleSigner, e.Signatures)
	return e, notes
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// quoteList writes s as a list of quoted strings.
func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// cases reads a cases file.
func (ps *parser) cases() []testCase {
	root := ps.document("cases file")
	if root == nil {
		return nil
	}
	top := ps.fields(root, "the cases file", "members", "cases")
	if top == nil {
		return nil
	}
	members := map[string][]string{}
	if f, ok := top["members"]; ok {
		ps.members(f.value, members)
	}
	f, ok := top["cases"]
	if !ok {
		ps.errorAt(root.Line, root.Column, nil, "the cases file has no cases")
		return nil
	}
	var out []testCase
	for _, n := range ps.sequence(f.value, "cases") {
		if tc, ok := ps.testCase(n, members); ok {
			out = append(out, tc)
		}
	}
	return out
}

// members reads the people of a cases file and their roles.
func (ps *parser) members(n *yaml.Node, members map[string][]string) {
	if n.Kind != yaml.MappingNode {
		ps.errorf(n, "members must be a mapping of names to lists of roles")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		name, ok := ps.memberName(n.Content[i])
		if !ok {
			continue
		}
		if _, dup := members[name]; dup {
			ps.errorf(n.Content[i], "member %s is listed twice", name)
			continue
		}
		members[name] = ps.tokens(n.Content[i+1], "roles of "+name, "role")
	}
}

// tokens reads a list of names without spaces.
func (ps *parser) tokens(n *yaml.Node, what, each string) []string {
	out := []string{}
	for _, it := range ps.sequence(n, what) {
		if s, ok := ps.token(it, each); ok {
			out = append(out, s)
		}
	}
	return out
}

// testCase reads one case; false if it has a problem.
func (ps *parser) testCase(n *yaml.Node, members map[string][]string) (testCase, bool) {
	tc := testCase{line: n.Line, evidence: Evidence{Now: caseTime}}
	fs := ps.fields(n, "a case", "name", "letter", "approvals", "signatures", "released_by", "expect")
	if fs == nil {
		return tc, false
	}
	errs := len(ps.errs)
	if f, ok := fs["name"]; ok {
		tc.name, _ = ps.title(f.value, "the case name")
	} else {
		ps.errorf(n, "the case has no name")
	}
	if f, ok := fs["letter"]; ok {
		ps.letter(f.value, &tc.facts)
	} else {
		ps.errorf(n, "the case has no letter")
	}
	if f, ok := fs["approvals"]; ok {
		tc.evidence.Approvals = ps.actors(f.value, "approvals", members, true)
	}
	if f, ok := fs["signatures"]; ok {
		tc.evidence.Signatures = ps.actors(f.value, "signatures", members, false)
	}
	if f, ok := fs["released_by"]; ok {
		if a, ok := ps.actor(f.value, members, false); ok {
			tc.evidence.Releaser = &a
		}
	}
	if f, ok := fs["expect"]; ok {
		ps.expect(f.value, &tc)
	} else {
		ps.errorf(n, "the case has no `expect`")
	}
	return tc, len(ps.errs) == errs
}

// letter reads the facts of a case's letter; a field left out is empty.
func (ps *parser) letter(n *yaml.Node, f *Facts) {
	fs := ps.fields(n, "a letter", "class", "tags", "addressees", "subject", "office", "reference",
		"media_type", "size", "author", "drafters")
	strs := map[string]*string{"class": &f.Class, "subject": &f.Subject, "office": &f.Office,
		"reference": &f.Reference, "media_type": &f.MediaType, "author": &f.Author}
	for k, fl := range fs {
		switch k {
		case "tags":
			f.Tags = ps.values(fl.value, "tags")
		case "addressees":
			f.Addressees = ps.values(fl.value, "addressees")
		case "drafters":
			f.Authors = ps.tokens(fl.value, "drafters", "drafter")
		case "size":
			if v, ok := ps.integer(fl.value, "size"); ok {
				f.Size = int64(v)
			}
		default:
			*strs[k], _ = ps.scalar(fl.value, k)
		}
	}
	// As the registry stores a letter: a case file saved with combining accents must be
	// judged as the letter it describes would be.
	f.Class, f.Subject, f.Author = norm.NFC.String(f.Class), norm.NFC.String(f.Subject), norm.NFC.String(f.Author)
	for _, l := range [][]string{f.Tags, f.Addressees, f.Authors} {
		for i, s := range l {
			l[i] = norm.NFC.String(s)
		}
	}
	// A letter the registry refuses is no case: its decision would say what no letter meets.
	for what, l := range map[string][]string{"tag": f.Tags, "addressee": f.Addressees} {
		for i, s := range l {
			if slices.ContainsFunc(l[:i], func(t string) bool { return strings.EqualFold(t, s) }) {
				ps.errorf(n, "the letter's %s %q is given twice (or in other capitals): the registry refuses such a letter", what, s)
			}
		}
	}
	if f.MediaType != strings.ToLower(f.MediaType) {
		ps.errorf(n, "the letter's media_type %q is not in lower case, as the registry records it", f.MediaType)
	}
}

// values reads a list of single values.
func (ps *parser) values(n *yaml.Node, what string) []string {
	var out []string
	for _, it := range ps.sequence(n, what) {
		if s, ok := ps.scalar(it, "an item of "+what); ok {
			out = append(out, s)
		}
	}
	return out
}

// actors reads approvals or signatures.
func (ps *parser) actors(n *yaml.Node, what string, members map[string][]string, aged bool) []Actor {
	var out []Actor
	for _, it := range ps.sequence(n, what) {
		if a, ok := ps.actor(it, members, aged); ok {
			out = append(out, a)
		}
	}
	return out
}

// actor reads a person: a member's name, or a mapping with the name, roles (those of the
// member by default) and, for an approval, its age (0 by default).
func (ps *parser) actor(n *yaml.Node, members map[string][]string, aged bool) (Actor, bool) {
	a := Actor{At: caseTime}
	var roles []string
	known := false
	if n.Kind == yaml.ScalarNode {
		var ok bool
		if a.Name, ok = ps.memberName(n); !ok {
			return a, false
		}
	} else {
		keys := []string{"name", "roles"}
		if aged {
			keys = append(keys, "age")
		}
		fs := ps.fields(n, "a person", keys...)
		if fs == nil {
			return a, false
		}
		f, ok := fs["name"]
		if !ok {
			ps.errorf(n, "the person has no name")
			return a, false
		}
		if a.Name, ok = ps.memberName(f.value); !ok {
			return a, false
		}
		if f, ok := fs["roles"]; ok {
			roles, known = ps.tokens(f.value, "roles", "role"), true
		}
		if f, ok := fs["age"]; ok {
			s, _ := ps.scalar(f.value, "age")
			age, err := time.ParseDuration(s)
			if err != nil || age < 0 {
				ps.errorf(f.value, "age %q must be a duration such as 96h", s)
				return a, false
			}
			a.At = caseTime.Add(-age)
		}
	}
	if !known {
		if roles, known = members[a.Name]; !known {
			ps.errorf(n, "%s is not listed under members: list them there or give their roles", a.Name)
			return a, false
		}
	}
	a.Roles = roles
	return a, true
}

// expect reads what a case expects.
func (ps *parser) expect(n *yaml.Node, tc *testCase) {
	fs := ps.fields(n, "expect", "allowed", "missing", "rules")
	if fs == nil {
		return
	}
	if f, ok := fs["allowed"]; ok {
		tc.allowed, _ = ps.boolean(f.value, "allowed")
	} else {
		ps.errorf(n, "`expect` has no `allowed`")
	}
	if f, ok := fs["missing"]; ok {
		tc.missing = append([]string{}, ps.values(f.value, "missing")...)
	}
	if f, ok := fs["rules"]; ok {
		tc.rules = append([]string{}, ps.values(f.value, "rules")...)
	}
}
