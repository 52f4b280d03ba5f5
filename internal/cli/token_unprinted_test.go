package cli_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/registry"
)

// brokenOutput is a standard output that takes nothing: closed, or on a full disk
// (/dev/full).
type brokenOutput struct{}

func (brokenOutput) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestUnprintedTokenIsNotTakenAsDelivered: init wrote the admin's token to standard output
// without looking at the outcome: with standard output closed or on a full disk (> /dev/full)
// it exited 0 and marked the directory finished, so that the token nobody saw could not be
// replaced by init again ("already initialized"). 'member add' exited 0 the same way. Both
// now fail, saying what to do; the directory stays unfinished, and the same init gives the
// admin a token.
func TestUnprintedTokenIsNotTakenAsDelivered(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	args := []string{"init", "--data", dir, "--office", "Print Office", "--prefix", "PRT", "--url", "https://print.example", "--no-pdf-ca"}
	var errs bytes.Buffer
	if code := cli.Main(args, brokenOutput{}, &errs); code != cli.ExitError || !strings.Contains(errs.String(), "chancery: hint: the office is made, its admin's token was not printed: run the same init again") {
		t.Fatalf("init with its token unprinted: status %d\n%s", code, errs.String())
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Settings.Unfinished {
		t.Fatal("the token was not printed, but the directory is marked finished")
	}
	d.Close()
	if code, out, errs := run(args...); code != 0 || !strings.HasPrefix(out, "chy_") {
		t.Fatalf("the same init again: status %d\n%s%s", code, out, errs)
	}

	o := newOffice(t)
	t.Setenv("CHANCERY_URL", o.url)
	t.Setenv("CHANCERY_TOKEN", o.tokens["root"])
	errs.Reset()
	if code := cli.Main([]string{"member", "add", "lena", "--role", "drafter"}, brokenOutput{}, &errs); code != cli.ExitError || !strings.Contains(errs.String(), "chancery: hint: lena is added, their token was not printed: give them a new one with 'chancery member token lena'") {
		t.Fatalf("member add with the token unprinted: status %d\n%s", code, errs.String())
	}
}

// TestUnprintedWebhookSecretFails: 'webhook add' and 'recipient add --webhook' printed the
// endpoint's signing secret, shown once, without looking at the outcome: with standard
// output closed or on a full disk they exited 0, and nobody had the secret to check
// deliveries with. They now fail, saying so.
func TestUnprintedWebhookSecretFails(t *testing.T) {
	o := newOffice(t)
	t.Setenv("CHANCERY_URL", o.url)
	t.Setenv("CHANCERY_TOKEN", o.tokens["root"])
	for _, args := range [][]string{
		{"webhook", "add", "records", "--url", "https://records.example/hooks/chancery"},
		{"recipient", "add", "ministry", "--email", "registry@ministry.example", "--webhook", "https://ministry.example/hooks"},
	} {
		var errs bytes.Buffer
		if code := cli.Main(args, brokenOutput{}, &errs); code != cli.ExitError || !strings.Contains(errs.String(), "its webhook signing secret, shown once, was not printed") {
			t.Errorf("%s with the secret unprinted: status %d\n%s", strings.Join(args, " "), code, errs.String())
		}
	}
}

// TestUnprintedChangeTokenFails: 'change approve' of a proposed member printed their token,
// shown once, without looking at the outcome, and exited 0 when it could not be printed. It
// now fails, saying how to give them another.
func TestUnprintedChangeTokenFails(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	ada, err := o.reg.AddMember(ctx, o.actors["root"], "ada", []string{registry.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	o.add("ada", ada)
	adoptTwoAdmins(t, o)
	if code, out, errs := o.run("root", "member", "add", "lena", "--role", "drafter"); code != cli.ExitProposed {
		t.Fatalf("member add under two_admins: status %d\n%s%s, want it proposed", code, out, errs)
	}
	t.Setenv("CHANCERY_URL", o.url)
	t.Setenv("CHANCERY_TOKEN", o.tokens["ada"])
	var errs bytes.Buffer
	if code := cli.Main([]string{"change", "approve", "1"}, brokenOutput{}, &errs); code != cli.ExitError || !strings.Contains(errs.String(), "chancery: hint: change 1 is carried out, the member's token was not printed: give them a new one with 'chancery member token lena'") {
		t.Fatalf("change approve with the token unprinted: status %d\n%s", code, errs.String())
	}
}

// TestUnprintedMemberTokenFails: 'member token' and 'member enable' printed the new token,
// shown once, without looking at the outcome: with standard output closed or on a full disk
// they exited 0, the old token dead and the new one seen by nobody. They now fail, saying
// how to give the member another.
func TestUnprintedMemberTokenFails(t *testing.T) {
	o := newOffice(t)
	t.Setenv("CHANCERY_URL", o.url)
	t.Setenv("CHANCERY_TOKEN", o.tokens["root"])
	if code, out, errs := run("member", "disable", "sam"); code != 0 {
		t.Fatalf("member disable: %d\n%s%s", code, out, errs)
	}
	for _, args := range [][]string{{"member", "enable", "sam"}, {"member", "token", "sam"}} {
		var errs bytes.Buffer
		if code := cli.Main(args, brokenOutput{}, &errs); code != cli.ExitError || !strings.Contains(errs.String(), "it was not printed: give them another with 'chancery member token sam'") {
			t.Errorf("%s with the token unprinted: status %d\n%s", strings.Join(args, " "), code, errs.String())
		}
	}
}
