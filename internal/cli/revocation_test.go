package cli_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyReportsRevokedSignerKey is issue 12 item 12: online verification checks the
// revocations of the keys that signed a letter, as docs/seal-format.md says it does. A key
// revoked after the release leaves the letter valid, and the answer says so; the revocation
// is an entry signed by the office and proved in the seal's checkpoint.
func TestVerifyReportsRevokedSignerKey(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	ref := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, ...\n")
	o.ready(ref)
	out := filepath.Join(dir, "out")
	if code, _, errs := o.run("otto", "release", ref, "--out", out); code != cli.ExitOK {
		t.Fatalf("release: %d %s", code, errs)
	}
	trust := filepath.Join(dir, "trust.json")
	if code, _, errs := o.run("rita", "trust", "export", "--out", trust); code != cli.ExitOK {
		t.Fatalf("trust export: %d %s", code, errs)
	}
	file := filepath.Join(out, ref+".pdf")
	code, before, errs := o.run("", "verify", "--trust", trust, file)
	if code != cli.ExitOK || strings.Contains(before, "revoked") {
		t.Fatalf("verify before the revocation: %d %q %q", code, before, errs)
	}
	if _, err := o.reg.RevokeKey(context.Background(), o.actors["sam"], o.keyID, "laptop lost"); err != nil {
		t.Fatal(err)
	}
	code, after, errs := o.run("", "verify", "--trust", trust, file)
	if code != cli.ExitOK || !strings.Contains(after, "valid:") || !strings.Contains(after, "sam's key was revoked on ") || !strings.Contains(after, "after the release") {
		t.Fatalf("verify after the revocation: %d %q %q", code, after, errs)
	}
}
