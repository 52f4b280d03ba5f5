package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/identify/synth"
)

// TestVerifyQuotedText: a file the registry does not know whose text quotes a released letter
// word for word is said to hold an excerpt of it; one whose quotation has a figure changed
// is said to be close to it, not an excerpt. Both are altered: the bytes are not a letter's.
func TestVerifyQuotedText(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	corpus := synth.Corpus{Seed: 41, FamilySize: 1}
	body := corpus.Letter(0).Text() + "\n\nThe ministry will move 277 trucks on Monday and the other 300 trucks later.\n\n" + corpus.Letter(1).Text()
	ref, trust := o.releasedMovements(t, body, dir)
	words := strings.Fields(corpus.Letter(0).Text())
	quote := strings.Join(words[len(words)-30:], " ") + "\n\nThe ministry will move 277 trucks on Monday and the other 300 trucks later.\n"
	for _, c := range []struct{ name, text, says string }{
		{"quote.txt", quote, "is an excerpt of " + ref},
		{"misquote.txt", strings.Replace(quote, "300 trucks", "900 trucks", 1), "is close to " + ref},
	} {
		file := filepath.Join(dir, c.name)
		write(t, file, []byte(c.text))
		_, out, _ := verifyAt(t, o.url, "--trust", trust, "--json", file)
		var r cli.VerifyResult
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%s: %v: %s", c.name, err, out)
		}
		if r.Outcome != "altered" || !strings.Contains(r.Message, c.says) {
			t.Errorf("%s: %s: %s; want altered, %q", c.name, r.Outcome, r.Message, c.says)
		}
	}
}

// TestVerifyAlteredTextNamesTheStateInTheReadersLanguage: the line for a text close to a
// released letter names that letter's state in the reader's language, as the rest of the line;
// --json keeps the English message.
func TestVerifyAlteredTextNamesTheStateInTheReadersLanguage(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	body := synth.Corpus{Seed: 41, FamilySize: 1}.Letter(0).Text() + "\n\nThe ministry will move 300 trucks later.\n"
	ref, trust := o.releasedMovements(t, body, dir)
	file := filepath.Join(dir, "misquote.txt")
	write(t, file, []byte(strings.Replace(body, "300 trucks", "900 trucks", 1)))
	for _, c := range []struct{ lang, says string }{
		{"en", ref + " (valid)"},
		{"fr", ref + " (valide)"},
		{"ar", ref + " (صالحة)"},
	} {
		_, out, _ := verifyAt(t, o.url, "--trust", trust, "--lang", c.lang, file)
		if !strings.Contains(out, c.says) {
			t.Errorf("--lang %s: %q; want %q in it", c.lang, out, c.says)
		}
	}
	// --json stays English.
	_, out, _ := verifyAt(t, o.url, "--trust", trust, "--lang", "fr", "--json", file)
	if !strings.Contains(out, ref+" (valid)") {
		t.Errorf("--json --lang fr: %s; want the English message", out)
	}
}

// releasedMovements releases a letter of body into dir and writes the office's trust root
// there, returning the letter's reference and the trust root's path.
func (o *office) releasedMovements(t *testing.T, body, dir string) (ref, trust string) {
	t.Helper()
	ref = o.letter("Movements", "foreign-government", body)
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	tb, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trust = filepath.Join(dir, "trust.json")
	write(t, trust, tb)
	return ref, trust
}
