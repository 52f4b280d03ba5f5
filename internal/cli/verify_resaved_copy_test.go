package cli_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyResavedDraftCopyNamesItsCopy: a draft copy saved again (its bytes changed, its
// marks kept) of a letter released since was answered to a member by verify "altered: … the
// text is close to REF (valid)", while identify, given the same file, named the copy: verify
// sent the text layer without the copy's marks, so the line naming the copy never reached
// the registry.
func TestVerifyResavedDraftCopyNamesItsCopy(t *testing.T) {
	for _, p := range []string{"qpdf", "pdftotext"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s not installed", p)
		}
	}
	o := newOffice(t)
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	ref := o.letter("Coordination of force movements", "foreign-government",
		"# Coordination\n\nSir, in the coming weeks the task force will reposition several units between its bases in the northern province.\n")
	draft := filepath.Join(dir, "draft.pdf")
	if code, _, stderr := o.run("dana", "draft", "export", ref, "--for", "Liaison cell", "--out", draft); code != cli.ExitOK {
		t.Fatalf("draft export: %s", stderr)
	}
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", filepath.Join(dir, "released")); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	tb, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trust := filepath.Join(dir, "trust.json")
	write(t, trust, tb)
	resaved := filepath.Join(dir, "resaved.pdf")
	if out, err := exec.Command("qpdf", draft, resaved).CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v: %s", err, out)
	}
	_, out, _ := o.run("rita", "verify", "--trust", trust, resaved)
	if !strings.HasPrefix(out, "draft") || !strings.Contains(out, "Liaison cell") {
		t.Errorf("a member verifies the draft copy saved again: %q; want the copy named", out)
	}
	_, out, _ = verifyAt(t, o.url, "--trust", trust, resaved)
	if strings.Contains(out, "Liaison cell") || strings.HasPrefix(out, "valid") {
		t.Errorf("the public verifies the draft copy saved again: %q", out)
	}
}
