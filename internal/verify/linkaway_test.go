package verify

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/seal"
	"github.com/spf13/cobra"
)

// askRecorder is a registry that answers "unknown" and records what it was asked about.
type askRecorder struct {
	mu    sync.Mutex
	files []string
}

func (a *askRecorder) Ask(res Result, _ []byte) Result {
	a.mu.Lock()
	a.files = append(a.files, res.File)
	a.mu.Unlock()
	res.Say(Unknown, Plain("unknown"))
	return res
}

func (a *askRecorder) Compare(res Result, _ []byte, _ string) (Result, bool) { return res, false }

// TestOnlineAsksNothingAboutLinksOutOfTheFolder: online, verify asks the registry about each
// file by its digest and, when the registry does not know it, sends it the file's text. A
// folder of leaked files holding memo.txt, a link to ../secret-notes.txt (or to
// ../../.ssh/id_ed25519, or /proc/self/environ), made verify send the office's registry the
// text of a file of the journalist's computer (seen with a registry that logged its
// requests: {"text":"SECRET-NOTES: source is …"}). A link leading out of its folder, in a
// folder or named (as a shell's glob names a folder's files), is now not read online, and
// its line says why; a link inside the folder is verified as before, and so is everything
// offline.
func TestOnlineAsksNothingAboutLinksOutOfTheFolder(t *testing.T) {
	files := sealVectors(t)
	dir := t.TempDir()
	trust := filepath.Join(dir, "trust.json")
	folder := filepath.Join(dir, "leak")
	secret := filepath.Join(dir, "secret-notes.txt")
	letter := filepath.Join(folder, "letter.txt")
	for name, b := range map[string][]byte{trust: files["trust.json"], secret: []byte("SECRET-NOTES: source is Jane Doe\n"),
		letter: files["letter.txt"]} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	memo := filepath.Join(folder, "memo.txt")
	inside := filepath.Join(folder, "copy.txt")
	if err := os.Symlink("../secret-notes.txt", memo); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.Symlink("letter.txt", inside); err != nil {
		t.Fatal(err)
	}
	// A link inside the folder that names its file by an absolute path, the folder being
	// named by a relative one.
	absInside := filepath.Join(folder, "abs.txt")
	if err := os.Symlink(letter, absInside); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, c := range []struct {
		name            string
		args            []string
		asked, notAsked []string
	}{
		{"a folder", []string{folder}, []string{letter, inside, absInside}, []string{memo}},
		{"a folder's files named", []string{letter, inside, memo}, []string{letter, inside}, []string{memo}},
		{"a folder named by a relative path", []string{"leak"}, []string{"leak/abs.txt", "leak/copy.txt", "leak/letter.txt"}, []string{"leak/memo.txt"}},
	} {
		rec := &askRecorder{}
		cmd := Command("verify", func(*cobra.Command, *seal.TrustRoot, *Verifier) (Online, error) { return rec, nil })
		var out bytes.Buffer
		cmd.SetArgs(append([]string{"--trust", trust}, c.args...))
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		cmd.Execute()
		slices.Sort(rec.files)
		want := slices.Sorted(slices.Values(c.asked))
		if !slices.Equal(rec.files, want) {
			t.Errorf("%s: the registry was asked about %q, want %q", c.name, rec.files, want)
		}
		for _, f := range c.notAsked {
			if !strings.Contains(out.String(), f+": could not verify: "+f+" is a link to "+secret+", outside its folder") {
				t.Errorf("%s: printed\n%s\nwant %s named as a link out of its folder", c.name, out.String(), f)
			}
		}
		// In French, the line is French, as the others are: it was English in every language.
		out.Reset()
		cmd.SetArgs(append([]string{"--lang", "fr", "--trust", trust}, c.args...))
		cmd.Execute()
		if f := c.notAsked[0]; !strings.Contains(out.String(), "est un lien vers "+secret+", hors de son dossier") {
			t.Errorf("%s in French: printed\n%s\nwant %s named as a link out of its folder in French", c.name, out.String(), f)
		}
		// Offline, nothing leaves the computer: the link is read as the file it names.
		var stdout, stderr bytes.Buffer
		Main(append([]string{"--offline", "--trust", trust}, c.args...), &stdout, &stderr)
		if strings.Contains(stdout.String(), "outside its folder") || !strings.Contains(stdout.String(), c.notAsked[0]+": could not verify: no seal") {
			t.Errorf("%s offline: printed\n%s%s\nwant the link read as its file", c.name, stdout.String(), stderr.String())
		}
	}
}
