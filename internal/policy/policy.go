// Package policy decides whether a letter may be released. A policy file (see
// docs/policy-format.md) holds rules: a CEL condition over the letter and the requirements that
// apply when it holds (approvals by role, signatures from a signer group or by role, M of N, a
// release officer, a maximum age of approvals). Decide merges the requirements of every rule
// that applies and checks the evidence (who approved, who signed, who releases) against them,
// with a reason for every requirement, met or not, and for every piece of evidence that did not
// count. The release gate, the CLI's errors and the API all show the same Decision.
//
// The two-person rule holds for every policy: one person counts once across all the
// requirements of a release, and never for a letter they drafted.
package policy

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/seal"
)

// Kinds of requirement.
const (
	KindApproval  = "approval"
	KindSignature = "signature"
	KindRelease   = "release"
)

// RoleRelease is the role of a release officer, the person who performs a release.
const RoleRelease = "release"

// Only members holding the reviewer role approve, and only those holding the signer role
// sign: the registry counts no other approval or signature, whatever role or group a
// requirement names, and `policy test` counts as it does.
const (
	roleReviewer = "reviewer"
	roleSigner   = "signer"
)

// Facts are what a policy knows of a letter. Conditions see them as the fields of `letter`;
// a field left empty is the empty string, the empty list or 0, never absent.
type Facts struct {
	Reference  string
	Class      string
	Tags       []string
	Addressees []string
	Subject    string
	Office     string
	MediaType  string
	Size       int64
	// Author is the letter's creator (`letter.author`).
	Author string
	// Authors are everyone who drafted the letter: its creator and the author of every
	// version. None of them, nor Author, counts for its release, under their name or one that
	// reads as it (lookalike.Skeleton).
	Authors []string
}

// Evidence is who has acted on the version being released. Each person appears once per
// list; Roles are the roles the person holds.
type Evidence struct {
	Approvals  []Actor
	Signatures []Actor
	// Releaser is who performs the release, if known: only they can meet a rule's
	// release_officer requirement. Nil while the letter is a draft being looked at.
	Releaser *Actor
	// Now is the time of the decision, against which the age of approvals is measured; the
	// zero time means the current time.
	Now time.Time
}

// MaxClockSkew is how far after the time of a decision an approval may be dated and still
// count under max_approval_age: the servers of one office may disagree by that much. One dated
// later was dated by a clock that was wrong (set ahead, then corrected), and would otherwise
// count for that much longer than the policy allows.
const MaxClockSkew = 10 * time.Minute

// Actor is a person who approved, signed or releases.
type Actor struct {
	Name  string
	Roles []string
	// At is when the person acted. An approval without a time does not count under a policy
	// that limits the age of approvals.
	At time.Time
}

// Requirement is one thing a release needs: Need distinct people who gave evidence of Kind
// and hold Role, or (for Group) belong to the named signer group.
type Requirement struct {
	Kind  string `json:"kind"`
	Role  string `json:"role,omitempty"`
	Group string `json:"group,omitempty"`
	Need  int    `json:"need"`
	// Rules are the rules that asked for it.
	Rules []string `json:"rules,omitempty"`
}

// roleNouns name the holders of Chancery's core roles. A policy may name any other role: an
// office defines its own, such as legal or public-affairs.
var roleNouns = map[string]string{
	"drafter":   "drafter",
	"reviewer":  "reviewer",
	"signer":    "signer",
	RoleRelease: "release officer",
	"admin":     "admin",
}

// who names the people r asks for: one of them, or several.
func who(r Requirement, several bool) string {
	noun, core := roleNouns[r.Role]
	switch {
	case r.Kind == KindRelease:
		noun = roleNouns[RoleRelease]
	case r.Group != "" && several:
		return "members of " + r.Group
	case r.Group != "":
		return "a member of " + r.Group
	case !core && several:
		return "members with role " + r.Role
	case !core:
		return "a member with role " + r.Role
	}
	if several {
		return noun + "s"
	}
	return article(noun) + " " + noun
}

// article is the indefinite article for noun.
func article(noun string) string {
	if strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}

// String says what r asks for: "1 approval by a reviewer", "2 signatures by members of
// command-signers", "a release by a release officer".
func (r Requirement) String() string {
	return r.Message().String()
}

// Status is a requirement with the people counted for it.
type Status struct {
	Requirement
	By      []string `json:"by"`
	Missing int      `json:"missing"`
}

