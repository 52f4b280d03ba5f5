package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// The world of the property test: few people, roles, groups and tags, so that overlaps are
// common and the brute force stays small.
var (
	propPeople = []string{"ann", "ben", "cy", "dee", "eve"}
	propRoles  = []string{"r0", "r1", RoleRelease}
	propGroups = []string{"g0", "g1"}
	propTags   = []string{"t0", "t1", "t2"}
	propAges   = []time.Duration{0, 90 * time.Minute, 150 * time.Minute, 4 * time.Hour}
)

// modelReq is a requirement as the test computes it, independently of the package.
type modelReq struct {
	kind, role, group string
	need              int
}

// modelRule is a generated rule: it applies when the letter has its tag (the default rule
// has none).
type modelRule struct {
	name   string
	tag    string
	reqs   []modelReq
	maxAge time.Duration
}

func drawSubset(t *rapid.T, of []string, label string, nonEmpty bool) []string {
	for {
		var out []string
		for _, x := range of {
			if rapid.Bool().Draw(t, label+" "+x) {
				out = append(out, x)
			}
		}
		if len(out) > 0 || !nonEmpty {
			return out
		}
	}
}

func drawRule(t *rapid.T, name string, isDefault bool, groups map[string][]string) modelRule {
	r := modelRule{name: name}
	if !isDefault {
		r.tag = rapid.SampledFrom(propTags).Draw(t, name+" tag")
	}
	// Another rule may ask for no people: only a release officer, an age limit or both.
	least := 1
	if !isDefault {
		least = 0
	}
	n := rapid.IntRange(least, 3).Draw(t, name+" requirements")
	for i := range n {
		q := modelReq{kind: rapid.SampledFrom([]string{KindApproval, KindSignature}).Draw(t, fmt.Sprint(name, " kind ", i))}
		limit := 2
		if rapid.Bool().Draw(t, fmt.Sprint(name, " by group ", i)) {
			q.group = rapid.SampledFrom(propGroups).Draw(t, fmt.Sprint(name, " group ", i))
			limit = min(limit, len(groups[q.group]))
		} else {
			q.role = rapid.SampledFrom(propRoles).Draw(t, fmt.Sprint(name, " role ", i))
		}
		q.need = rapid.IntRange(1, limit).Draw(t, fmt.Sprint(name, " count ", i))
		if !slices.ContainsFunc(r.reqs, func(o modelReq) bool { return o.kind == q.kind && o.role == q.role && o.group == q.group }) {
			r.reqs = append(r.reqs, q)
		}
	}
	if !isDefault && rapid.IntRange(0, 3).Draw(t, name+" release officer") == 0 {
		r.reqs = append(r.reqs, modelReq{kind: KindRelease, role: RoleRelease, need: 1})
	}
	if rapid.Bool().Draw(t, name+" has max age") {
		r.maxAge = time.Duration(rapid.IntRange(1, 3).Draw(t, name+" max age")) * time.Hour
	}
	if len(r.reqs) == 0 && r.maxAge == 0 {
		r.reqs = append(r.reqs, modelReq{kind: KindRelease, role: RoleRelease, need: 1})
	}
	return r
}

// policyText writes the generated policy as a file.
func policyText(groups map[string][]string, rules []modelRule) string {
	var b strings.Builder
	b.WriteString("version: 1\nname: prop\ngroups:\n")
	for _, g := range propGroups {
		fmt.Fprintf(&b, "  %s: [%s]\n", g, strings.Join(groups[g], ", "))
	}
	b.WriteString("rules:\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "  - name: %s\n", r.name)
		if r.tag == "" {
			b.WriteString("    default: true\n")
		} else {
			fmt.Fprintf(&b, "    when: '%q in letter.tags'\n", r.tag)
		}
		b.WriteString("    require:\n")
		for _, kind := range []string{KindApproval, KindSignature} {
			var items []string
			for _, q := range r.reqs {
				switch {
				case q.kind != kind:
				case q.group != "":
					items = append(items, fmt.Sprintf("{group: %s, count: %d}", q.group, q.need))
				default:
					items = append(items, fmt.Sprintf("{role: %s, count: %d}", q.role, q.need))
				}
			}
			if items != nil {
				fmt.Fprintf(&b, "      %ss: [%s]\n", kind, strings.Join(items, ", "))
			}
		}
		if slices.ContainsFunc(r.reqs, func(q modelReq) bool { return q.kind == KindRelease }) {
			b.WriteString("      release_officer: true\n")
		}
		if r.maxAge > 0 {
			fmt.Fprintf(&b, "      max_approval_age: %s\n", r.maxAge)
		}
	}
	return b.String()
}

