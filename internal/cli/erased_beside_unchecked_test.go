package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyErasedLetterBesideASealNotItsOwn: online, an erased letter's answer comes without
// a seal, and its line said "a seal kept beside the letter still verifies with --offline";
// beside a seal of another office's log (or a damaged seal, or another letter's) that line was
// followed by the one saying that seal was not checked, and read as if the seal beside it
// would verify (the sixty-first session's list; the lead's decision, sixty-second session).
// There the line speaks of the letter's own seal, in each language; beside no seal it is as
// before.
func TestVerifyErasedLetterBesideASealNotItsOwn(t *testing.T) {
	o := newOffice(t)
	dir, ref, file, bare, trust := o.releasedForReplay(t)
	second := o.releaseSecond(dir)
	otherSeal := anotherOfficesSeal(t)
	secondSeal, err := os.ReadFile(filepath.Join(dir, second+".pdf.seal"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.reg.Erase(context.Background(), o.actors["root"], ref, "personal data"); err != nil {
		t.Fatal(err)
	}
	const (
		kept = "a seal kept beside the letter still verifies with --offline"
		own  = "(the letter's own seal, where one was kept, still verifies with --offline, which does not check retractions)"
	)
	held := filepath.Join(dir, "held")
	for _, c := range []struct {
		name string
		seal []byte
		then string // the line about the seal beside it, after the erasure's
	}{
		{"other-log.pdf", otherSeal, "is not signed by the log key of the trust root in use, so it is likely another office's"},
		{"damaged.pdf", []byte("{\"not\": \"a seal\"}\n"), "is damaged, so it was not checked)"},
		{"another-letter.pdf", secondSeal, "is not this file's: it seals another letter"},
	} {
		f := filepath.Join(held, c.name)
		write(t, f, data)
		write(t, f+".seal", c.seal)
		code, out, errs := verifyAt(t, o.url, "--lang", "en", "--trust", trust, f)
		if code != cli.ExitError || !strings.HasPrefix(out, "could not verify: the office erased this letter's content") ||
			strings.Contains(out, kept) || !strings.Contains(out, own+" (the seal "+f+".seal ") || !strings.Contains(out, c.then) {
			t.Errorf("%s, erased, beside a seal not its own: %d %q %q, want could not verify, the letter's own seal named, then %q", c.name, code, out, errs, c.then)
		}
	}
	f := filepath.Join(held, "other-log.pdf")
	for l, want := range map[string]string{
		"fr": "(le sceau propre de la lettre, là où il a été gardé, se vérifie toujours avec --offline, qui ne vérifie pas les retraits)",
		"ar": "(ختم الرسالة نفسها، حيثما حُفظ، لا يزال يُتحقق منه بـ --offline، الذي لا يتحقق من السحب)",
	} {
		code, out, errs := verifyAt(t, o.url, "--lang", l, "--trust", trust, f)
		if code != cli.ExitError || !strings.Contains(out, want) {
			t.Errorf("--lang %s: %d %q %q, want %q", l, code, out, errs, want)
		}
	}
	// Without a seal beside it, the line still says a seal kept beside the letter verifies.
	if code, out, errs := verifyAt(t, o.url, "--lang", "en", "--trust", trust, bare); code != cli.ExitError || !strings.Contains(out, kept) {
		t.Errorf("erased, no seal beside it: %d %q %q, want %q", code, out, errs, kept)
	}
}
