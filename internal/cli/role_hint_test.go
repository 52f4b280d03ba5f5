package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestRefusedForARoleSaysHowToGetIt: a new office whose policy asks for a legal approval
// added its legal adviser with the role legal alone, as the policy reads; their approval was
// refused with "forbidden: lex needs the reviewer role" and no advice, though only reviewers
// approve, whatever office role a policy counts. A refusal for want of a role now says which
// command gives it, and for approvals that an office role counts only beside reviewer.
func TestRefusedForARoleSaysHowToGetIt(t *testing.T) {
	o := newOffice(t)
	file := filepath.Join(t.TempDir(), "policy.yaml")
	pol := `version: 1
name: new-office
rules:
  - name: foreign
    when: letter.class == "foreign-government"
    require:
      approvals:
        - role: legal
        - role: reviewer
      signatures:
        - role: signer
  - name: default
    default: true
    require:
      approvals:
        - role: reviewer
`
	if err := os.WriteFile(file, []byte(pol), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := o.run("root", "policy", "adopt", file); code != cli.ExitOK {
		t.Fatalf("policy adopt: status %d\n%s%s", code, out, errs)
	}
	code, out, errs := o.run("root", "member", "add", "lex", "--role", "legal")
	if code != cli.ExitOK {
		t.Fatalf("member add lex: status %d\n%s%s", code, out, errs)
	}
	o.add("lex", strings.TrimSpace(out))
	ref := o.letter("Fishing rights", "foreign-government", "# Fishing rights\n\nExcellency, ...\n")

	code, _, errs = o.run("lex", "approve", ref)
	if code != cli.ExitError || !strings.Contains(errs, "chancery: error: forbidden: lex needs the reviewer role\n") ||
		!strings.Contains(errs, "chancery: hint: an admin gives lex the role with 'chancery member roles lex --add reviewer'; only reviewers approve, whatever role of the office's own (such as legal) the policy asks for") {
		t.Errorf("a legal adviser without the reviewer role approves: status %d\n%s", code, errs)
	}
	code, _, errs = o.run("sam", "release", ref, "--out", filepath.Join(t.TempDir(), "out"))
	if code != cli.ExitError || !strings.Contains(errs, "chancery: hint: an admin gives sam the role with 'chancery member roles sam --add release'\n") {
		t.Errorf("a signer releases: status %d\n%s", code, errs)
	}
	code, _, errs = o.run("otto", "reject", ref, "--comment", "not yet")
	if code != cli.ExitError || !strings.Contains(errs, "chancery: hint: an admin gives otto the role with 'chancery member roles otto --add reviewer'") {
		t.Errorf("a release officer rejects: status %d\n%s", code, errs)
	}
}