func drawActors(t *rapid.T, label string, aged bool) []Actor {
	var out []Actor
	for _, name := range rapid.Permutation(propPeople).Draw(t, label+" order") {
		if !rapid.Bool().Draw(t, label+" "+name) {
			continue
		}
		a := Actor{Name: name, Roles: drawSubset(t, propRoles, label+" roles of "+name, false), At: now}
		if aged {
			if rapid.IntRange(0, 9).Draw(t, label+" no time "+name) == 0 {
				a.At = time.Time{}
			} else {
				a.At = now.Add(-rapid.SampledFrom(propAges).Draw(t, label+" age "+name))
			}
		}
		out = append(out, a)
	}
	return out
}

// TestDecideProperty checks Decide against a brute force over small worlds: the rules that
// apply and their merged requirements are as the format says, everyone counted is eligible and
// counted once, and the number of people counted is the largest any assignment achieves, so
// that Decide allows exactly when some assignment of distinct eligible people meets every
// requirement.
func TestDecideProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		groups := map[string][]string{}
		for _, g := range propGroups {
			groups[g] = drawSubset(t, propPeople, "members of "+g, true)
		}
		var rules []modelRule
		for i := range rapid.IntRange(0, 4).Draw(t, "rules") {
			rules = append(rules, drawRule(t, fmt.Sprint("rule", i), false, groups))
		}
		rules = append(rules, drawRule(t, "default", true, groups))
		src := policyText(groups, rules)
		p, err := Parse([]byte(src))
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, src)
		}
		f := Facts{Tags: drawSubset(t, propTags, "tag", false)}
		if rapid.Bool().Draw(t, "has author") {
			f.Author = rapid.SampledFrom(propPeople).Draw(t, "author")
		}
		if rapid.Bool().Draw(t, "has another drafter") {
			f.Authors = []string{rapid.SampledFrom(propPeople).Draw(t, "drafter")}
		}
		e := Evidence{Now: now, Approvals: drawActors(t, "approval", true), Signatures: drawActors(t, "signature", false)}
		if rapid.Bool().Draw(t, "has releaser") {
			e.Releaser = &Actor{Name: rapid.SampledFrom(propPeople).Draw(t, "releaser"),
				Roles: drawSubset(t, propRoles, "releaser roles", false)}
		}

		d := p.Decide(f, e)

		// The model: the rules that apply, merged; the default unless a rule that asks for
		// approvals or signatures applies.
		var applied []string
		var reqs []modelReq
		var maxAge time.Duration
		people := false
		for _, r := range rules {
			if r.tag == "" && people || r.tag != "" && !slices.Contains(f.Tags, r.tag) {
				continue
			}
			applied = append(applied, r.name)
			people = people || slices.ContainsFunc(r.reqs, func(q modelReq) bool { return q.kind != KindRelease })
			for _, q := range r.reqs {
				i := slices.IndexFunc(reqs, func(o modelReq) bool { return o.kind == q.kind && o.role == q.role && o.group == q.group })
				if i < 0 {
					reqs = append(reqs, q)
				} else {
					reqs[i].need = max(reqs[i].need, q.need)
				}
			}
			if r.maxAge > 0 && (maxAge == 0 || r.maxAge < maxAge) {
				maxAge = r.maxAge
			}
		}
		if !slices.Equal(d.Rules, applied) {
			t.Fatalf("rules %q, model %q", d.Rules, applied)
		}
		var got []modelReq
		for _, s := range d.Requirements {
			got = append(got, modelReq{s.Kind, s.Role, s.Group, s.Need})
		}
		if len(got) != len(reqs) || !slices.EqualFunc(got, reqs, func(a, b modelReq) bool { return slices.Contains(reqs, a) && slices.Contains(got, b) }) {
			t.Fatalf("requirements %v, model %v", got, reqs)
		}
		if (maxAge == 0) != (d.MaxApprovalAge == "") {
			t.Fatalf("max age %q, model %s", d.MaxApprovalAge, maxAge)
		}

		// Eligibility, independently.
		evidence := func(kind, name string) *Actor {
			var list []Actor
			switch kind {
			case KindApproval:
				list = e.Approvals
			case KindSignature:
				list = e.Signatures
			default:
				if e.Releaser != nil && e.Releaser.Name == name {
					return e.Releaser
				}
			}
			for i := range list {
				if list[i].Name == name {
					return &list[i]
				}
			}
			return nil
		}
		eligible := func(name string, q modelReq) bool {
			a := evidence(q.kind, name)
			if a == nil || name == f.Author || slices.Contains(f.Authors, name) {
				return false
			}
			if q.kind == KindApproval && maxAge > 0 && (a.At.IsZero() || now.Sub(a.At) > maxAge) {
				return false
			}
			if q.group != "" {
				return slices.Contains(groups[q.group], name)
			}
			return slices.Contains(a.Roles, q.role)
		}

		// Decide's assignment is valid.
		total, counted := 0, 0
		seen := map[string]bool{}
		for _, s := range d.Requirements {
			q := modelReq{s.Kind, s.Role, s.Group, s.Need}
			total += s.Need
			counted += len(s.By)
			if len(s.By) > s.Need || s.Missing != s.Need-len(s.By) {
				t.Fatalf("%v: by %q, missing %d", q, s.By, s.Missing)
			}
			for _, n := range s.By {
				if seen[n] || !eligible(n, q) {
					t.Fatalf("%s counted twice or not eligible for %v: %+v", n, q, d)
				}
				seen[n] = true
			}
		}

		// The brute force: the largest number of slots any assignment of people fills.
		best := 0
		load := make([]int, len(reqs))
		var try func(i, filled int)
		try = func(i, filled int) {
			if i == len(propPeople) {
				best = max(best, filled)
				return
			}
			try(i+1, filled)
			for j, q := range reqs {
				if load[j] < q.need && eligible(propPeople[i], q) {
					load[j]++
					try(i+1, filled+1)
					load[j]--
				}
			}
		}
		try(0, 0)
		if counted != best {
			t.Fatalf("counted %d people, an assignment counts %d: %+v\n%s", counted, best, d, src)
		}
		if d.Allowed != (best == total) {
			t.Fatalf("allowed=%v, but the best assignment fills %d of %d", d.Allowed, best, total)
		}

		// Every piece of evidence that did not count is explained.
		for _, q := range []struct {
			kind   string
			actors []Actor
		}{{KindApproval, e.Approvals}, {KindSignature, e.Signatures}} {
			for _, a := range q.actors {
				if slices.ContainsFunc(d.Requirements, func(s Status) bool { return s.Kind == q.kind && slices.Contains(s.By, a.Name) }) {
					continue
				}
				if !slices.ContainsFunc(d.Notes, func(n string) bool {
					return strings.HasPrefix(n, fmt.Sprintf("the %s by %s ", q.kind, a.Name)) || n == a.Name+" drafted the letter and cannot count for its release"
				}) {
					t.Fatalf("the %s by %s is not counted and not explained: %q", q.kind, a.Name, d.Notes)
				}
			}
		}
	})
}
