package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIdentifyEscapesTheText: `chancery identify` printed the difference between a letter and
// the text checked as the registry answered it, raw, and that difference quotes the text's
// own words: a leaked file built with escape sequences or a bidirectional override among its
// words erased the answer's lines on the checker's terminal and wrote others (item 11 escaped
// verify's lines, not identify's). Every line it prints is escaped now.
func TestIdentifyEscapesTheText(t *testing.T) {
	o := newOffice(t)
	body := "The exercise in the northern sector will take place from the third to the ninth of March, with the participation of two battalions and the air support squadron based at the coastal airfield, and the roads between the villages will be closed during the night hours for the safety of residents."
	ref := o.letter("Exercise notice", "foreign-government", "# Notice\n\n"+body+"\n")
	o.ready(ref)
	dir := t.TempDir()
	if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != 0 {
		t.Fatalf("release: %s", errs)
	}
	leak := filepath.Join(dir, "leak.txt")
	hostile := strings.Replace(body, "two battalions", "three \x1b[1A\x1b[2Kvalid:\u202e battalions", 1)
	if err := os.WriteFile(leak, []byte("Notice\n\n"+hostile+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"", "rita"} { // the public's answer and a member's
		code, out, errs := o.run(who, "identify", "--text", leak)
		if code != 1 || !strings.HasPrefix(out, "altered: ") {
			t.Fatalf("%q: exit %d %q %q", who, code, out, errs)
		}
		if strings.ContainsAny(out, "\x1b\u202e") || !strings.Contains(out, `three \x1b[1A\x1b[2Kvalid:\u202e`) {
			t.Errorf("%q: the text reached the terminal raw: %q", who, out)
		}
	}
}
