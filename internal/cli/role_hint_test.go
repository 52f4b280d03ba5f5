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

// TestOfficeRoleAloneWarns: 'member add lex --role legal' and 'member roles' leaving a member
// with an office role but neither reviewer nor signer succeeded in silence, and the member
// could never give the approval the policy counts by that role. Both now warn, saying how to
// give the role that approves; --role reviewer,legal does not warn.
func TestOfficeRoleAloneWarns(t *testing.T) {
	o := newOffice(t)
	file := filepath.Join(t.TempDir(), "policy.yaml")
	pol := "version: 1\nname: new-office\nrules:\n  - name: foreign\n    when: letter.class == \"foreign-government\"\n    require:\n      approvals: [{role: legal}]\n  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n"
	if err := os.WriteFile(file, []byte(pol), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := o.run("root", "policy", "adopt", file); code != cli.ExitOK {
		t.Fatalf("policy adopt: status %d\n%s%s", code, out, errs)
	}
	const warning = "chancery: warning: lex holds legal without reviewer or signer, and only reviewers approve and signers sign: no approval or signature by that role can be theirs; give them one with 'chancery member roles lex --add reviewer'\n"
	code, out, errs := o.run("root", "member", "add", "lex", "--role", "legal")
	if code != cli.ExitOK || !strings.HasPrefix(out, "chy_") || !strings.Contains(errs, warning) {
		t.Errorf("member add lex --role legal: status %d\n%s%s", code, out, errs)
	}
	code, out, errs = o.run("root", "member", "add", "lea", "--role", "reviewer,legal")
	if code != cli.ExitOK || strings.Contains(errs, "warning") {
		t.Errorf("member add lea --role reviewer,legal: status %d\n%s%s", code, out, errs)
	}
	code, out, errs = o.run("root", "member", "roles", "lea", "--remove", "reviewer")
	if code != cli.ExitOK || !strings.Contains(errs, strings.ReplaceAll(warning, "lex", "lea")) {
		t.Errorf("member roles lea --remove reviewer: status %d\n%s%s", code, out, errs)
	}
	code, out, errs = o.run("root", "member", "roles", "lea", "--add", "reviewer")
	if code != cli.ExitOK || strings.Contains(errs, "warning") {
		t.Errorf("member roles lea --add reviewer: status %d\n%s%s", code, out, errs)
	}
}

// TestHintNamesTheReference: a refused release's hint said "see what the release still needs
// with 'chancery letter show REF'", the word REF, where the command had the reference (a
// refused dispatch's too). The hint now names the letter.
func TestHintNamesTheReference(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Fishing rights", "internal", "# Fishing rights\n\nExcellency, ...\n")
	code, _, errs := o.run("otto", "release", ref, "--out", filepath.Join(t.TempDir(), "out"))
	if code != cli.ExitError || !strings.Contains(errs, "chancery: hint: see what the release still needs with 'chancery letter show "+ref+"'\n") {
		t.Errorf("a release refused: status %d\n%s", code, errs)
	}
}

// TestOfficeRoleAloneWarnsWhenProposed: under two_admins, 'member add lex --role legal' is
// proposed (status 4) and the second admin's 'change approve' adds the member without a
// word, so the warning of an office role without reviewer or signer was never given. The
// proposer is now warned.
func TestOfficeRoleAloneWarnsWhenProposed(t *testing.T) {
	o := newOffice(t)
	code, out, errs := o.run("root", "member", "add", "ada", "--role", "admin")
	if code != cli.ExitOK {
		t.Fatalf("member add ada: status %d\n%s%s", code, out, errs)
	}
	o.add("ada", strings.TrimSpace(out))
	file := filepath.Join(t.TempDir(), "policy.yaml")
	pol := "two_admins: true\nversion: 1\nname: new-office\nrules:\n  - name: foreign\n    when: letter.class == \"foreign-government\"\n    require:\n      approvals: [{role: legal}]\n  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n"
	if err := os.WriteFile(file, []byte(pol), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := o.run("root", "policy", "adopt", file); code != cli.ExitOK {
		t.Fatalf("policy adopt: status %d\n%s%s", code, out, errs)
	}
	const warning = "chancery: warning: lex holds legal without reviewer or signer"
	code, out, errs = o.run("root", "member", "add", "lex", "--role", "legal")
	if code != cli.ExitProposed || !strings.Contains(errs, warning) {
		t.Errorf("member add lex --role legal under two_admins: status %d, want %d with the warning\n%s%s", code, cli.ExitProposed, out, errs)
	}
	code, out, errs = o.run("root", "member", "add", "lea", "--role", "reviewer,legal")
	if code != cli.ExitProposed || strings.Contains(errs, "warning") {
		t.Errorf("member add lea --role reviewer,legal under two_admins: status %d\n%s%s", code, out, errs)
	}
	code, out, errs = o.run("root", "member", "add", "dan", "--role", "drafter")
	if code != cli.ExitProposed {
		t.Fatalf("member add dan under two_admins: status %d\n%s%s", code, out, errs)
	}
	if code, out, errs := o.run("ada", "change", "approve", "3"); code != cli.ExitOK {
		t.Fatalf("change approve 3: status %d\n%s%s", code, out, errs)
	}
	code, out, errs = o.run("root", "member", "roles", "dan", "--add", "legal")
	if code != cli.ExitProposed || !strings.Contains(errs, "chancery: warning: dan holds legal without reviewer or signer") {
		t.Errorf("member roles dan --add legal under two_admins: status %d, want %d with the warning\n%s%s", code, cli.ExitProposed, out, errs)
	}
	code, out, errs = o.run("root", "member", "roles", "dan", "--add", "legal,reviewer")
	if code != cli.ExitProposed || strings.Contains(errs, "warning") {
		t.Errorf("member roles dan --add legal,reviewer under two_admins: status %d\n%s%s", code, out, errs)
	}
}

// TestOfficeRoleAloneWarnsAtApproval: under two_admins, the second admin's 'change approve'
// of a member added, or given roles, that leave an office role without reviewer or signer
// carried it out without the warning 'member add' and 'member roles' give (only the proposer
// was warned). The approval now warns too; a change that leaves reviewer beside the office
// role does not.
func TestOfficeRoleAloneWarnsAtApproval(t *testing.T) {
	o := newOffice(t)
	code, out, errs := o.run("root", "member", "add", "ada", "--role", "admin")
	if code != cli.ExitOK {
		t.Fatalf("member add ada: status %d\n%s%s", code, out, errs)
	}
	o.add("ada", strings.TrimSpace(out))
	file := filepath.Join(t.TempDir(), "policy.yaml")
	pol := "two_admins: true\nversion: 1\nname: new-office\nrules:\n  - name: foreign\n    when: letter.class == \"foreign-government\"\n    require:\n      approvals: [{role: legal}]\n  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n"
	if err := os.WriteFile(file, []byte(pol), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := o.run("root", "policy", "adopt", file); code != cli.ExitOK {
		t.Fatalf("policy adopt: status %d\n%s%s", code, out, errs)
	}
	for _, args := range [][]string{
		{"member", "add", "lex", "--role", "legal"},          // change 1
		{"member", "add", "lea", "--role", "reviewer,legal"}, // change 2
		{"member", "add", "dan", "--role", "drafter"},        // change 3
	} {
		if code, out, errs := o.run("root", args...); code != cli.ExitProposed {
			t.Fatalf("%s: status %d\n%s%s", strings.Join(args, " "), code, out, errs)
		}
	}
	const warning = "chancery: warning: lex holds legal without reviewer or signer, and only reviewers approve and signers sign: no approval or signature by that role can be theirs; give them one with 'chancery member roles lex --add reviewer'\n"
	code, out, errs = o.run("ada", "change", "approve", "1")
	if code != cli.ExitOK || !strings.HasPrefix(out, "chy_") || !strings.Contains(errs, warning) {
		t.Errorf("change approve 1 (member add lex --role legal): status %d, want the warning\n%s%s", code, out, errs)
	}
	code, out, errs = o.run("ada", "change", "approve", "2")
	if code != cli.ExitOK || strings.Contains(errs, "warning") {
		t.Errorf("change approve 2 (member add lea --role reviewer,legal): status %d, want no warning\n%s%s", code, out, errs)
	}
	if code, out, errs := o.run("ada", "change", "approve", "3"); code != cli.ExitOK || strings.Contains(errs, "warning") {
		t.Fatalf("change approve 3 (member add dan --role drafter): status %d\n%s%s", code, out, errs)
	}
	if code, out, errs := o.run("root", "member", "roles", "dan", "--add", "legal"); code != cli.ExitProposed {
		t.Fatalf("member roles dan --add legal under two_admins: status %d\n%s%s", code, out, errs)
	}
	code, out, errs = o.run("ada", "change", "approve", "4")
	if code != cli.ExitOK || !strings.Contains(errs, strings.ReplaceAll(warning, "lex", "dan")) {
		t.Errorf("change approve 4 (member roles dan --add legal): status %d, want the warning\n%s%s", code, out, errs)
	}
}
