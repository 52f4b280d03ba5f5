package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyOnlineBesideASealThatIsNoFile: online, a letter beside a name FILE.seal that is
// no file to read was asked about without a word of it (a link to nothing, taken as no
// seal) or "could not verify" (a directory named FILE.seal), where a seal that does not
// parse is a damaged seal whose letter the registry is asked about (item 1014). Both are now
// damaged seals (the lead's decision, sixty-first session): the registry is asked, the line
// says what the name beside the letter is, with the advice a damaged seal gets; a file the
// registry does not know stays invalid; an unreachable registry could not verify. A seal
// left in the folder without its letter is warned of online too, and a seal of another
// office's log says so.
func TestVerifyOnlineBesideASealThatIsNoFile(t *testing.T) {
	o := newOffice(t)
	dir, ref, file, _, trust := o.releasedForReplay(t)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "held")
	linked, dirred, forged := filepath.Join(folder, "linked.pdf"), filepath.Join(folder, "dirred.pdf"), filepath.Join(folder, "forged.txt")
	write(t, linked, data)
	write(t, dirred, data)
	write(t, forged, []byte("Nothing this office ever wrote: a list of the plums, pears and quinces of a weekend market.\n"))
	if err := os.Symlink("gone.seal", linked+".seal"); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(dirred+".seal", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(forged+".seal", 0o755); err != nil {
		t.Fatal(err)
	}
	sealed, err := os.ReadFile(file + ".seal")
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(folder, "renamed.pdf.seal"), sealed)

	code, out, errs := verifyAt(t, o.url, "--lang", "en", "--trust", trust, folder)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != cli.ExitFailed || len(lines) != 3 {
		t.Fatalf("online: %d %q %q, want three lines, exit 1 for the forged file", code, out, errs)
	}
	for i, c := range []struct{ file, what string }{{dirred, " is a directory, not a seal"}, {forged, ""}, {linked, " is a link to nothing"}} {
		switch {
		case c.what == "":
			if w := c.file + ": invalid: the seal is damaged: " + c.file + ".seal is a directory, not a seal"; lines[i] != w {
				t.Errorf("online, a file the registry does not know: %q, want %q", lines[i], w)
			}
		case !strings.HasPrefix(lines[i], c.file+": valid: "+ref) || !strings.HasSuffix(lines[i], " ("+c.file+".seal"+c.what+", so no seal was checked: ask the office for the letter's seal again)"):
			t.Errorf("online, a released letter: %q, want valid, %s.seal said to be what it is", lines[i], c.file)
		}
	}
	if w := "chancery: warning: " + filepath.Join(folder, "renamed.pdf.seal") + ": no letter named renamed.pdf beside it (renamed or moved?)\n"; errs != w {
		t.Errorf("online, a seal without its letter: stderr %q, want %q", errs, w)
	}
	code, out, errs = verifyAt(t, o.url, "--json", "--trust", trust, folder)
	var r cli.VerifyResult
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &r); err != nil || code != cli.ExitFailed || errs != "" ||
		r.Outcome != "valid" || len(r.SealsWithoutLetter) != 1 {
		t.Errorf("online --json: %d %q %q (%v)", code, out, errs, err)
	}
	code, out, _ = verifyAt(t, o.url, "--lang", "fr", "--trust", trust, linked)
	if code != cli.ExitOK || !strings.HasSuffix(strings.TrimSpace(out), "("+linked+".seal est un lien qui ne mène à rien : aucun sceau n'a donc été vérifié ; redemandez au service le sceau de la lettre)") {
		t.Errorf("online --lang fr: %d %q", code, out)
	}
	// The registry cannot be reached: verification could not be done, the seal named.
	down := closedURL(t)
	if code, out, errs := verifyAt(t, down, "--lang", "en", "--trust", trust, linked); code != cli.ExitError || !strings.HasPrefix(out, "could not verify: ") ||
		!strings.HasSuffix(strings.TrimSpace(out), " ("+linked+".seal is a link to nothing, so no seal was checked)") {
		t.Errorf("online, registry unreachable: %d %q %q, want could not verify, the link named", code, out, errs)
	}

	// A seal of another office's log beside the letter tells nothing of it online, as a
	// damaged seal does not (the lead's decision, sixty-first session): the registry is asked,
	// and its answer printed with the line that the seal is likely another office's; offline
	// the seal is all there is, and the file is invalid.
	otherSeal := anotherOfficesSeal(t)
	if err := os.Remove(linked + ".seal"); err != nil {
		t.Fatal(err)
	}
	write(t, linked+".seal", otherSeal)
	const otherLine = "invalid: the seal's checkpoint is not signed by the log key of the trust root in use, so the seal is likely another office's"
	code, out, errs = verifyAt(t, o.url, "--offline", "--lang", "en", "--trust", trust, linked)
	if code != cli.ExitFailed || !strings.HasPrefix(out, otherLine) {
		t.Errorf("offline, a seal of another office: %d %q %q, want invalid, exit 1", code, out, errs)
	}
	code, out, errs = verifyAt(t, o.url, "--lang", "en", "--trust", trust, linked)
	if code != cli.ExitOK || !strings.HasPrefix(out, "valid: "+ref) ||
		!strings.HasSuffix(strings.TrimSpace(out), " (the seal "+linked+".seal is not signed by this office's log key, so it is likely another office's and was not checked: ask the office for the letter's seal again)") {
		t.Errorf("online, a released letter beside a seal of another office: %d %q %q, want the registry's valid, the seal said to be likely another office's", code, out, errs)
	}
	code, out, _ = verifyAt(t, o.url, "--lang", "fr", "--trust", trust, linked)
	if code != cli.ExitOK || !strings.HasSuffix(strings.TrimSpace(out), "(le sceau "+linked+".seal n'est pas signé par la clé du journal de ce service : il est sans doute celui d'un autre service et n'a donc pas été vérifié ; redemandez au service le sceau de la lettre)") {
		t.Errorf("online --lang fr, a seal of another office: %d %q", code, out)
	}
	code, out, errs = verifyAt(t, o.url, "--json", "--trust", trust, linked)
	r = cli.VerifyResult{}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != cli.ExitOK || r.Outcome != "valid" || r.Reference != ref ||
		!strings.Contains(r.Message, linked+".seal is not signed by this office's log key") {
		t.Errorf("online --json, a seal of another office: %d %q %q (%v)", code, out, errs, err)
	}
	// A file the registry does not know beside it: the registry's answer for an unknown file.
	if err := os.Remove(forged + ".seal"); err != nil {
		t.Fatal(err)
	}
	write(t, forged+".seal", otherSeal)
	code, out, errs = verifyAt(t, o.url, "--lang", "en", "--trust", trust, forged)
	if code != cli.ExitFailed || !strings.HasPrefix(out, "unknown: ") ||
		!strings.HasSuffix(strings.TrimSpace(out), " (the seal "+forged+".seal is not signed by the log key of the trust root in use, so it is likely another office's, or the trust root is not this office's: check --trust "+trust+"; the seal was not checked)") {
		t.Errorf("online, an unknown file beside a seal of another office: %d %q %q, want unknown, exit 1", code, out, errs)
	}
	// The registry cannot be reached: verification could not be done, the seal named.
	if code, out, errs := verifyAt(t, down, "--lang", "en", "--trust", trust, linked); code != cli.ExitError || !strings.HasPrefix(out, "could not verify: ") ||
		!strings.HasSuffix(strings.TrimSpace(out), " (the seal "+linked+".seal is not signed by the log key of the trust root in use, so it is likely another office's, or the trust root is not this office's: check --trust "+trust+"; the seal was not checked)") {
		t.Errorf("online, registry unreachable, a seal of another office: %d %q %q, want could not verify", code, out, errs)
	}
}
