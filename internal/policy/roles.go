package policy

import "slices"

// Roles returns the roles the policy's requirements name, sorted: an office's own roles (legal,
// public-affairs, …) exist because its policy asks for them, so the registry accepts for its
// members exactly the core roles and these.
func (p *Policy) Roles() []string {
	if p.closed != nil {
		return slices.Clone(p.closedRoles)
	}
	var out []string
	for _, r := range p.rules {
		for _, q := range r.require {
			if q.Role != "" && !slices.Contains(out, q.Role) {
				out = append(out, q.Role)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Groups returns the policy's groups and the member names each lists (in NFC), in a new map:
// the registry checks the names against its members when it adopts the policy.
func (p *Policy) Groups() map[string][]string {
	out := make(map[string][]string, len(p.groups))
	for g, ms := range p.groups {
		out[g] = slices.Clone(ms)
	}
	return out
}
