package cli

import (
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/keys"
	"github.com/spf13/cobra"
)

// A wrong passphrase is said in plain words, with a hint, and the right one loads the key.
func TestLoadKeyPassphrase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sam.key")
	k, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.WriteNew(path, k, "the right passphrase", keys.WorkFactor(10)); err != nil {
		t.Fatal(err)
	}
	c := &cobra.Command{}
	c.SetErr(io.Discard)

	t.Setenv(keys.PassphraseEnv, "a wrong passphrase")
	_, err = loadKey(c, path)
	var h *hinted
	if !errors.As(err, &h) || err.Error() != "the passphrase does not open "+path || !strings.Contains(h.hint, "chancery key new") {
		t.Fatalf("wrong passphrase: %v (%#v)", err, h)
	}

	t.Setenv(keys.PassphraseEnv, "the right passphrase")
	got, err := loadKey(c, path)
	if err != nil || !got.Equal(k) {
		t.Fatalf("right passphrase: %v", err)
	}
}

// TestReleasedNameStaysInTheDirectory: the name of a fetched letter comes from the registry's
// answer (its reference and file name); whatever they say, the file is written in the
// directory asked for, not elsewhere on the member's machine (a registry reached over plain
// HTTP answers whatever someone on the way wants).
func TestReleasedNameStaysInTheDirectory(t *testing.T) {
	for _, c := range []struct{ ref, file string }{
		{"TFN-2026-000001", "letter.md"},
		{"../../.config/autostart/evil", "x.desktop"},
		{"/etc/cron.d/evil", "x.pdf"},
		{"..", "../../x.pdf"},
		{`..\..\evil`, "x.pdf"},
	} {
		name := releasedName(c.ref, c.file)
		if strings.ContainsAny(name, `/\`) || name == "." || name == ".." || filepath.Join("out", name) != "out/"+name {
			t.Errorf("releasedName(%q, %q) = %q: not a file in the directory", c.ref, c.file, name)
		}
	}
}

// TestReleasedNameIsNeverHidden: a name made from a registry's answer never starts with a
// dot, so that it cannot be one of the files a shell or a desktop reads from a home directory
// (".bash_login", ".profile"), which --out . in one would create.
func TestReleasedNameIsNeverHidden(t *testing.T) {
	for _, c := range []struct{ ref, file string }{
		{".bash_login", "x"}, {"", ".profile"}, {".", ".pdf"}, {"..", "x"},
	} {
		if name := releasedName(c.ref, c.file); strings.HasPrefix(name, ".") {
			t.Errorf("releasedName(%q, %q) = %q: a hidden file", c.ref, c.file, name)
		}
	}
}

// TestEscaperKeepsCharactersSplitBetweenWrites: a character whose bytes come in two writes
// (a buffered writer's flush) is printed whole, lines and tabs are kept, and what a terminal
// would act on is escaped.
func TestEscaperKeepsCharactersSplitBetweenWrites(t *testing.T) {
	var b strings.Builder
	e := &escaper{w: &b}
	in := "Défense\tnationale\n\x1b[2K\u202e"
	for i := range len(in) {
		e.Write([]byte{in[i]})
	}
	e.Write([]byte("\xe2\x80"))
	e.flush()
	if want := "Défense\tnationale\n\\x1b[2K\\u202e\\xe2\\x80"; b.String() != want {
		t.Fatalf("escaped %q, want %q", b.String(), want)
	}
}
