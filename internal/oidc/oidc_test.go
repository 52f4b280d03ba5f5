package oidc

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseRoleMap(t *testing.T) {
	m, err := ParseRoleMap(" chancery-signers=signer, chancery-admins=admin,chancery-admins=reviewer,a=b=drafter ")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Roles([]string{"chancery-admins", "canteen", "chancery-signers", "chancery-admins"}); !slices.Equal(got, []string{"admin", "reviewer", "signer"}) {
		t.Errorf("roles: %v", got)
	}
	if got := m.Roles([]string{"a=b"}); !slices.Equal(got, []string{"drafter"}) {
		t.Errorf("a value with '=': %v", got)
	}
	if got := m.Roles([]string{"Chancery-Signers"}); got != nil {
		t.Errorf("values are compared exactly, got %v", got)
	}
	if got := m.AllRoles(); !slices.Equal(got, []string{"admin", "drafter", "reviewer", "signer"}) {
		t.Errorf("all roles: %v", got)
	}
	for _, bad := range []string{"", ",", "signers", "=signer", "signers="} {
		if _, err := ParseRoleMap(bad); err == nil {
			t.Errorf("ParseRoleMap(%q) accepted", bad)
		}
	}
}

func TestClaimValues(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want []string
	}{
		{[]any{"a", "b", 3, nil}, []string{"a", "b"}},
		{"a b,c", []string{"a b,c"}},
		{"", nil},
		{map[string]any{"a": 1}, nil},
		{nil, nil},
	} {
		if got := ClaimValues(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("ClaimValues(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// FuzzParseFlow: the flow cookie comes back from the browser; whatever it holds, ParseFlow
// either refuses it or returns a flow that encodes back to the same value.
func FuzzParseFlow(f *testing.F) {
	f.Add(Flow{State: "s", Nonce: "n", Verifier: "v"}.Encode())
	f.Add("..")
	f.Add("a.b")
	f.Add("a.b.c.d")
	f.Fuzz(func(t *testing.T, s string) {
		fl, err := ParseFlow(s)
		if err != nil {
			return
		}
		if fl.Encode() != s || fl.State == "" || fl.Nonce == "" || fl.Verifier == "" || strings.Contains(fl.State, ".") {
			t.Errorf("ParseFlow(%q) = %+v", s, fl)
		}
	})
}

// TestEmailNamesOnlyWhenVerified: with the name claim "email", a sign-in is refused unless the
// provider says it verified the address; other name claims do not depend on it.
func TestEmailNamesOnlyWhenVerified(t *testing.T) {
	rm, _ := ParseRoleMap("chancery-reviewers=reviewer")
	for _, tc := range []struct {
		nameClaim string
		verified  any
		ok        bool
	}{
		{"email", true, true},
		{"email", "true", true},
		{"email", false, false},
		{"email", "false", false},
		{"email", nil, false},
		{"preferred_username", nil, true},
	} {
		p := &Provider{cfg: Config{NameClaim: tc.nameClaim, RolesClaim: "groups", RoleMap: rm}}
		claims := map[string]any{"email": "olga@tfn.example", "preferred_username": "olga", "groups": []any{"chancery-reviewers"}}
		if tc.verified != nil {
			claims["email_verified"] = tc.verified
		}
		id, err := p.identity("sub-1", claims)
		if tc.ok != (err == nil) {
			t.Errorf("name claim %s, email_verified %v: %+v, %v", tc.nameClaim, tc.verified, id, err)
		}
		if err != nil && !errors.Is(err, ErrRefused) {
			t.Errorf("name claim %s, email_verified %v: %v, want ErrRefused", tc.nameClaim, tc.verified, err)
		}
	}
	p := &Provider{cfg: Config{NameClaim: "preferred_username", RolesClaim: "groups", RoleMap: rm}}
	if id, err := p.identity("", map[string]any{"preferred_username": "olga"}); !errors.Is(err, ErrRefused) {
		t.Errorf("a token with no subject: %+v, %v", id, err)
	}
}