// Decision is the answer for one release.
type Decision struct {
	Allowed bool   `json:"allowed"`
	Policy  string `json:"policy"` // the policy's digest
	// Rules are the names of the rules that applied.
	Rules []string `json:"rules"`
	// MaxApprovalAge is the age beyond which approvals did not count, if the rules set one.
	MaxApprovalAge string   `json:"max_approval_age,omitempty"`
	Requirements   []Status `json:"requirements"`
	// Notes explain evidence that did not count (a drafter, a person already counted, no
	// matching role or group, an approval too old) and conditions that could not be evaluated.
	Notes []string `json:"notes,omitempty"`
	// notes are Notes as messages, when they were added with AddNote.
	notes []i18n.Message
}

// Missing lists, in words, what the release still needs.
func (d *Decision) Missing() []string {
	var out []string
	for _, s := range d.Requirements {
		if s.Missing > 0 {
			r := s.Requirement
			r.Need = s.Missing
			out = append(out, r.String())
		}
	}
	return out
}

// Explain is a one-line summary of what is missing, for errors.
func (d *Decision) Explain() string {
	m := d.Missing()
	switch {
	case len(m) == 0 && d.Allowed:
		return "every requirement is met"
	case len(m) == 0:
		return strings.Join(d.Notes, "; ")
	}
	return "missing " + strings.Join(m, ", ")
}

// Policy is a compiled policy file.
type Policy struct {
	Name string
	// Digest is the SHA-256 of the exact file bytes.
	Digest seal.Digest
	groups map[string][]string
	rules  []*rule // the default rule last
	// disclose lists, by letter class, the fields of a release logged in the clear.
	disclose map[string][]string
	// classes and tags are the declared ones (nil: not declared, any is accepted).
	classes, tags []string
	// twoAdmins is the file's two_admins: changes that decide who may approve and sign
	// are carried out only once a second admin approves them (registry/changes.go).
	// twoAdminsUnread is set, with twoAdmins, for a closed policy whose file's two_admins
	// could not be read (TwoAdminsWith).
	twoAdmins, twoAdminsUnread bool
	// compiled, set by Parse alone, is what the file compiled to: the exported Name and
	// Digest can be set by anyone (CompiledFrom).
	compiled *compiled
	// named holds the labels the policy names (declared classes and tags, the string
	// constants of its conditions), and skeletons one of them by skeleton: a letter's class
	// or tag that reads as one of them without being it is refused (lookalike.go).
	named     map[string]bool
	skeletons map[string]string
	// parts are what conditions look for in part of a class or tag (lookalike.go).
	parts    []part
	warnings []Warning
	notes    []Warning
	// closed, if not nil, is why the policy allows no release (Closed), and closedRoles the
	// office's own roles read from its file.
	closed      error
	closedRoles []string
}

// Disclose returns the fields of a release of a letter of class that the policy logs in the
// clear (seal.DisclosableFields). Letters are confidential by default: a class the policy's
// disclose section does not name discloses nothing.
func (p *Policy) Disclose(class string) []string {
	return p.disclose[class]
}

// TwoAdmins reports whether the policy asks for two admins to change who may approve and
// sign: adding a member, giving a role, a new token, enabling a member, adopting a policy.
// For a closed policy whose file's two_admins cannot be read it is true; TwoAdminsWith
// decides such a policy by the office's admins.
func (p *Policy) TwoAdmins() bool { return p.twoAdmins }

// TwoAdminsWith reports whether the policy asks for two admins in an office that has admins
// active admins. It is TwoAdmins, except for a closed policy whose file's two_admins cannot
// be read (Closed): that asks for two admins only while the office has two. A policy with
// two_admins is adopted only by an office with two active admins, and while it is in force
// the last two are kept (registry: checkAdminsLeft), so an office with one admin was not
// under it; asking that admin for a second, whom only a second admin could add, would lock
// the office out of the very adoption that reopens its gate.
func (p *Policy) TwoAdminsWith(admins int) bool {
	if p.twoAdminsUnread {
		return admins >= 2
	}
	return p.twoAdmins
}

// compiled is what Parse compiled a file to.
type compiled struct {
	name   string
	digest seal.Digest
}

// CompiledFrom returns nil if Parse compiled p from exactly source, an error saying why not
// otherwise: a policy made by Closed, or as a literal, or whose Name or Digest was changed
// after Parse returned it. Whoever puts a policy in force with its file checks it first, so
// that what is enforced is what is logged.
func (p *Policy) CompiledFrom(source []byte) error {
	switch {
	case p.closed != nil:
		return fmt.Errorf("policy %s does not compile: %w", p.Name, p.closed)
	case p.compiled == nil:
		return errors.New("the policy was not compiled from a file")
	case p.compiled.name != p.Name || p.compiled.digest != p.Digest:
		return errors.New("the policy's name or digest was changed after it was compiled")
	case seal.DigestOf(source) != p.Digest:
		return errors.New("the compiled policy is not of this file")
	}
	return nil
}

//go:embed builtin.yaml
var builtinSource []byte

