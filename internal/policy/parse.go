package policy

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"

	"github.com/chancery/chancery/internal/lookalike"
	"github.com/chancery/chancery/internal/script"
	"github.com/chancery/chancery/internal/seal"
)

// Version is the policy file format version this package reads.
const Version = 1

// Error is one problem in a policy file (or a cases file), at a line and column, both from 1;
// Column is 0 when only the line is known.
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
	// Err is the underlying error, if any.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File + ":")
	}
	b.WriteString(strconv.Itoa(e.Line) + ":")
	if e.Column > 0 {
		b.WriteString(strconv.Itoa(e.Column) + ":")
	}
	return b.String() + " " + e.Msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Errors are all the problems found in a file, in the order of their positions.
type Errors []*Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns each problem.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Parse compiles and lints a policy file. The error, if any, is Errors: every problem found,
// each with its line and column. See ParseFile to name the file in the errors.
func Parse(data []byte) (*Policy, error) {
	return ParseFile("", data)
}

// ParseFile is Parse for a file called name, which prefixes every error's position.
func ParseFile(name string, data []byte) (*Policy, error) {
	ps := &parser{file: name, data: data}
	p := ps.policy()
	if err := ps.err(); err != nil {
		return nil, err
	}
	p.compiled = &compiled{name: p.Name, digest: p.Digest}
	return p, nil
}

// rule is a compiled rule.
type rule struct {
	name    string
	when    *condition // nil for the default rule
	require []Requirement
	maxAge  time.Duration
}

// asksForPeople reports whether r requires approvals or signatures, not only a release
// officer or an age limit: only such a rule keeps the default rule away.
func (r *rule) asksForPeople() bool {
	return slices.ContainsFunc(r.require, func(q Requirement) bool { return q.Kind != KindRelease })
}

// addsOnly says what a rule that asks for no people adds to the rules that apply with it.
func (r *rule) addsOnly() string {
	var adds []string
	if len(r.require) > 0 {
		adds = append(adds, "a release officer")
	}
	if r.maxAge > 0 {
		adds = append(adds, "max_approval_age "+duration(r.maxAge))
	}
	return strings.Join(adds, " and ")
}

// parser walks the YAML nodes of a policy file, collecting every problem.
type parser struct {
	file  string
	data  []byte
	lines [][]rune // the file's lines, split when a condition's error needs them
	errs  Errors
	roles map[string]string // the roles named so far, by skeleton
}

// roleReadsAsItself reports whether role, named at n, reads as no other role: a core role or
// one the policy named before ("legal" and "lеgal", a Cyrillic е, "Reviewer").
func (ps *parser) roleReadsAsItself(n *yaml.Node, role string) bool {
	sk := lookalike.Skeleton(role)
	for core := range roleNouns {
		if core != role && lookalike.Skeleton(core) == sk {
			ps.errorf(n, "role %q reads as the role %q but is not it: write %s", role, core, core)
			return false
		}
	}
	if ps.roles == nil {
		ps.roles = map[string]string{}
	}
	if other, seen := ps.roles[sk]; seen && other != role {
		ps.errorf(n, "roles %q and %q read as one: name the role one way", other, role)
		return false
	}
	ps.roles[sk] = role
	return true
}

