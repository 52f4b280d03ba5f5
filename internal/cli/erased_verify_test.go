package cli_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyErasedLetterIsNotCalledInvalid: the registry answers for an erased letter
// "valid, content erased" without a seal (its opening is gone), and the letter's own seal
// still verifies offline; online verify called the genuine letter invalid (exit 1) because
// the answer had no seal. It cannot prove the registry's answer either, so it says that it
// could not verify, as for an out-of-date trust root.
func TestVerifyErasedLetterIsNotCalledInvalid(t *testing.T) {
	o := newOffice(t)
	_, ref, file, bare, trust := o.releasedForReplay(t)
	if err := o.reg.Erase(context.Background(), o.actors["root"], ref, "personal data"); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file); code != cli.ExitOK {
		t.Fatalf("offline: exit %d: %s%s", code, out, errs)
	}
	for _, f := range []string{file, bare} {
		code, out, errs := verifyAt(t, o.url, "--json", "--trust", trust, f)
		var res cli.VerifyResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%s: %v: %s%s", f, err, out, errs)
		}
		if code != cli.ExitError || res.Outcome != "error" || !strings.Contains(res.Message, "erased") {
			t.Errorf("%s: exit %d, %s: %s, want exit %d, error, the content was erased", f, code, res.Outcome, res.Message, cli.ExitError)
		}
	}
	// In French and Arabic the registry's answer is named in that language, as on the other
	// lines: it was "valid", in English, inside the French or Arabic line. (Found by audit,
	// sixtieth session.)
	for l, want := range map[string]string{"fr": "le registre répond « valide »", "ar": "يجيب السجل «صالحة»"} {
		code, out, errs := verifyAt(t, o.url, "--lang", l, "--trust", trust, bare)
		if code != cli.ExitError || !strings.Contains(out, want) {
			t.Errorf("--lang %s: exit %d %q %q, want %q", l, code, out, errs, want)
		}
	}
}

// TestVerifyDraftCopyOfErasedLetter: a member verifying a draft copy of a letter erased since
// is told the copy's recipient was erased, not "exported for  by dana" (the erasure empties
// the recipient).
func TestVerifyDraftCopyOfErasedLetter(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Coordination", "foreign-government", "# Coordination\n\nSir, the units move on Monday.\n")
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	cp := filepath.Join(dir, "copy.pdf")
	if code, _, errs := o.run("dana", "draft", "export", ref, "--for", "Liaison cell", "--out", cp); code != cli.ExitOK {
		t.Fatalf("export: %d %s", code, errs)
	}
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", filepath.Join(dir, "out")); code != cli.ExitOK {
		t.Fatalf("release: %d %s", code, errs)
	}
	trust := filepath.Join(dir, "trust.json")
	if code, _, errs := o.run("rita", "trust", "export", "--out", trust); code != cli.ExitOK {
		t.Fatalf("trust export: %d %s", code, errs)
	}
	if err := o.reg.Erase(context.Background(), o.actors["root"], ref, "personal data"); err != nil {
		t.Fatal(err)
	}
	code, out, errs := o.run("rita", "verify", "--trust", trust, cp)
	if code != cli.ExitFailed || !strings.Contains(out, "exported by dana on ") || !strings.Contains(out, "for a recipient erased since") || strings.Contains(out, "Liaison") {
		t.Errorf("verify: exit %d %q %q", code, out, errs)
	}
}
