package policy

import (
	"slices"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/i18n"
)

// kinds are the kinds of evidence, indexed as in person.ev.
var kinds = [...]string{KindApproval, KindSignature, KindRelease}

// person is one name across the evidence, with what they gave of each kind.
type person struct {
	name string
	ev   [len(kinds)]*Actor
	// dup counts evidence of each kind given again under the same name.
	dup [len(kinds)]int
}

// matching assigns people to requirements so that each person counts once across all of
// them and as many needed people as possible are found: a maximum bipartite matching of
// people to requirements of capacity Need, grown by augmenting paths.
type matching struct {
	p      *Policy
	f      *Facts
	e      *Evidence
	reqs   []Requirement
	maxAge time.Duration
	d      *Decision

	people   []*person
	eligible [][]int // person -> requirements they can count for
	assigned []int   // person -> requirement, or -1
	holders  [][]int // requirement -> people counted for it
	seen     []bool  // requirements visited by the current search
}

func newMatching(p *Policy, f *Facts, e *Evidence, reqs []Requirement, maxAge time.Duration, d *Decision) *matching {
	m := &matching{p: p, f: f, e: e, reqs: reqs, maxAge: maxAge, d: d,
		holders: make([][]int, len(reqs)), seen: make([]bool, len(reqs))}
	index := map[string]int{}
	add := func(k int, a *Actor) {
		i, ok := index[a.Name]
		if !ok {
			i = len(m.people)
			index[a.Name] = i
			m.people = append(m.people, &person{name: a.Name})
		}
		if m.people[i].ev[k] != nil {
			m.people[i].dup[k]++
			return
		}
		m.people[i].ev[k] = a
	}
	for i := range e.Approvals {
		add(0, &e.Approvals[i])
	}
	for i := range e.Signatures {
		add(1, &e.Signatures[i])
	}
	// The releaser is evidence only where a rule asks for a release officer.
	if e.Releaser != nil && slices.ContainsFunc(reqs, func(r Requirement) bool { return r.Kind == KindRelease }) {
		add(2, e.Releaser)
	}
	m.eligible = make([][]int, len(m.people))
	m.assigned = make([]int, len(m.people))
	for pi, ps := range m.people {
		m.assigned[pi] = -1
		for ri := range reqs {
			if m.eligibleFor(ps, ri) {
				m.eligible[pi] = append(m.eligible[pi], ri)
			}
		}
	}
	return m
}

// kindIndex is the index of kind in kinds.
func kindIndex(kind string) int {
	return slices.Index(kinds[:], kind)
}

// eligibleFor reports whether ps can count for requirement ri.
func (m *matching) eligibleFor(ps *person, ri int) bool {
	r := m.reqs[ri]
	a := ps.ev[kindIndex(r.Kind)]
	if a == nil || m.f.drafted(ps.name) {
		return false
	}
	if r.Kind == KindApproval && m.stale(a).Key != "" {
		return false
	}
	if r.Group != "" {
		return slices.Contains(m.p.groups[r.Group], ps.name)
	}
	return slices.Contains(a.Roles, r.Role)
}

// stale says why approval a is too old to count, or is the zero message if it is not.
func (m *matching) stale(a *Actor) i18n.Message {
	switch {
	case m.maxAge == 0:
		return i18n.Message{}
	case a.At.IsZero():
		return i18n.Msg("it has no time, and approvals count for %s (max_approval_age)", duration(m.maxAge))
	case a.At.Sub(m.e.Now) > MaxClockSkew:
		return i18n.Msg("it is dated %s, after the time of this decision (%s): the clock that dated it was wrong, and its age is not known (max_approval_age)",
			a.At.UTC().Format(time.RFC3339), m.e.Now.UTC().Format(time.RFC3339))
	case m.e.Now.Sub(a.At) > m.maxAge:
		return i18n.Msg("it is %s old, and approvals count for %s (max_approval_age)", duration(m.e.Now.Sub(a.At).Round(time.Second)), duration(m.maxAge))
	}
	return i18n.Message{}
}

// run grows the matching from each person in turn; a person for whom no augmenting path
// exists now will not find one later, so one pass gives a maximum matching.
func (m *matching) run() {
	unmet := 0
	for _, r := range m.reqs {
		unmet += r.Need
	}
	for pi := range m.people {
		if unmet == 0 {
			return
		}
		if len(m.eligible[pi]) == 0 {
			continue
		}
		clear(m.seen)
		if m.augment(pi) {
			unmet--
		}
	}
}

// augment finds room for person pi: a requirement they can count for that still needs
// someone, or one whose holder can move to another requirement to make room.
func (m *matching) augment(pi int) bool {
	for _, ri := range m.eligible[pi] {
		if m.seen[ri] {
			continue
		}
		m.seen[ri] = true
		if len(m.holders[ri]) < m.reqs[ri].Need {
			m.holders[ri] = append(m.holders[ri], pi)
			m.assigned[pi] = ri
			return true
		}
		for hi, q := range m.holders[ri] {
			if m.augment(q) {
				m.holders[ri][hi] = pi
				m.assigned[pi] = ri
				return true
			}
		}
	}
	return false
}

// counted names the people counted for requirement ri, in the order of the evidence.
func (m *matching) counted(ri int) []string {
	h := slices.Clone(m.holders[ri])
	slices.Sort(h)
	out := make([]string, 0, len(h))
	for _, pi := range h {
		out = append(out, m.people[pi].name)
	}
	return out
}

// explain adds a note for every piece of evidence that did not count.
func (m *matching) explain() {
	for _, ps := range m.people {
		if m.f.drafted(ps.name) {
			m.d.AddNote(i18n.Msg("%s drafted the letter and cannot count for its release", ps.name))
		}
	}
	for k, kind := range kinds {
		for pi, ps := range m.people {
			a := ps.ev[k]
			if a == nil || m.f.drafted(ps.name) {
				continue
			}
			if ps.dup[k] > 0 {
				m.d.AddNote(i18n.Msg("%s by %s was given %d more times and counts once at most", theKind(kind), ps.name, ps.dup[k]))
			}
			ri := m.assigned[pi]
			if ri >= 0 && m.reqs[ri].Kind == kind {
				continue
			}
			if why := m.stale(a); kind == KindApproval && why.Key != "" {
				m.note(kind, ps.name, why)
				continue
			}
			could := slices.ContainsFunc(m.eligible[pi], func(rj int) bool { return m.reqs[rj].Kind == kind })
			switch {
			case ri >= 0:
				m.note(kind, ps.name, i18n.Msg("%s already counts for %s by %s (two-person rule)", ps.name, theKind(m.reqs[ri].Kind), whoMessage(m.reqs[ri], false)))
			case could:
				m.note(kind, ps.name, i18n.Msg("the requirements it could count for are met by others"))
			case kind == KindRelease:
				m.note(kind, ps.name, i18n.Msg("%s does not hold the %s role", ps.name, RoleRelease))
			default:
				m.note(kind, ps.name, i18n.Msg("no requirement asks for %s from their roles or groups", aKind(kind)))
			}
		}
	}
}

// note explains why the evidence of kind by name did not count.
func (m *matching) note(kind, name string, why i18n.Message) {
	m.d.AddNote(i18n.Msg("%s by %s does not count: %s", theKind(kind), name, why))
}

// duration writes d without zero minutes and seconds: 72h, 1h30m.
func duration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
