package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyWithdrawnLetterBesideASealOfAnotherLog: online, a letter beside a seal of another
// office's log is asked about as one without a seal (the lead's decision, sixty-first session);
// verify.TestSealOfAnotherLogOnlineAsksTheRegistry drives that with a stand-in for the
// registry, and the live test (TestVerifyOnlineBesideASealThatIsNoFile) covered the valid,
// unknown and unreachable answers only (the sixty-first session's list; the lead's decision,
// sixty-second session). Against a real registry, a retracted and a superseded letter beside
// another log's seal get the registry's verified answer, its outcome and exit status, with the
// line that the seal beside it is likely another office's, in each language.
func TestVerifyWithdrawnLetterBesideASealOfAnotherLog(t *testing.T) {
	o := newOffice(t)
	dir, retracted, file, _, trust := o.releasedForReplay(t)
	superseded := o.releaseSecond(dir)
	replacement := o.letter("Replacement letter", "foreign-government", "# Replacement\n\nSir, the corrected text.\n")
	o.ready(replacement)
	if code, _, errs := o.run("otto", "release", replacement, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	o.retractWith("sam", retracted, "", o.keyID, o.key)
	o.retractWith("sam", superseded, replacement, o.keyID, o.key)

	otherSeal := anotherOfficesSeal(t)
	held := filepath.Join(dir, "held")
	besideOther := func(ref, src string) string {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(held, ref+".pdf")
		write(t, f, data)
		write(t, f+".seal", otherSeal)
		return f
	}
	rf := besideOther(retracted, file)
	sf := besideOther(superseded, filepath.Join(dir, superseded+".pdf"))
	seen := func(f string) string {
		return " (the seal " + f + ".seal is not signed by this office's log key, so it is likely another office's and was not checked: ask the office for the letter's seal again)"
	}
	for _, c := range []struct{ file, prefix string }{
		{rf, "retracted: " + retracted + " was retracted on "},
		{sf, "superseded: " + superseded + " was superseded by " + replacement + " on "},
	} {
		code, out, errs := verifyAt(t, o.url, "--lang", "en", "--trust", trust, c.file)
		out = strings.TrimSpace(out)
		if code != cli.ExitFailed || !strings.HasPrefix(out, c.prefix) || !strings.HasSuffix(out, seen(c.file)) || errs != "" {
			t.Errorf("%s beside a seal of another log: %d %q %q, want %q…%q, exit 1", c.file, code, out, errs, c.prefix, seen(c.file))
		}
	}
	for l, want := range map[string]string{
		"fr": "(le sceau " + rf + ".seal n'est pas signé par la clé du journal de ce service : il est sans doute celui d'un autre service et n'a donc pas été vérifié ; redemandez au service le sceau de la lettre)",
		"ar": "(الختم " + rf + ".seal غير موقّع بمفتاح سجل هذه الجهة، فالأرجح أنه يعود إلى جهة أخرى، ولم يُتحقَّق منه: اطلب ختم الرسالة من الجهة مرة أخرى)",
	} {
		code, out, errs := verifyAt(t, o.url, "--lang", l, "--trust", trust, rf)
		if code != cli.ExitFailed || !strings.HasSuffix(strings.TrimSpace(out), want) {
			t.Errorf("--lang %s, a retracted letter beside a seal of another log: %d %q %q", l, code, out, errs)
		}
	}
	// --json: the registry's answer, verified (seal+log), the seal's line in its message.
	for _, c := range []struct{ file, outcome string }{{rf, "retracted"}, {sf, "superseded"}} {
		code, out, errs := verifyAt(t, o.url, "--json", "--trust", trust, c.file)
		var r cli.VerifyResult
		if err := json.Unmarshal([]byte(out), &r); err != nil || code != cli.ExitFailed || errs != "" || r.Outcome != c.outcome ||
			r.Checked != "seal+log" || r.Reason != "sent in error" || !strings.HasSuffix(r.Message, seen(c.file)) {
			t.Errorf("--json, %s beside a seal of another log: %d %q %q (%v)", c.outcome, code, out, errs, err)
		}
	}
}

// anotherOfficesSeal returns the seal of a letter released by another office ("Other
// Office", its own log and keys), to put beside this office's letters.
func anotherOfficesSeal(t *testing.T) []byte {
	t.Helper()
	other := newOfficeNamed(t, "Other Office", nil)
	_, _, file, _, _ := other.releasedForReplay(t)
	seal, err := os.ReadFile(file + ".seal")
	if err != nil {
		t.Fatal(err)
	}
	return seal
}
