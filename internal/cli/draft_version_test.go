package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// TestDraftExportOfTheVersionRead: `chancery draft export --version DIGEST` makes the copy of
// the version the member read, and refuses, writing nothing, once a revision has come since:
// a coordination copy never carries text its sender has not read (the letter page's forms do
// the same, security.md item 78).
func TestDraftExportOfTheVersionRead(t *testing.T) {
	o := newOffice(t)
	first := "# Coordination\n\nSir, the units move on Monday.\n"
	ref := o.letter("Coordination", "foreign-government", first)
	read := string(seal.DigestOf([]byte(first)))
	second := "# Coordination\n\nSir, the units move on Monday, and the artillery with them.\n"
	if _, err := o.reg.Revise(context.Background(), o.actors["dana"], ref, registry.Upload{Name: "letter.md", MediaType: "text/markdown", Data: []byte(second)}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	stale := filepath.Join(dir, "stale.pdf")
	code, _, stderr := o.run("dana", "draft", "export", ref, "--for", "Liaison cell", "--out", stale, "--version", read)
	if code == cli.ExitOK || !strings.Contains(stderr, "not the latest version") {
		t.Fatalf("export of a version no longer the latest: %d %s", code, stderr)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Fatal("a copy was written")
	}
	latest := filepath.Join(dir, "latest.pdf")
	code, stdout, stderr := o.run("dana", "draft", "export", ref, "--for", "Liaison cell", "--out", latest, "--version", string(seal.DigestOf([]byte(second))))
	if code != cli.ExitOK || !strings.Contains(stdout, "version 2") {
		t.Fatalf("export of the latest version read: %d %s %s", code, stdout, stderr)
	}
}
