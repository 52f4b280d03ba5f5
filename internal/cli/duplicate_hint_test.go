package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
)

// TestDuplicateProposalHint: a proposal asking what a pending change asks is refused naming
// that change, but with no hint line, which every refusal of the command line carries
// (fifty-ninth session's review of 2e995df). The hint now says what to do with the change
// named: another admin approves it with 'chancery change approve N'; its own proposer may
// withdraw it.
func TestDuplicateProposalHint(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	ada, err := o.reg.AddMember(ctx, o.actors["root"], "ada", []string{registry.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	o.add("ada", ada)
	src := []byte("two_admins: true\nversion: 1\nname: two\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n")
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.AdoptPolicy(ctx, o.actors["root"], p, src); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := o.run("root", "member", "token", "sam"); code != cli.ExitProposed {
		t.Fatalf("member token sam under two_admins: status %d\n%s%s, want it proposed", code, out, errs)
	}
	for _, tc := range []struct{ who, want string }{
		{"ada", "chancery: hint: 'chancery change show 1' shows it; carry it out with 'chancery change approve 1'\n"},
		{"root", "chancery: hint: another admin carries it out with 'chancery change approve 1'; you can withdraw it with 'chancery change refuse 1'\n"},
	} {
		code, _, errs := o.run(tc.who, "member", "token", "sam")
		if code != cli.ExitError || !strings.Contains(errs, "chancery: error: ") || !strings.HasSuffix(errs, tc.want) {
			t.Errorf("%s's duplicate proposal: status %d\n%s\nwant the hint %q", tc.who, code, errs, tc.want)
		}
	}
}
