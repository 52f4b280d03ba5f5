package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyBesideADamagedSeal: a released letter whose seal beside it was cut short (a
// download or a copy interrupted) or emptied (a sync tool's placeholder) was "invalid: the
// seal is damaged" online too, and the registry was not asked, though the same bytes without
// the seal are valid: the answer turned on a file beside the letter, as it did for a sound
// seal of another file (TestVerifyAnotherLettersSealBeside). Online the registry is now asked
// as for a file without a seal and the line says the seal is damaged; a file the registry
// does not know stays invalid, a registry that cannot be reached could not verify, and
// offline nothing changes. (Found by audit, sixtieth session.)
func TestVerifyBesideADamagedSeal(t *testing.T) {
	o := newOffice(t)
	dir, ref, file, _, trust := o.releasedForReplay(t)
	sealed, err := os.ReadFile(file + ".seal")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "held")
	cut, emptied, forged := filepath.Join(folder, "cut.pdf"), filepath.Join(folder, "emptied.pdf"), filepath.Join(folder, "forged.txt")
	write(t, cut, data)
	write(t, cut+".seal", sealed[:len(sealed)/2])
	write(t, emptied, data)
	write(t, emptied+".seal", nil)
	write(t, forged, []byte("Nothing this office ever wrote: a shopping list of apples, pears, plums and quinces for the weekend market.\n"))
	write(t, forged+".seal", sealed[:len(sealed)/2])

	code, out, errs := verifyAt(t, o.url, "--trust", trust, folder)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != cli.ExitFailed || len(lines) != 3 {
		t.Fatalf("online: %d %q %q, want three lines, exit 1 for the forged file", code, out, errs)
	}
	for i, f := range []string{cut, emptied} {
		if !strings.HasPrefix(lines[i], f+": valid: "+ref) || !strings.Contains(lines[i], "the seal "+f+".seal is damaged, so it was not checked") {
			t.Errorf("online, a released letter beside a damaged seal: %q, want valid, the seal named as damaged", lines[i])
		}
	}
	if !strings.HasPrefix(lines[2], forged+": invalid: the seal is damaged") {
		t.Errorf("online, a file the registry does not know beside a damaged seal: %q, want invalid", lines[2])
	}
	code, out, errs = verifyAt(t, o.url, "--trust", trust, "--json", cut)
	var r cli.VerifyResult
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != cli.ExitOK || r.Outcome != "valid" || r.Checked != "seal+log" || r.Reference != ref {
		t.Errorf("online --json: %d %q %q (%v)", code, out, errs, err)
	}
	code, out, _ = verifyAt(t, o.url, "--trust", trust, "--lang", "fr", cut)
	if code != cli.ExitOK || !strings.Contains(out, "est endommagé et n'a donc pas été vérifié") {
		t.Errorf("online --lang fr: %d %q", code, out)
	}
	// Offline the seal is all there is.
	for _, f := range []string{cut, emptied, forged} {
		if code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, f); code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: the seal is damaged") {
			t.Errorf("offline, %s: %d %q %q, want invalid", filepath.Base(f), code, out, errs)
		}
	}
	// The registry cannot be reached: verification could not be done, the seal named.
	down := closedURL(t)
	for _, f := range []string{cut, forged} {
		if code, out, errs := verifyAt(t, down, "--trust", trust, f); code != cli.ExitError || !strings.HasPrefix(out, "could not verify: ") || !strings.Contains(out, "is damaged") {
			t.Errorf("online, registry unreachable, %s: %d %q %q, want could not verify, the seal named as damaged", filepath.Base(f), code, out, errs)
		}
	}
}
