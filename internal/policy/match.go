package policy

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/lookalike"
)

// kinds are the kinds of evidence, indexed as in person.ev.
var kinds = [...]string{KindApproval, KindSignature, KindRelease}

// person is one name across the evidence, with what they gave of each kind. Names that read
// as one (lookalike.Skeleton: "rita" and "R\u0456ta", accounts stored before the registry
// refused such names) are one person: release statements, the log and the audit trail name
// people by name alone, where two such accounts would read as one person counted twice.
type person struct {
	name     string
	skeleton string // of name, and of every one of aliases
	// aliases are the other names the person's evidence was given under.
	aliases []string
	ev      [len(kinds)]*Actor
	// dup counts evidence of each kind given again under the same name, or one that reads as it.
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

	people []*person
	// drafters are the skeletons of the names of those who drafted the letter.
	drafters map[string]bool
	eligible [][]int // person -> requirements they can count for
	assigned []int   // person -> requirement, or -1
	holders  [][]int // requirement -> people counted for it
	seen     []bool  // requirements visited by the current search
}

func newMatching(p *Policy, f *Facts, e *Evidence, reqs []Requirement, maxAge time.Duration, d *Decision) *matching {
	m := &matching{p: p, f: f, e: e, reqs: reqs, maxAge: maxAge, d: d,
		holders: make([][]int, len(reqs)), seen: make([]bool, len(reqs)), drafters: map[string]bool{}}
	for _, n := range append([]string{f.Author}, f.Authors...) {
		if n != "" {
			m.drafters[nameSkeleton(n)] = true
		}
	}
	index := map[string]int{}
	add := func(k int, a *Actor) {
		sk := nameSkeleton(a.Name)
		i, ok := index[sk]
		if !ok {
			i = len(m.people)
			index[sk] = i
			m.people = append(m.people, &person{name: a.Name, skeleton: sk})
		}
		if ps := m.people[i]; a.Name != ps.name && !slices.Contains(ps.aliases, a.Name) {
			ps.aliases = append(ps.aliases, a.Name)
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
	if a == nil || m.drafted(ps) {
		return false
	}
	if r.Kind == KindApproval && m.stale(a).Key != "" {
		return false
	}
	if r.Group != "" {
		return slices.Contains(m.p.groups[r.Group], a.Name)
	}
	return slices.Contains(a.Roles, r.Role)
}

// nameSkeletons caches the skeletons of member names (lookalike.Skeleton takes microseconds,
// and every decision needs those of its evidence and its drafters): at most maxNameSkeletons
// names, so that names that are no members' (policy test cases) cannot grow it without bound.
var (
	nameSkeletons     sync.Map // name -> skeleton
	nameSkeletonCount atomic.Int64
)

const maxNameSkeletons = 1 << 14

// nameSkeleton is lookalike.Skeleton of a member name.
func nameSkeleton(name string) string {
	if sk, ok := nameSkeletons.Load(name); ok {
		return sk.(string)
	}
	sk := lookalike.Skeleton(name)
	if nameSkeletonCount.Load() < maxNameSkeletons {
		if _, loaded := nameSkeletons.LoadOrStore(name, sk); !loaded {
			nameSkeletonCount.Add(1)
		}
	}
	return sk
}

// drafted reports whether ps drafted the letter under any name that reads as theirs: a
// drafter's second account, whose name reads as the drafter's, is the drafter.
func (m *matching) drafted(ps *person) bool {
	return m.drafters[ps.skeleton]
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

// counted names the people counted for requirement ri, in the order of the evidence, each by
// the name their evidence of its kind was given under.
func (m *matching) counted(ri int) []string {
	h := slices.Clone(m.holders[ri])
	slices.Sort(h)
	out := make([]string, 0, len(h))
	for _, pi := range h {
		out = append(out, m.people[pi].ev[kindIndex(m.reqs[ri].Kind)].Name)
	}
	return out
}

// explain adds a note for every piece of evidence that did not count.
func (m *matching) explain() {
	for _, ps := range m.people {
		if len(ps.aliases) > 0 {
			m.d.AddNote(i18n.Msg("%s and %s read as one name, and count as one person", ps.name, strings.Join(ps.aliases, ", ")))
		}
		if m.drafted(ps) {
			for _, n := range append([]string{ps.name}, ps.aliases...) {
				m.d.AddNote(i18n.Msg("%s drafted the letter and cannot count for its release", n))
			}
		}
	}
	for k, kind := range kinds {
		for pi, ps := range m.people {
			a := ps.ev[k]
			if a == nil || m.drafted(ps) {
				continue
			}
			if ps.dup[k] > 0 {
				m.d.AddNote(i18n.Msg("%s by %s was given %d more times and counts once at most", theKind(kind), a.Name, ps.dup[k]))
			}
			ri := m.assigned[pi]
			if ri >= 0 && m.reqs[ri].Kind == kind {
				continue
			}
			if why := m.stale(a); kind == KindApproval && why.Key != "" {
				m.note(kind, a.Name, why)
				continue
			}
			could := slices.ContainsFunc(m.eligible[pi], func(rj int) bool { return m.reqs[rj].Kind == kind })
			switch {
			case ri >= 0:
				m.note(kind, a.Name, i18n.Msg("%s already counts for %s by %s (two-person rule)", a.Name, theKind(m.reqs[ri].Kind), whoMessage(m.reqs[ri], false)))
			case could:
				m.note(kind, a.Name, i18n.Msg("the requirements it could count for are met by others"))
			case kind == KindRelease:
				m.note(kind, a.Name, i18n.Msg("%s does not hold the %s role", a.Name, RoleRelease))
			default:
				m.note(kind, a.Name, i18n.Msg("no requirement asks for %s from their roles or groups", aKind(kind)))
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