// err returns the problems found, in the order of the file, or nil.
func (ps *parser) err() error {
	if len(ps.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(ps.errs, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return ps.errs
}

// errorAt records a problem at line and col, or at the end of the file for a position past it
// (YAML puts an empty last document after its last line).
func (ps *parser) errorAt(line, col int, err error, format string, args ...any) {
	if n := bytes.Count(ps.data, []byte("\n")) + 1; line > n {
		line, col = n, utf8.RuneCount(ps.data[bytes.LastIndexByte(ps.data, '\n')+1:])+1
	}
	ps.errs = append(ps.errs, &Error{File: ps.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...), Err: err})
}

// errorf records a problem at node n.
func (ps *parser) errorf(n *yaml.Node, format string, args ...any) {
	ps.errorAt(n.Line, n.Column, nil, format, args...)
}

// yamlLine finds the line in a YAML library error ("yaml: line 3: …"); compiled on first use,
// not in every run of the command line.
var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): `) })

// document decodes the file's single YAML document, or reports why it cannot.
func (ps *parser) document(what string) *yaml.Node {
	if !ps.text() {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(ps.data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			ps.errorAt(1, 1, nil, "the %s is empty", what)
		} else {
			ps.yamlError(err)
		}
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		ps.errorAt(extra.Line, extra.Column, nil, "a second YAML document: a %s is one document", what)
		return nil
	case !errors.Is(err, io.EOF):
		ps.yamlError(err)
		return nil
	}
	if !ps.plain(&doc) || !ps.visible(&doc) {
		return nil
	}
	if root := doc.Content[0]; root.Kind != yaml.ScalarNode || root.Tag != "!!null" {
		return root
	}
	ps.errorAt(1, 1, nil, "the %s is empty", what)
	return nil
}

// yamlError reports an error of the YAML library, at the line it names if any.
func (ps *parser) yamlError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLine().FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimPrefix(err.Error(), m[0])
	}
	ps.errorAt(line, 0, err, "invalid YAML: %s", msg)
}

// text checks that the file is UTF-8 text of the characters YAML allows, with lines ending
// in \n or \r\n, reporting where it is not (the YAML library says what is wrong but not
// where).
func (ps *parser) text() bool {
	line, col := 1, 1
	for i := 0; i < len(ps.data); {
		r, size := utf8.DecodeRune(ps.data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			ps.errorAt(line, col, nil, "the file is not UTF-8 text (byte 0x%02x)", ps.data[i])
			return false
		case r == '\n':
			line, col = line+1, 0
		case r == '\r' && i+1 < len(ps.data) && ps.data[i+1] == '\n', r == '\t', r == 0xFEFF && i == 0:
		case r == '\r', r == 0x85, r == 0x2028, r == 0x2029:
			// YAML takes these for line breaks too; one kind keeps every line number plain.
			ps.errorAt(line, col, nil, "the line break %U is not allowed: end lines with \\n or \\r\\n", r)
			return false
		case r < 0x20, r >= 0x7f && r < 0xa0 && r != 0x85, r >= 0xd800 && r < 0xe000, r == 0xfffe, r == 0xffff, r == 0xfeff:
			ps.errorAt(line, col, nil, "the character %U is not allowed in YAML", r)
			return false
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			// Bidirectional embeddings, overrides and isolates reorder the text around them,
			// comments included: the file reads, in an editor, a terminal or the members
			// page, otherwise than it compiles (a comment that is code). Other characters
			// drawn as nothing are refused in values only (visible): a comment may hold an
			// emoji's joiner or a right-to-left mark.
			ps.errorAt(line, col, nil, "the character %U is not allowed in a policy: it reorders the text around it, so the file would read otherwise than it means", r)
			return false
		}
		i += size
		col++
	}
	return true
}

// invisible reports whether r is a format character (bidirectional controls, zero-width
// characters), another default-ignorable code point, a variation selector or the object
// replacement character: none is drawn as a visible sign of its own.
func invisible(r rune) bool {
	return r == '\ufffc' || unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// visible refuses, in every key and value of n, the characters invisible reports (but a
// zero-width non-joiner where Persian and Indic scripts write one): a condition's "press"
// holding one is not "press", though it reads so.
func (ps *parser) visible(n *yaml.Node) bool {
	ok := true
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			for i, r := range n.Value {
				if invisible(r) && !script.NonJoinerInPlace(n.Value, i) {
					ps.errorf(n, "the character %U is not allowed in a policy's values: it is drawn as nothing, so the value would read otherwise than it is", r)
					ok = false
					return
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return ok
}

// plain refuses anchors and aliases anywhere in n: what a policy says is what it reads.
func (ps *parser) plain(n *yaml.Node) bool {
	ok := true
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch {
		case n.Kind == yaml.AliasNode:
			ps.errorf(n, "aliases (*%s) are not allowed: write the value out", n.Value)
			ok = false
		case n.Anchor != "":
			ps.errorf(n, "anchors (&%s) are not allowed: write the value out where it is used", n.Anchor)
			ok = false
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return ok
}

// field is a key of a mapping and its value.
type field struct {
	key, value *yaml.Node
}

// fields checks that n is a mapping whose keys are among keys, given once each, and returns
// them by name. It returns nil if n is not a mapping.
func (ps *parser) fields(n *yaml.Node, what string, keys ...string) map[string]field {
	if n.Kind != yaml.MappingNode {
		ps.errorf(n, "%s must be a mapping (%s)", what, strings.Join(keys, ", "))
		return nil
	}
	out := map[string]field{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch prev, dup := out[k.Value]; {
		case k.Kind != yaml.ScalarNode:
			ps.errorf(k, "a key of %s must be a plain name", what)
		case !slices.Contains(keys, k.Value):
			ps.errorf(k, "unknown key %q in %s (known: %s)", k.Value, what, strings.Join(keys, ", "))
		case dup:
			ps.errorf(k, "key %q given twice in %s (first on line %d)", k.Value, what, prev.key.Line)
		default:
			out[k.Value] = field{k, v}
		}
	}
	return out
}

// sequence returns the items of n, or reports that it is not a sequence.
func (ps *parser) sequence(n *yaml.Node, what string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		ps.errorf(n, "%s must be a list", what)
		return nil
	}
	return n.Content
}

// scalar returns the text of n, or reports that it is not a single value.
func (ps *parser) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		ps.errorf(n, "%s must be a single value", what)
		return "", false
	}
	return n.Value, true
}

// token returns n as a name without spaces: a group, a role or a member.
func (ps *parser) token(n *yaml.Node, what string) (string, bool) {
	s, ok := ps.scalar(n, what)
	if !ok {
		return "", false
	}
	if s == "" || len(s) > 64 || !tokenChars(s) {
		ps.errorf(n, "%s %q must be 1 to 64 characters without spaces or commas", what, s)
		return "", false
	}
	return s, true
}

// tokenChars reports whether s holds only printable characters other than spaces and commas,
// or a zero-width non-joiner where the registry stores one (script.NonJoinerInPlace): a
// Persian member name, class or tag is written in a policy as the registry keeps it.
func tokenChars(s string) bool {
	for i, r := range s {
		if script.NonJoinerInPlace(s, i) {
			continue
		}
		if unicode.IsSpace(r) || !unicode.IsPrint(r) || r == ',' {
			return false
		}
	}
	return true
}

// memberName returns n as a member's name, in NFC as the registry stores member names: a
// name written with a combining accent ("Rene\u0301e") is the member Renée, where compared
// byte for byte it matched nobody and the group could never be satisfied by her.
func (ps *parser) memberName(n *yaml.Node) (string, bool) {
	s, ok := ps.token(n, "member name")
	return norm.NFC.String(s), ok
}

// title returns n as a name that may contain spaces: the policy's or a rule's.
func (ps *parser) title(n *yaml.Node, what string) (string, bool) {
	s, ok := ps.scalar(n, what)
	if !ok {
		return "", false
	}
	if strings.TrimSpace(s) != s || s == "" || len(s) > 200 || strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		ps.errorf(n, "%s %q must be 1 to 200 printable characters, without leading or trailing spaces", what, s)
		return "", false
	}
	return s, true
}

// integer returns n as an int written in decimal digits, or reports that it is not. YAML also
// reads 010 as 8 (octal), 0x10 as 16 and 1_0 as 10: a count must mean what it reads as.
func (ps *parser) integer(n *yaml.Node, what string) (int, bool) {
	var v int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&v) != nil {
		ps.errorf(n, "%s must be a whole number", what)
		return 0, false
	}
	if n.Style != 0 || n.Value != strconv.Itoa(v) {
		ps.errorf(n, "%s %s must be written in decimal digits, without a sign or leading zeros", what, n.Value)
		return 0, false
	}
	return v, true
}

// boolean returns n as a bool, or reports that it is not true or false.
func (ps *parser) boolean(n *yaml.Node, what string) (bool, bool) {
	var v bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&v) != nil {
		ps.errorf(n, "%s must be true or false", what)
		return false, false
	}
	return v, true
}

// policy reads the whole file.
func (ps *parser) policy() *Policy {
	root := ps.document("policy file")
	if root == nil {
		return nil
	}
	top := ps.fields(root, "the policy", "version", "name", "groups", "classes", "tags", "disclose", "two_admins", "rules")
	if top == nil {
		return nil
	}
	p := &Policy{Digest: seal.DigestOf(ps.data), groups: map[string][]string{}}
	if f, ok := top["version"]; !ok {
		ps.errorAt(root.Line, root.Column, nil, "the policy has no version (version: %d)", Version)
	} else if v, ok := ps.integer(f.value, "version"); ok && v != Version {
		ps.errorf(f.value, "version %d is not supported: this Chancery reads version %d", v, Version)
	}
	if f, ok := top["name"]; !ok {
		ps.errorAt(root.Line, root.Column, nil, "the policy has no name")
	} else {
		p.Name, _ = ps.title(f.value, "the policy name")
	}
	sizes := map[string]int{}
	if f, ok := top["groups"]; ok {
		ps.groups(f.value, p, sizes)
	}
	if f, ok := top["classes"]; ok {
		p.classes = ps.labels(f.value, "classes", "class")
	}
	if f, ok := top["tags"]; ok {
		p.tags = ps.labels(f.value, "tags", "tag")
	}
	if f, ok := top["disclose"]; ok {
		ps.disclose(f.value, p)
	}
	if f, ok := top["two_admins"]; ok {
		p.twoAdmins, _ = ps.boolean(f.value, "two_admins")
	}
	defer func() {
		ps.lintLabels(root, p)
		slices.SortStableFunc(p.warnings, func(a, b Warning) int { return a.Line - b.Line })
	}()
	f, ok := top["rules"]
	if !ok {
		ps.errorAt(root.Line, root.Column, nil, "the policy has no rules")
		return p
	}
	var def *rule
	defLine := 0
	names := map[string]int{}
	for _, n := range ps.sequence(f.value, "rules") {
		r, isDefault := ps.rule(n, sizes, names)
		switch {
		case isDefault && defLine > 0:
			ps.errorf(n, "a second default rule (the first is on line %d): only one rule may be the default", defLine)
		case isDefault:
			def, defLine = r, n.Line
		case r != nil:
			p.rules = append(p.rules, r)
			if !r.asksForPeople() {
				p.notes = append(p.notes, Warning{Line: n.Line, Message: fmt.Sprintf("rule %s asks for no approval or signature: "+
					"it adds %s to the rules that apply with it, and the default rule still applies unless a rule asking for approvals or signatures does",
					r.name, r.addsOnly())})
			}
		}
	}
	for _, label := range slices.Concat(p.classes, p.tags) {
		p.addNamed(label)
	}
	for _, r := range p.rules {
		if r.when != nil {
			for _, label := range r.when.literals {
				p.addNamed(label)
			}
			for _, q := range r.when.parts {
				p.addPart(q)
			}
		}
	}
	switch {
	case f.value.Kind != yaml.SequenceNode:
	case defLine == 0:
		ps.errorf(f.key, "no default rule: add a rule with `default: true` and no `when`; it covers every letter that no rule asking for approvals or signatures matches")
	case def != nil:
		p.rules = append(p.rules, def)
	}
	return p
}

// disclose reads which fields of a release each class of letter logs in the clear.
func (ps *parser) disclose(n *yaml.Node, p *Policy) {
	if n.Kind != yaml.MappingNode {
		ps.errorf(n, "disclose must be a mapping of letter classes to the fields they log in the clear, such as press: [reference, subject]")
		return
	}
	p.disclose = map[string][]string{}
	line := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		class, ok := ps.token(k, "letter class")
		if !ok {
			continue
		}
		class = norm.NFC.String(class) // as the registry stores letters' classes
		if l, dup := line[class]; dup {
			ps.errorf(k, "class %s is listed twice under disclose (first on line %d)", class, l)
			continue
		}
		line[class] = k.Line
		var fields []string
		for _, fn := range ps.sequence(v, "the disclosed fields of "+class) {
			name, ok := ps.token(fn, "field name")
			switch {
			case !ok:
			case !slices.Contains(seal.DisclosableFields, name):
				ps.errorf(fn, "%s cannot be logged in the clear: the fields that can are %s", name, strings.Join(seal.DisclosableFields, ", "))
			case slices.Contains(fields, name):
				ps.errorf(fn, "%s is listed twice", name)
			default:
				fields = append(fields, name)
				if name == "signers" {
					p.warnings = append(p.warnings, Warning{Line: fn.Line, Message: "disclosing signers ties their names to their key IDs, " +
						"which every release entry of the log shows in the clear: anyone reading the log then learns who signed each of the office's " +
						"other letters, confidential ones included, and its withdrawals, and when their keys were added and revoked; " +
						"disclose signers only for a class whose signers sign nothing else with the same keys"})
				}
				if name == "file_digest" {
					p.warnings = append(p.warnings, Warning{Line: fn.Line, Message: "disclosing file_digest makes the whole letter's answer public: " +
						"the digest opens it to whoever has it, with the subject, addressees, tags, signers, approvers and release officer, " +
						"and the owners of the signers' keys, which every release entry of the log shows in the clear, so that anyone learns " +
						"who signed the office's other letters too; disclose it only for a class whose letters are public whole, " +
						"signed with keys that sign nothing else"})
				}
			}
		}
		p.disclose[class] = fields
	}
}

// groups reads the signer groups into p, and the number of members of each into sizes (-1
// for a group with a problem already reported).
func (ps *parser) groups(n *yaml.Node, p *Policy, sizes map[string]int) {
	if n.Kind != yaml.MappingNode {
		ps.errorf(n, "groups must be a mapping of group names to lists of members")
		return
	}
	line := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name, ok := ps.token(k, "group name")
		if !ok {
			continue
		}
		if l, dup := line[name]; dup {
			ps.errorf(k, "group %s is defined twice (first on line %d)", name, l)
			continue
		}
		line[name] = k.Line
		items := ps.sequence(v, "the members of group "+name)
		if v.Kind == yaml.SequenceNode && len(items) == 0 {
			ps.errorf(v, "group %s has no members", name)
		}
		var members []string
		// Two names that read as one cannot both be members' (the registry refuses a new
		// name that reads as an existing one's): a count of both would ask for a person who
		// cannot exist, or, with accounts stored before such names were refused, for one
		// person twice.
		skeletons := map[string]string{}
		for _, it := range items {
			m, ok := ps.memberName(it)
			if !ok {
				continue
			}
			sk := lookalike.Skeleton(m)
			switch first, seen := skeletons[sk]; {
			case first == m:
				ps.errorf(it, "%s is listed twice in group %s", m, name)
			case seen:
				ps.errorf(it, "%s reads as %s, listed before in group %s: no two members can have names that read alike; list the member once, as their name is written", m, first, name)
			default:
				skeletons[sk] = m
				members = append(members, m)
			}
		}
		p.groups[name] = members
		sizes[name] = len(members)
		if len(members) < len(items) || len(items) == 0 {
			sizes[name] = -1 // reported already; no count is checked against it
		}
	}
}

// rule reads one rule; names holds the line of each rule name seen so far.
func (ps *parser) rule(n *yaml.Node, sizes map[string]int, names map[string]int) (*rule, bool) {
	fs := ps.fields(n, "a rule", "name", "when", "default", "require")
	if fs == nil {
		return nil, false
	}
	r := &rule{}
	ok := true
	if f, has := fs["name"]; !has {
		ps.errorf(n, "the rule has no name")
		ok = false
	} else if r.name, ok = ps.title(f.value, "the rule name"); ok {
		if l, dup := names[r.name]; dup {
			ps.errorf(f.value, "rule name %q is already used on line %d", r.name, l)
			ok = false
		} else {
			names[r.name] = f.value.Line
		}
	}
	isDefault := false
	if f, has := fs["default"]; has {
		isDefault, _ = ps.boolean(f.value, "default")
	}
	when, hasWhen := fs["when"]
	switch {
	case isDefault && hasWhen:
		ps.errorf(when.key, "the default rule must not have a `when`: it applies unless a rule asking for approvals or signatures does")
		ok = false
	case !isDefault && !hasWhen:
		ps.errorf(n, "the rule has no `when` (only the default rule, `default: true`, has none)")
		ok = false
	case hasWhen:
		r.when = ps.condition(when.value)
		ok = ok && r.when != nil
	}
	if f, has := fs["require"]; !has {
		ps.errorf(n, "the rule requires nothing: add `require`")
		ok = false
	} else if !ps.require(f, r, sizes, isDefault) {
		ok = false
	}
	if !ok {
		return nil, isDefault
	}
	return r, isDefault
}

// require reads a rule's requirements into r.
func (ps *parser) require(f field, r *rule, sizes map[string]int, isDefault bool) bool {
	fs := ps.fields(f.value, "require", "approvals", "signatures", "release_officer", "max_approval_age")
	if fs == nil {
		return false
	}
	n := len(ps.errs)
	for _, kind := range []string{KindApproval, KindSignature} {
		g, has := fs[kind+"s"]
		if !has {
			continue
		}
		for _, it := range ps.sequence(g.value, kind+"s") {
			if q, ok := ps.requirement(it, kind, sizes); ok {
				if slices.ContainsFunc(r.require, func(o Requirement) bool { return o.Kind == q.Kind && o.Role == q.Role && o.Group == q.Group }) {
					ps.errorf(it, "%ss by %s are already required by this rule", kind, who(q, true))
					continue
				}
				r.require = append(r.require, q)
			}
		}
	}
	people := len(r.require)
	if g, has := fs["release_officer"]; has {
		if v, ok := ps.boolean(g.value, "release_officer"); v && ok {
			r.require = append(r.require, Requirement{Kind: KindRelease, Role: RoleRelease, Need: 1})
		}
	}
	if g, has := fs["max_approval_age"]; has {
		s, ok := ps.scalar(g.value, "max_approval_age")
		d, err := time.ParseDuration(s)
		switch {
		case !ok:
		case err != nil || d <= 0:
			ps.errorf(g.value, "max_approval_age %q must be a positive duration such as 72h or 90m", s)
		default:
			r.maxAge = d
		}
	}
	switch {
	case len(ps.errs) > n:
		return false
	case len(r.require) == 0 && r.maxAge == 0:
		ps.errorf(f.key, "the rule requires nothing: add approvals, signatures, release_officer or max_approval_age")
		return false
	case isDefault && people == 0:
		ps.errorf(f.key, "the default rule must require at least one approval or signature")
		return false
	}
	return true
}

// requirement reads one entry of approvals or signatures.
func (ps *parser) requirement(n *yaml.Node, kind string, sizes map[string]int) (Requirement, bool) {
	q := Requirement{Kind: kind, Need: 1}
	fs := ps.fields(n, "a required "+kind, "role", "group", "count")
	if fs == nil {
		return q, false
	}
	ok := true
	role, hasRole := fs["role"]
	group, hasGroup := fs["group"]
	switch {
	case hasRole && hasGroup:
		ps.errorf(n, "a required %s names a role or a group, not both", kind)
		ok = false
	case hasRole:
		if q.Role, ok = ps.token(role.value, "role"); ok {
			// Roles are typed by admins, put in NFC as member names are, and compared with
			// those the policy names: two that read as one would be two roles that no one
			// can tell apart.
			q.Role = norm.NFC.String(q.Role)
			ok = ps.roleReadsAsItself(role.value, q.Role)
		}
	case hasGroup:
		if q.Group, ok = ps.token(group.value, "group"); ok {
			if _, defined := sizes[q.Group]; !defined {
				ps.errorf(group.value, "group %s is not defined under `groups`", q.Group)
				ok = false
			}
		}
	default:
		ps.errorf(n, "a required %s names a role or a group", kind)
		ok = false
	}
	if c, has := fs["count"]; has {
		v, isInt := ps.integer(c.value, "count")
		size, defined := sizes[q.Group]
		switch {
		case !isInt:
			ok = false
		case v < 1:
			ps.errorf(c.value, "count %d must be at least 1", v)
			ok = false
		case defined && size >= 0 && v > size:
			ps.errorf(c.value, "count %d is more than the %d members of group %s", v, size, q.Group)
			ok = false
		default:
			q.Need = v
		}
	}
	return q, ok
}

// condition compiles a rule's `when`, reporting CEL's errors at their place in the file.
func (ps *parser) condition(n *yaml.Node) *condition {
	src, ok := ps.scalar(n, "`when` (a condition)")
	if !ok {
		return nil
	}
	if strings.TrimSpace(src) == "" {
		ps.errorf(n, "the condition is empty")
		return nil
	}
	// Letters' classes, tags and addressees are stored in NFC: the condition's literals are
	// compared in NFC too, so that "défense" written with a combining accent matches as it
	// reads. Positions of errors are in the source as written (NFC changes no line breaks).
	c, issues := compileCondition(norm.NFC.String(src))
	for _, is := range issues {
		line, col := n.Line, n.Column
		if is.line > 0 {
			line, col = ps.position(n, offset(src, is.line, is.col))
		}
		ps.errorAt(line, col, nil, "%s", lowerFirst(is.msg))
	}
	return c
}

// lowerFirst lowers the first letter of a message ("Syntax error: …") unless it starts an
// acronym.
func lowerFirst(msg string) string {
	r, n := utf8.DecodeRuneInString(msg)
	if next, _ := utf8.DecodeRuneInString(msg[n:]); unicode.IsUpper(next) {
		return msg
	}
	return string(unicode.ToLower(r)) + msg[n:]
}

// offset turns a line (from 1) and column (from 0, in code points) of src into a code point
// offset.
func offset(src string, line, col int) int {
	off := 0
	for i, l := range strings.Split(src, "\n") {
		if i == line-1 {
			return off + min(col, utf8.RuneCountInString(l))
		}
		off += utf8.RuneCountInString(l) + 1
	}
	return off
}

// position finds in the file the line and column of the code point at offset target in the
// value of scalar n. It walks the value and the file's text from the start of the scalar,
// matching each character of the value to the next equal one in the file, so that
// indentation and folded line breaks (text the value does not contain) are passed over; in a
// double-quoted scalar an escape sequence stands for one character of the value, or none for
// an escaped line break.
func (ps *parser) position(n *yaml.Node, target int) (int, int) {
	if ps.lines == nil {
		for l := range strings.SplitSeq(string(ps.data), "\n") {
			ps.lines = append(ps.lines, []rune(strings.TrimSuffix(l, "\r")))
		}
	}
	value := []rune(n.Value)
	line, col := n.Line, n.Column
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		line, col = n.Line+1, 1 // the text starts below the indicator
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		col++ // after the opening quote
	}
	quoted := n.Style&yaml.DoubleQuotedStyle != 0
	// at returns the file's character at (line, col), '\n' at the end of a line.
	at := func(line, col int) (rune, bool) {
		if line > len(ps.lines) {
			return 0, false
		}
		if l := ps.lines[line-1]; col <= len(l) {
			return l[col-1], true
		}
		return '\n', true
	}
	// width is how many characters of the file the character at (line, col) takes: more than
	// one for an escape sequence, 0 for an escaped line break.
	width := func(line, col int) int {
		if r, _ := at(line, col); !quoted || r != '\\' {
			return 1
		}
		switch r, _ := at(line, col+1); r {
		case '\n':
			return 0
		case 'x':
			return 4
		case 'u':
			return 6
		case 'U':
			return 10
		}
		return 2
	}
	next := func(line, col, w int) (int, int) {
		if col > len(ps.lines[line-1]) {
			return line + 1, 1
		}
		return line, min(col+w, len(ps.lines[line-1])+1)
	}
	for i, v := range value {
		for {
			r, ok := at(line, col)
			if !ok {
				return n.Line, n.Column
			}
			w := width(line, col)
			if w > 1 || w == 1 && (r == v || unicode.IsSpace(r) && unicode.IsSpace(v)) {
				break
			}
			if w == 0 {
				line, col = line+1, 1
				continue
			}
			line, col = next(line, col, 1)
		}
		if i == target {
			return line, col
		}
		line, col = next(line, col, width(line, col))
	}
	return line, col
}
