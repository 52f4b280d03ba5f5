package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
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
	adoptTwoAdmins(t, o)
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

// TestDuplicateWitnessProposalHint: a witness change (add, quorum) proposed again under
// two_admins was refused naming the pending change, but witnessErr's hint for any conflict
// came first: "a witness has one name and one key: 'chancery witness list' shows them", for
// a duplicate of the quorum too (fifty-ninth session's review of c13a1e1). It gets the
// duplicate's hint, as the member commands' refusals do.
func TestDuplicateWitnessProposalHint(t *testing.T) {
	ctx := context.Background()
	o := newOfficeWith(t, func(db *store.DB, lg *translog.Log) *cosigned.Heads {
		h, err := cosigned.Open(ctx, db, lg)
		if err != nil {
			t.Fatal(err)
		}
		return h
	})
	ada, err := o.reg.AddMember(ctx, o.actors["root"], "ada", []string{registry.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	o.add("ada", ada)
	key, err := witness.LoadKey(t.TempDir(), "witness.dup.example")
	if err != nil {
		t.Fatal(err)
	}
	adoptTwoAdmins(t, o)
	for _, tc := range []struct {
		args []string
		id   string
	}{
		{[]string{"witness", "add", "dup", "--url", "http://127.0.0.1:9/", "--key", key.VerifierKey()}, "1"},
		{[]string{"witness", "quorum", "1"}, "2"},
	} {
		if code, out, errs := o.run("root", tc.args...); code != cli.ExitProposed {
			t.Fatalf("%v under two_admins: status %d\n%s%s, want it proposed", tc.args, code, out, errs)
		}
		for _, w := range []struct{ who, want string }{
			{"ada", "chancery: hint: 'chancery change show " + tc.id + "' shows it; carry it out with 'chancery change approve " + tc.id + "'\n"},
			{"root", "chancery: hint: another admin carries it out with 'chancery change approve " + tc.id + "'; you can withdraw it with 'chancery change refuse " + tc.id + "'\n"},
		} {
			code, _, errs := o.run(w.who, tc.args...)
			if code != cli.ExitError || !strings.Contains(errs, "already") || !strings.HasSuffix(errs, w.want) {
				t.Errorf("%s's duplicate %v: status %d\n%s\nwant the hint %q", w.who, tc.args, code, errs, w.want)
			}
		}
	}
}
