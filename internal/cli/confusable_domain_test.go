package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/registry"
)

// TestAddressesShowTheirALabels: 'recipient add', 'recipient list', 'dispatch' and 'dispatch
// status' showed an address as the admin wrote it, "registry@аррӏе.com" in Cyrillic letters,
// which looks like apple.com, while the mail goes to its A-labels, xn--80ak6aa92e.com. The
// A-labels of a domain in other letters than ASCII's are now shown, at the end of the line or
// in a last column (TestALabelsKeepTheColumns); an address in ASCII is shown as it was, and
// --json is unchanged.
func TestAddressesShowTheirALabels(t *testing.T) {
	o := newOffice(t)
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	const labels = "  (xn--80ak6aa92e.com)"
	expect := func(who string, args []string, want ...string) string {
		t.Helper()
		code, out, errs := o.run(who, args...)
		if code != cli.ExitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, errs)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: the output does not say %q:\n%s", args, w, out)
			}
		}
		return out
	}
	expect("root", []string{"recipient", "add", "apple", "--email", "registry@аррӏе.com"}, "added recipient apple (registry@аррӏе.com)"+labels+"\n")
	expect("root", []string{"recipient", "add", "ministry", "--email", "registry@mod.example"}, "added recipient ministry (registry@mod.example)\n")
	expect("root", []string{"recipient", "set-emails", "apple", "--email", "registry@аррӏе.com", "--email", "desk@mod.example"}, "recipient apple: registry@аррӏе.com, desk@mod.example"+labels+"\n")
	if out := expect("root", []string{"recipient", "list"}, "registry@аррӏе.com, desk@mod.example", "xn--80ak6aa92e.com", "registry@mod.example"); strings.Contains(out, "mod.example (") {
		t.Errorf("recipient list: an address in ASCII is followed by its A-labels:\n%s", out)
	}
	if out := expect("root", []string{"recipient", "list", "--json"}, `"registry@аррӏе.com"`); strings.Contains(out, "xn--") {
		t.Errorf("recipient list --json changed:\n%s", out)
	}
	ref := o.letter("Notice", "internal", "# Notice\n\nSir,\n")
	o.ready(ref)
	if _, err := o.reg.Release(context.Background(), o.actors["otto"], ref); err != nil {
		t.Fatal(err)
	}
	expect("otto", []string{"dispatch", ref, "--recipient", "apple", "--recipient", "ministry"},
		ref+" to apple <registry@аррӏе.com>: queued"+labels+"\n", ref+" to ministry <registry@mod.example>: queued\n")
	expect("otto", []string{"dispatch", "status", ref}, "registry@аррӏе.com", "xn--80ak6aa92e.com")
}
