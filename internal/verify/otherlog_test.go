package verify

import (
	"bytes"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/seal"
	"github.com/spf13/cobra"
)

// checkpointRecorder is a registry that answers "valid" and records the seal checkpoints it
// was given, by Ask and by Compare.
type checkpointRecorder struct {
	mu       sync.Mutex
	asked    int
	given    [][]byte
	compared int
}

func (c *checkpointRecorder) Ask(res Result, cp []byte) Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked++
	if cp != nil {
		c.given = append(c.given, cp)
	}
	res.Say(Valid, Plain("valid: the registry's answer"))
	return res
}

func (c *checkpointRecorder) Compare(res Result, _ []byte, _ string) (Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.compared++
	return res, false
}

// TestSealOfAnotherLogOnlineAsksTheRegistry: online, a letter beside a seal whose checkpoint
// no log key of the trust root signed (seal.ErrNotSignedByLog: likely another office's) was
// "invalid", exit 1, without the registry being asked, which answers valid for the same
// file alone. Such a seal tells nothing of the file, as a damaged seal does not (the lead's
// decision, sixty-first session): the registry is asked as for a file without a seal, its
// answer printed with the line that the seal is likely another office's, in the reader's
// language; the seal's checkpoint, not this log's, is neither given with the question nor
// compared with those of the run. Offline nothing changes (TestSealOfAnotherLogSaysSo).
func TestSealOfAnotherLogOnlineAsksTheRegistry(t *testing.T) {
	dir := vectorFolder(t, map[string]string{"a.txt": "letter.txt", "a.txt.seal": "seals/valid.json"})
	trust := filepath.Join(dir, "trust-other.json")
	letter := filepath.Join(dir, "letters", "a.txt")
	for _, c := range []struct{ lang, want string }{
		{"en", " (the seal " + letter + ".seal is not signed by this office's log key, so it is likely another office's and was not checked: ask the office for the letter's seal again)"},
		{"fr", " (le sceau " + letter + ".seal n'est pas signé par la clé du journal de ce service : il est sans doute celui d'un autre service et n'a donc pas été vérifié ; redemandez au service le sceau de la lettre)"},
		{"ar", " (الختم " + letter + ".seal غير موقّع بمفتاح سجل هذه الجهة، فالأرجح أنه يعود إلى جهة أخرى، ولم يُتحقَّق منه: اطلب ختم الرسالة من الجهة مرة أخرى)"},
	} {
		rec := &checkpointRecorder{}
		out, errs := verifyAsking(rec, "--lang", c.lang, "--trust", trust, letter)
		if rec.asked != 1 || len(rec.given) != 0 || rec.compared != 0 {
			t.Errorf("%s: asked %d times, given %d checkpoints, %d compared; want asked once, with no checkpoint, none compared", c.lang, rec.asked, len(rec.given), rec.compared)
		}
		if got := strings.TrimSpace(out); !strings.HasSuffix(got, c.want) || strings.Contains(got, "invalid") && c.lang == "en" {
			t.Errorf("%s: printed %q %q, want the registry's answer ending %q", c.lang, got, errs, c.want)
		}
	}
}

// TestForgedCheckpointOfThisLogOnlineIsNotAnotherOffices: online, a seal whose checkpoint
// names this office's log but is signed by another key of the log's name (a forgery, which
// a witness the trust root lists cosigned) was answered with the line that the seal "is
// likely another office's", which hid the forgery: offline it says "(or forged)". Its line
// now says the seal names this office's log but is not signed by its log key, so it is
// forged or the trust root out of date, in the reader's language (found by review of
// 8936ed8, sixty-first session).
func TestForgedCheckpointOfThisLogOnlineIsNotAnotherOffices(t *testing.T) {
	dir := vectorFolder(t, map[string]string{"a.txt": "letter.txt", "a.txt.seal": "seals/forged-checkpoint.json"})
	trust := filepath.Join(dir, "trust.json")
	letter := filepath.Join(dir, "letters", "a.txt")
	for _, c := range []struct{ lang, want string }{
		{"en", " (the seal " + letter + ".seal names this office's log but is not signed by its log key, so it is forged, or the trust root out of date, and was not checked: ask the office for the letter's seal again)"},
		{"fr", " (le sceau " + letter + ".seal se réclame du journal de ce service mais n'est pas signé par la clé de ce journal : il est contrefait, ou la racine de confiance n'est pas à jour, et n'a donc pas été vérifié ; redemandez au service le sceau de la lettre)"},
		{"ar", " (الختم " + letter + ".seal ينسب نفسه إلى سجل هذه الجهة لكنه غير موقّع بمفتاح هذا السجل، فهو مزوّر أو أن جذر الثقة غير محدَّث، ولم يُتحقَّق منه: اطلب ختم الرسالة من الجهة مرة أخرى)"},
	} {
		rec := &checkpointRecorder{}
		out, errs := verifyAsking(rec, "--lang", c.lang, "--trust", trust, letter)
		if rec.asked != 1 || len(rec.given) != 0 || rec.compared != 0 {
			t.Errorf("%s: asked %d times, given %d checkpoints, %d compared; want asked once, with no checkpoint, none compared", c.lang, rec.asked, len(rec.given), rec.compared)
		}
		if got := strings.TrimSpace(out); !strings.HasSuffix(got, c.want) || strings.Contains(got, "another office") {
			t.Errorf("%s: printed %q %q, want the registry's answer ending %q", c.lang, got, errs, c.want)
		}
	}
}

