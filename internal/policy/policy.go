// Package policy decides whether a letter may be released: it turns a policy's rules into
// requirements (approvals by role, signatures by role) and checks the evidence (who approved,
// who signed) against them, with a reason for every requirement, met or not. The release gate,
// the CLI's errors and the API all show the same Decision.
//
// The two-person rule holds for every policy: one person counts once across all the
// requirements of a release, and never for a letter they drafted.
package policy

import (
	"fmt"
	"strings"

	"github.com/chancery/chancery/internal/seal"
)

// Facts are what a policy knows of a letter.
type Facts struct {
	Reference  string
	Class      string
	Tags       []string
	Addressees []string
	Subject    string
	MediaType  string
	Size       int64
	// Authors are everyone who drafted the letter: its creator and the author of every
	// version. None of them counts for its release.
	Authors []string
}

func (f Facts) drafted(name string) bool {
	for _, a := range f.Authors {
		if a == name {
			return true
		}
	}
	return false
}

// Evidence is who has acted on the version being released. Each person appears once per
// list; Roles are the roles the person holds.
type Evidence struct {
	Approvals  []Actor
	Signatures []Actor
}

// Actor is a person who approved or signed.
type Actor struct {
	Name  string
	Roles []string
}

func (a Actor) has(role string) bool {
	for _, r := range a.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Requirement is one thing a release needs.
type Requirement struct {
	// Kind is "approval" or "signature".
	Kind string `json:"kind"`
	Role string `json:"role"`
	Need int    `json:"need"`
}

func (r Requirement) String() string {
	noun := "approval"
	if r.Kind == "signature" {
		noun = "signature"
	}
	if r.Need != 1 {
		noun += "s"
	}
	return fmt.Sprintf("%d %s by a %s", r.Need, noun, r.Role)
}

// Status is a requirement with the people counted for it.
type Status struct {
	Requirement
	By      []string `json:"by"`
	Missing int      `json:"missing"`
}

// Decision is the answer for one release.
type Decision struct {
	Allowed      bool     `json:"allowed"`
	Policy       string   `json:"policy"` // the policy's digest
	Requirements []Status `json:"requirements"`
	// Notes explain evidence that did not count (the author, a person already counted).
	Notes []string `json:"notes,omitempty"`
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

// Policy turns facts into requirements.
type Policy struct {
	Name   string
	Digest seal.Digest
	rules  func(Facts) []Requirement
}

// Builtin is the policy in force until an office adopts its own: one approval by a reviewer
// and one signature by a signer, neither by the letter's author nor by the same person.
func Builtin() *Policy {
	const text = "chancery builtin policy v1\napproval reviewer 1\nsignature signer 1\n"
	return &Policy{
		Name:   "builtin",
		Digest: seal.DigestOf([]byte(text)),
		rules: func(Facts) []Requirement {
			return []Requirement{{Kind: "approval", Role: "reviewer", Need: 1}, {Kind: "signature", Role: "signer", Need: 1}}
		},
	}
}

// Decide checks the evidence against the requirements for f.
func (p *Policy) Decide(f Facts, e Evidence) *Decision {
	reqs := p.rules(f)
	d := &Decision{Policy: string(p.Digest)}
	// Slots: one per needed person per requirement. Candidates: the eligible people.
	type slot struct{ req int }
	var slots []slot
	for i, r := range reqs {
		for range r.Need {
			slots = append(slots, slot{i})
		}
	}
	eligible := func(s slot, a Actor) bool {
		r := reqs[s.req]
		return !f.drafted(a.Name) && a.has(r.Role)
	}
	candidates := func(r Requirement) []Actor {
		if r.Kind == "signature" {
			return e.Signatures
		}
		return e.Approvals
	}
	noted := map[string]bool{}
	for _, a := range append(append([]Actor(nil), e.Approvals...), e.Signatures...) {
		if f.drafted(a.Name) && !noted[a.Name] {
			noted[a.Name] = true
			d.Notes = append(d.Notes, fmt.Sprintf("%s drafted the letter and cannot count for its release", a.Name))
		}
	}
	// Maximum bipartite matching of people to slots (augmenting paths), so that each person
	// counts once and as many requirements as possible are met.
	match := make([]string, len(slots)) // slot -> person
	people := map[string]bool{}
	for _, r := range reqs {
		for _, a := range candidates(r) {
			people[a.Name] = true
		}
	}
	assigned := map[string]int{} // person -> slot
	var augment func(name string, seen map[int]bool) bool
	augment = func(name string, seen map[int]bool) bool {
		for si, s := range slots {
			if seen[si] {
				continue
			}
			ok := false
			for _, a := range candidates(reqs[s.req]) {
				if a.Name == name && eligible(s, a) {
					ok = true
					break
				}
			}
			if !ok {
				continue
			}
			seen[si] = true
			if match[si] == "" || augment(match[si], seen) {
				match[si] = name
				assigned[name] = si
				return true
			}
		}
		return false
	}
	names := make([]string, 0, len(people))
	for _, r := range reqs {
		for _, a := range candidates(r) {
			if people[a.Name] {
				names = append(names, a.Name)
				delete(people, a.Name)
			}
		}
	}
	for _, n := range names {
		augment(n, map[int]bool{})
	}
	d.Allowed = true
	for i, r := range reqs {
		st := Status{Requirement: r}
		for si, s := range slots {
			if s.req == i && match[si] != "" {
				st.By = append(st.By, match[si])
			}
		}
		st.Missing = r.Need - len(st.By)
		if st.Missing > 0 {
			d.Allowed = false
		}
		d.Requirements = append(d.Requirements, st)
	}
	// Explain every approval or signature that was given but not counted.
	for _, r := range []struct {
		kind   string
		actors []Actor
	}{{"approval", e.Approvals}, {"signature", e.Signatures}} {
		for _, a := range r.actors {
			if f.drafted(a.Name) || countedFor(d, r.kind, a.Name) {
				continue
			}
			if _, ok := assigned[a.Name]; ok {
				d.Notes = append(d.Notes, fmt.Sprintf("the %s by %s does not count: %s is already counted for another requirement (two-person rule)", r.kind, a.Name, a.Name))
			} else {
				d.Notes = append(d.Notes, fmt.Sprintf("the %s by %s does not count: no remaining requirement needs a %s from their roles", r.kind, a.Name, r.kind))
			}
		}
	}
	return d
}

func countedFor(d *Decision, kind, name string) bool {
	for _, st := range d.Requirements {
		if st.Kind != kind {
			continue
		}
		for _, n := range st.By {
			if n == name {
				return true
			}
		}
	}
	return false
}

// Explain is a one-line summary of what is missing, for errors.
func (d *Decision) Explain() string {
	m := d.Missing()
	if len(m) == 0 {
		return "every requirement is met"
	}
	return "missing " + strings.Join(m, ", ")
}