// Builtin is the policy in force until an office adopts its own: one approval by a reviewer
// and one signature by a signer, neither by the letter's author nor by the same person. It is
// compiled from an embedded policy file like any other.
func Builtin() *Policy {
	p, err := Parse(builtinSource)
	if err != nil {
		panic("policy: the built-in policy does not compile: " + err.Error())
	}
	return p
}

// Decide checks the evidence against the requirements that the rules yield for f.
func (p *Policy) Decide(f Facts, e Evidence) *Decision {
	if p.closed != nil {
		return p.closedDecision()
	}
	d := &Decision{Policy: string(p.Digest), Rules: []string{}, Requirements: []Status{}}
	reqs, maxAge := p.requirements(&f, d)
	if maxAge > 0 {
		d.MaxApprovalAge = duration(maxAge)
	}
	if e.Now.IsZero() {
		e.Now = time.Now()
	}
	m := newMatching(p, &f, &e, reqs, maxAge, d)
	m.run()
	// The floor: a release always rests on someone's approval or signature. The parser
	// keeps any policy from asking for less (the default rule asks for people, and applies
	// unless a rule that asks for people does); this holds even if that ever changes.
	d.Allowed = slices.ContainsFunc(reqs, func(r Requirement) bool { return r.Kind != KindRelease })
	if !d.Allowed {
		d.AddNote(i18n.Msg("the rules that apply (%s) ask for no approval and no signature: no letter is released without one", strings.Join(d.Rules, ", ")))
	}
	// A letter created before the policy declared its classes and tags (or by a server that
	// had not loaded it yet) can carry one the policy does not know: a misspelt class matches
	// none of its rules and would leave under the default rule, what declaring them prevents.
	if err := p.CheckLabels(f.Class, f.Tags); err != nil {
		d.Allowed = false
		d.AddNote(i18n.Msg("%v: the policy in force was not written for such a letter, which is not released under it; create it again with one it declares", err))
	}
	for i, r := range reqs {
		st := Status{Requirement: r, By: m.counted(i)}
		st.Missing = r.Need - len(st.By)
		if st.Missing > 0 {
			d.Allowed = false
		}
		d.Requirements = append(d.Requirements, st)
	}
	m.explain()
	return d
}

// requirements evaluates the rules for f and merges the requirements of those that apply:
// for the same kind and role or group the larger count wins, and the smallest maximum age of
// approvals holds. The default rule applies unless another rule that asks for people
// (approvals or signatures) does: a rule asking only for a release officer or an age limit
// adds to the default, never replaces it, since the drafter chooses the tags such rules
// test. A rule whose condition could not be evaluated applies too, without keeping the
// default away. The names of the rules that applied, and any condition that could not be
// evaluated, go into d.
func (p *Policy) requirements(f *Facts, d *Decision) ([]Requirement, time.Duration) {
	act := newActivation(f)
	var reqs []Requirement
	var maxAge time.Duration
	people := false
	// keepsDefault is false for a rule whose condition could not be evaluated: it applies
	// (fail-closed), but only a rule known to match may replace the default, or a condition
	// erring on some letters (`letter.tags[0]` on one without tags, the cost limit reached
	// with the addressees a drafter chose) would take the default's requirements from them.
	apply := func(r *rule, keepsDefault bool) {
		d.Rules = append(d.Rules, r.name)
		people = people || keepsDefault && r.asksForPeople()
		for _, q := range r.require {
			i := slices.IndexFunc(reqs, func(o Requirement) bool {
				return o.Kind == q.Kind && o.Role == q.Role && o.Group == q.Group
			})
			if i < 0 {
				q.Rules = []string{r.name}
				reqs = append(reqs, q)
				continue
			}
			reqs[i].Need = max(reqs[i].Need, q.Need)
			reqs[i].Rules = append(reqs[i].Rules, r.name)
		}
		if r.maxAge > 0 && (maxAge == 0 || r.maxAge < maxAge) {
			maxAge = r.maxAge
		}
	}
	for _, r := range p.rules {
		if r.when == nil {
			if !people {
				apply(r, false)
			}
			continue
		}
		ok, err := r.when.holds(act)
		if err != nil {
			d.AddNote(i18n.Msg("the condition of rule %s could not be evaluated (%v): its requirements apply", r.name, err))
			apply(r, false)
			continue
		}
		if ok {
			apply(r, true)
		}
	}
	// Approvals first, then signatures, then the release; in each, the order of the rules.
	slices.SortStableFunc(reqs, func(a, b Requirement) int { return kindOrder(a.Kind) - kindOrder(b.Kind) })
	return reqs, maxAge
}

// kindOrder orders requirements: approvals, signatures, the release.
func kindOrder(kind string) int {
	switch kind {
	case KindApproval:
		return 0
	case KindSignature:
		return 1
	}
	return 2
}