// unknownRegistry is a registry that knows no file.
type unknownRegistry struct{ checkpointRecorder }

func (u *unknownRegistry) Ask(res Result, _ []byte) Result {
	res.Say(Unknown, Plain("unknown: no letter of this office has these exact bytes"))
	return res
}

// TestSealOfAnotherLogOnlineStillNamesTheTrustRoot: online, a genuine letter beside its own
// seal, verified with a trust root that is not its office's (the registry asked is that trust
// root's, which does not know the file), was "unknown" with the line that the seal is likely
// another office's, and no longer said to check --trust, as it did before 8936ed8 and still
// does offline: the holder was sent after the seal, not the trust root they mistook. The line
// of an answer that is no letter in force now says the trust root may not be this office's,
// and to check --trust, in the reader's language (found by review of 8936ed8, sixty-first
// session).
func TestSealOfAnotherLogOnlineStillNamesTheTrustRoot(t *testing.T) {
	dir := vectorFolder(t, map[string]string{"a.txt": "letter.txt", "a.txt.seal": "seals/valid.json"})
	trust := filepath.Join(dir, "trust-other.json")
	letter := filepath.Join(dir, "letters", "a.txt")
	for _, c := range []struct{ lang, want string }{
		{"en", "unknown: no letter of this office has these exact bytes (the seal " + letter + ".seal is not signed by the log key of the trust root in use, so it is likely another office's, or the trust root is not this office's: check --trust " + trust + "; the seal was not checked)"},
		{"fr", " (le sceau " + letter + ".seal n'est pas signé par la clé du journal de la racine de confiance utilisée : il est sans doute celui d'un autre service, ou la racine de confiance n'est pas celle de ce service : vérifiez --trust " + trust + " ; le sceau n'a pas été vérifié)"},
		{"ar", " (الختم " + letter + ".seal غير موقّع بمفتاح السجل الخاص بجذر الثقة المستخدم، فالأرجح أنه يعود إلى جهة أخرى، أو أن جذر الثقة ليس جذر هذه الجهة: تحقّق من --trust " + trust + "؛ ولم يُتحقَّق من الختم)"},
	} {
		out, errs := verifyAsking(&unknownRegistry{}, "--lang", c.lang, "--trust", trust, letter)
		if got := strings.TrimSpace(out); !strings.HasSuffix(got, c.want) {
			t.Errorf("%s: printed %q %q, want ending %q", c.lang, got, errs, c.want)
		}
	}
}

// invalidRegistry is a registry whose answer does not verify under the trust root in use.
type invalidRegistry struct{ checkpointRecorder }

func (u *invalidRegistry) Ask(res Result, _ []byte) Result {
	res.Say(Invalid, Plain("invalid: the registry's seal does not verify: verify seal: bad checkpoint: not signed by the log key"))
	return res
}

// TestSealOfAnotherLogOnlineInvalidAnswerNamesTheTrustRoot: online, a genuine letter beside
// its own seal, verified with another office's trust root and --url naming the letter's
// registry, was "invalid: the registry's seal does not verify: … not signed by the log key",
// printed as it was, where before 8936ed8 the line said the trust root may not be this
// office's and to check --trust: the advice was lost for the one mistake the holder made. An
// invalid answer now carries the seal's line with that advice, its outcome unchanged (found by
// review of 8936ed8, sixty-first session).
func TestSealOfAnotherLogOnlineInvalidAnswerNamesTheTrustRoot(t *testing.T) {
	dir := vectorFolder(t, map[string]string{"a.txt": "letter.txt", "a.txt.seal": "seals/valid.json"})
	trust := filepath.Join(dir, "trust-other.json")
	letter := filepath.Join(dir, "letters", "a.txt")
	out, errs := verifyAsking(&invalidRegistry{}, "--lang", "en", "--trust", trust, letter)
	want := "invalid: the registry's seal does not verify: verify seal: bad checkpoint: not signed by the log key (the seal " + letter + ".seal is not signed by the log key of the trust root in use, so it is likely another office's, or the trust root is not this office's: check --trust " + trust + "; the seal was not checked)"
	if got := strings.TrimSpace(out); got != want {
		t.Errorf("printed %q %q, want %q", got, errs, want)
	}
}

// verifyAsking runs the verify command with args, the registry asked being reg, and returns
// what it printed on stdout and stderr.
func verifyAsking(reg Online, args ...string) (stdout, stderr string) {
	cmd := Command("verify", func(*cobra.Command, *seal.TrustRoot, *Verifier) (Online, error) { return reg, nil })
	var out, errs bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errs)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmd.Execute()
	return out.String(), errs.String()
}
