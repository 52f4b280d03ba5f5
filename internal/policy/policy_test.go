package policy

import (
	"slices"
	"testing"
)

func TestBuiltin(t *testing.T) {
	p := Builtin()
	f := Facts{Reference: "X-1", Authors: []string{"drafter"}}
	rev := Actor{Name: "rita", Roles: []string{"reviewer"}}
	sig := Actor{Name: "sam", Roles: []string{"signer"}}
	both := Actor{Name: "bo", Roles: []string{"reviewer", "signer"}}
	author := Actor{Name: "drafter", Roles: []string{"reviewer", "signer", "drafter"}}
	for _, tc := range []struct {
		name    string
		e       Evidence
		allowed bool
		missing []string
	}{
		{"nothing", Evidence{}, false, []string{"1 approval by a reviewer", "1 signature by a signer"}},
		{"approval and signature", Evidence{Approvals: []Actor{rev}, Signatures: []Actor{sig}}, true, nil},
		{"signature only", Evidence{Signatures: []Actor{sig}}, false, []string{"1 approval by a reviewer"}},
		{"one person both", Evidence{Approvals: []Actor{both}, Signatures: []Actor{both}}, false, []string{"1 signature by a signer"}},
		{"author both", Evidence{Approvals: []Actor{author}, Signatures: []Actor{author}}, false, []string{"1 approval by a reviewer", "1 signature by a signer"}},
		{"wrong roles", Evidence{Approvals: []Actor{sig}, Signatures: []Actor{rev}}, false, []string{"1 approval by a reviewer", "1 signature by a signer"}},
		// Matching, not greedy: bo must sign so that rita's approval counts.
		{"matching", Evidence{Approvals: []Actor{both, rev}, Signatures: []Actor{both}}, true, nil},
	} {
		d := p.Decide(f, tc.e)
		if d.Allowed != tc.allowed || !slices.Equal(d.Missing(), tc.missing) {
			t.Errorf("%s: allowed=%v missing=%q, want %v %q (notes %q)", tc.name, d.Allowed, d.Missing(), tc.allowed, tc.missing, d.Notes)
		}
	}
}
