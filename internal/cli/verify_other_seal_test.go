package cli_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyAnotherLettersSealBeside: a journalist holds a letter and its seal, then receives
// the corrected letter under the same file name, and the old seal stays beside it; or holds
// an edited copy of the letter with the letter's own seal beside it. Online, verify called
// both "invalid: … not the sealed letter" and never asked the registry, though the same
// bytes without the seal are "valid" (the corrected letter) and "altered", with where it
// differs (the edited copy): the answer turned on a file beside the letter, not on the
// letter. Online the registry is now asked, as for a file without a seal; a file it does
// not know stays invalid, and offline nothing changes.
func TestVerifyAnotherLettersSealBeside(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	body := "# Coordination of force movements\n\nSir,\n\nIn the coming weeks the task force will reposition several of its units between its bases in the northern province, in coordination with the joint staff. These movements are routine and serve the mission of the force.\n\nWe will share the schedule with your liaison officers one week before each movement.\n"
	first := o.letter("Coordination of force movements", "foreign-government", body)
	o.ready(first)
	if code, _, errs := o.run("otto", "release", first, "--out", filepath.Join(dir, "first")); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	corrected := o.letter("Coordination of force movements (corrected)", "foreign-government", strings.Replace(body, "one week", "two weeks", 1))
	o.ready(corrected)
	if code, _, errs := o.run("otto", "release", corrected, "--out", filepath.Join(dir, "corrected")); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	tb, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trust := filepath.Join(dir, "trust.json")
	write(t, trust, tb)
	firstSeal, err := os.ReadFile(filepath.Join(dir, "first", first+".pdf.seal"))
	if err != nil {
		t.Fatal(err)
	}
	correctedPDF, err := os.ReadFile(filepath.Join(dir, "corrected", corrected+".pdf"))
	if err != nil {
		t.Fatal(err)
	}
	leak := filepath.Join(dir, "leak")
	if err := os.Mkdir(leak, 0o755); err != nil {
		t.Fatal(err)
	}
	// The corrected letter, with the seal of the letter it corrects left beside it.
	letter := filepath.Join(leak, "letter.pdf")
	write(t, letter, correctedPDF)
	write(t, letter+".seal", firstSeal)
	// An edited copy of the first letter, with its seal beside it.
	edited := filepath.Join(leak, "edited.md")
	write(t, edited, []byte(strings.Replace(body, "routine", "urgent", 1)))
	write(t, edited+".seal", firstSeal)
	// A file the office never saw, with the first letter's seal beside it.
	forged := filepath.Join(leak, "forged.txt")
	write(t, forged, []byte("Nothing this office ever wrote: a shopping list of apples, pears, plums and quinces for the weekend market.\n"))
	write(t, forged+".seal", firstSeal)

	code, out, errs := verifyAt(t, o.url, "--trust", trust, letter)
	if code != cli.ExitOK || !strings.HasPrefix(out, "valid: "+corrected) || !strings.Contains(out, "is not this file's") {
		t.Errorf("online, the corrected letter beside the old seal: %d %q %q; want valid, the seal named as not the file's", code, out, errs)
	}
	code, out, errs = verifyAt(t, o.url, "--trust", trust, "--json", letter)
	if code != cli.ExitOK || !strings.Contains(out, `"outcome":"valid"`) || !strings.Contains(out, `"checked":"seal+log"`) || !strings.Contains(out, `"reference":"`+corrected+`"`) {
		t.Errorf("online --json, the corrected letter beside the old seal: %d %q %q", code, out, errs)
	}
	code, out, errs = verifyAt(t, o.url, "--trust", trust, "--json", edited)
	if code != cli.ExitFailed || !strings.Contains(out, `"outcome":"altered"`) || !strings.Contains(out, `"reference":"`+first+`"`) || !strings.Contains(out, `"diff":`) {
		t.Errorf("online, an edited copy beside the letter's seal: %d %q %q; want altered, with its differences", code, out, errs)
	}
	code, out, errs = verifyAt(t, o.url, "--trust", trust, forged)
	if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: this file is not the sealed letter") {
		t.Errorf("online, a file the registry does not know beside a seal: %d %q %q; want invalid", code, out, errs)
	}
	// Offline only the seal speaks, and it is not this file's.
	for _, f := range []string{letter, edited, forged} {
		code, out, errs := verifyAt(t, o.url, "--trust", trust, "--offline", f)
		if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: this file is not the sealed letter") {
			t.Errorf("offline, %s: %d %q %q; want invalid", filepath.Base(f), code, out, errs)
		}
	}
	// The registry cannot be reached: verification could not be done, as for the file
	// without its seal, not "invalid" by a seal that is not the file's.
	down := closedURL(t)
	for _, f := range []string{letter, edited, forged} {
		code, out, errs := verifyAt(t, down, "--trust", trust, f)
		if code != cli.ExitError || !strings.HasPrefix(out, "could not verify: ") || !strings.Contains(out, "is not this file's") {
			t.Errorf("online, registry unreachable, %s: %d %q %q; want could not verify, the seal named as not the file's", filepath.Base(f), code, out, errs)
		}
	}
	// Withdrawn since: the registry's answer says so, whatever seal is beside it.
	o.retract(corrected, "Sent by mistake")
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, letter); code != cli.ExitFailed || !strings.HasPrefix(out, "retracted: "+corrected) {
		t.Errorf("online, the corrected letter retracted since: %d %q %q", code, out, errs)
	}
}

// closedURL returns the address of a registry that is not there: a port just closed.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	return url
}
