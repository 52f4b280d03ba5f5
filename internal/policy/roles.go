package policy

import "slices"

// Roles returns the roles the policy's requirements name, sorted: an office's own roles (legal,
// public-affairs, …) exist because its policy asks for them, so the registry accepts for its
// members exactly the core roles and these.
func (p *Policy) Roles() []string {
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
