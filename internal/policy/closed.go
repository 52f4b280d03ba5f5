package policy

import (
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/seal"
)

// Closed returns the policy in force when the file an office adopted, source (adopted under
// the name name), no longer compiles: a newer build refuses what an older one accepted. It
// allows no release (Decide says why), so that the office can still start, read and verify
// while an admin adopts a corrected policy, which the same rules govern as before: its
// two_admins and the office's own roles its rules name are read from source without
// compiling it. A source whose two_admins cannot be read at all asks for two admins while
// the office has two (TwoAdminsWith); roles that cannot be read are none.
func Closed(name string, source []byte, why error) *Policy {
	p := &Policy{Name: name, Digest: seal.DigestOf(source), groups: map[string][]string{}, closed: why}
	var admins struct {
		TwoAdmins bool `yaml:"two_admins"`
	}
	if err := yaml.Unmarshal(source, &admins); err != nil {
		p.twoAdmins, p.twoAdminsUnread = true, true
	} else {
		p.twoAdmins = admins.TwoAdmins
	}
	type named struct {
		Role string `yaml:"role"`
	}
	var rules struct {
		Rules []struct {
			Require struct {
				Approvals  []named `yaml:"approvals"`
				Signatures []named `yaml:"signatures"`
			} `yaml:"require"`
		} `yaml:"rules"`
	}
	if yaml.Unmarshal(source, &rules) == nil {
		for _, r := range rules.Rules {
			for _, q := range slices.Concat(r.Require.Approvals, r.Require.Signatures) {
				if q.Role != "" && tokenChars(q.Role) && !slices.Contains(p.closedRoles, q.Role) {
					p.closedRoles = append(p.closedRoles, q.Role)
				}
			}
		}
		slices.Sort(p.closedRoles)
	}
	return p
}

// Closed returns why p allows no release (see the function Closed), or nil.
func (p *Policy) Closed() error { return p.closed }

// closedDecision is Decide's answer under a closed policy: nothing is released.
func (p *Policy) closedDecision() *Decision {
	d := &Decision{Policy: string(p.Digest), Rules: []string{}, Requirements: []Status{}}
	d.AddNote(i18n.Msg("the policy in force (%s) does not compile with this version of Chancery (%v): nothing is released until an admin adopts a corrected policy", p.Name, p.closed))
	return d
}
