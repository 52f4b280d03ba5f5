package cli_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestMemberAddTakesEveryRoleGiven: 'member add NAME --role admin --role reviewer' added
// the member with the last --role alone (a string flag keeps its last value), silently: the
// admin meant an admin who reviews and got a reviewer, or the other way round (found by
// audit, sixtieth session, live). --role is repeatable now, as 'member roles --add' is, and
// still takes comma-separated lists.
func TestMemberAddTakesEveryRoleGiven(t *testing.T) {
	o := newOffice(t)
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"lee", []string{"--role", "reviewer", "--role", "signer"}, []string{"reviewer", "signer"}},
		{"mia", []string{"--role", "drafter,reviewer", "--role", "release"}, []string{"drafter", "reviewer", "release"}},
		{"ned", []string{"--role", "drafter,reviewer"}, []string{"drafter", "reviewer"}},
	} {
		code, out, errs := o.run("root", append([]string{"member", "add", c.name}, c.args...)...)
		if code != cli.ExitOK || !strings.HasPrefix(out, "chy_") {
			t.Fatalf("member add %s %s: status %d\n%s%s", c.name, strings.Join(c.args, " "), code, out, errs)
		}
		if want := "added " + c.name + " (" + strings.Join(c.want, ",") + ")"; !strings.Contains(errs, want) {
			t.Errorf("member add %s said %q, want %q", c.name, errs, want)
		}
		m, err := o.reg.Member(context.Background(), o.actors["root"], c.name)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(m.Roles, c.want) {
			t.Errorf("member add %s %s: roles %v, want %v", c.name, strings.Join(c.args, " "), m.Roles, c.want)
		}
	}
}
