package cli_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/registry"
)

// TestALabelsKeepTheColumns: commit 03b3ec5 wrote an address's A-labels beside it, "REF to
// apple <registry@аррӏе.com> (xn--80ak6aa92e.com): queued", and "registry@аррӏе.com
// (xn--80ak6aa92e.com)" in the address column of 'dispatch status' and 'recipient list': a
// script splitting such a line on whitespace (awk '$4 == "failed"') read the wrong field for
// those rows only. The lines and columns are now those of an address in ASCII, the A-labels
// at the end of the line or in a last column: each field but the last is the ASCII row's,
// with apple for ministry.
func TestALabelsKeepTheColumns(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.reg.SetDispatch(registry.DispatchSettings{Mail: true})
	const idn, labels = "registry@аррӏе.com", "xn--80ak6aa92e.com"
	as := strings.NewReplacer("ministry", "apple", "registry@mod.example", idn)
	run := func(who string, args ...string) string {
		t.Helper()
		code, out, errs := o.run(who, args...)
		if code != cli.ExitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, errs)
		}
		return out
	}
	// sameFields checks that the line about apple splits into the fields of the line about
	// ministry, apple's for ministry's, then tail.
	sameFields := func(what, out string, tail ...string) {
		t.Helper()
		var ascii, other string
		for _, l := range strings.Split(out, "\n") {
			switch {
			case strings.Contains(l, "ministry"):
				ascii = l
			case strings.Contains(l, "apple"):
				other = l
			}
		}
		want := append(strings.Fields(as.Replace(ascii)), tail...)
		if got := strings.Fields(other); ascii == "" || !slices.Equal(got, want) {
			t.Errorf("%s: apple's line splits into %q, want %q (ministry's fields, then the A-labels):\n%s", what, got, want, out)
		}
		if strings.Contains(ascii, "xn--") {
			t.Errorf("%s: ministry's line, in ASCII, has A-labels:\n%s", what, out)
		}
	}

	sameFields("recipient add", run("root", "recipient", "add", "apple", "--organization", "Org", "--contact", "Desk", "--email", idn)+
		run("root", "recipient", "add", "ministry", "--organization", "Org", "--contact", "Desk", "--email", "registry@mod.example"), "("+labels+")")
	sameFields("recipient set-emails", run("root", "recipient", "set-emails", "apple", "--email", idn, "--email", "desk@mod.example")+
		run("root", "recipient", "set-emails", "ministry", "--email", "registry@mod.example", "--email", "desk@mod.example"), "("+labels+")")
	for name, addr := range map[string]string{"apple": idn, "ministry": "registry@mod.example"} {
		if _, err := o.reg.SetRecipientEmails(ctx, o.actors["root"], name, []string{addr}); err != nil {
			t.Fatal(err)
		}
	}
	list := run("root", "recipient", "list")
	sameFields("recipient list", list, labels)
	if head := strings.Fields(strings.SplitN(list, "\n", 2)[0]); head[len(head)-1] != "a-labels" {
		t.Errorf("recipient list: the header %q, want a last column a-labels", head)
	}

	ref := o.letter("Notice", "internal", "# Notice\n\nSir,\n")
	o.ready(ref)
	if _, err := o.reg.Release(ctx, o.actors["otto"], ref); err != nil {
		t.Fatal(err)
	}
	sameFields("dispatch", run("otto", "dispatch", ref, "--recipient", "apple", "--recipient", "ministry"), "("+labels+")")
	status := run("otto", "dispatch", "status", ref)
	sameFields("dispatch status", status, labels)
	if head := strings.Fields(strings.SplitN(status, "\n", 2)[0]); head[len(head)-1] != "a-labels" {
		t.Errorf("dispatch status: the header %q, want a last column a-labels", head)
	}
	ms, err := o.reg.DueMessages(ctx, 10, time.Minute)
	if err != nil || len(ms) != 2 {
		t.Fatalf("messages due: %d, %v", len(ms), err)
	}
	for _, m := range ms {
		if err := o.reg.Failed(ctx, m, "550 mailbox unavailable"); err != nil {
			t.Fatal(err)
		}
	}
	sameFields("dispatch status, failed", run("otto", "dispatch", "status", ref), labels)
	sameFields("dispatch retry", run("otto", "dispatch", "retry", ref), "("+labels+")")

	draft := o.letter("Plan", "internal", "# Plan\n\nSir,\n")
	sameFields("draft send", run("dana", "draft", "send", draft, "--recipient", "apple")+
		run("dana", "draft", "send", draft, "--recipient", "ministry"), "("+labels+")")

	// Without an address in other letters than ASCII's, no a-labels column.
	if _, err := o.reg.SetRecipientEmails(ctx, o.actors["root"], "apple", []string{"registry@apple.example"}); err != nil {
		t.Fatal(err)
	}
	if out := run("root", "recipient", "list"); strings.Contains(out, "a-labels") {
		t.Errorf("recipient list in ASCII only has an a-labels column:\n%s", out)
	}
	if out := run("otto", "dispatch", "status", ref, "--json"); strings.Contains(out, "xn--") {
		t.Errorf("dispatch status --json changed:\n%s", out)
	}
}
