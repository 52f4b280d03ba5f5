// Package testbin builds the chancery binary for tests that run it as a user would (the
// README walkthrough, the crash test, the independent verification).
package testbin

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Build builds cmd/chancery of this module into a temporary directory and returns its path.
// A missing go command is a failure, not a skip: these tests are how CI runs the binary.
func Build(t testing.TB) string {
	t.Helper()
	return BuildCommand(t, "./cmd/chancery")
}

// BuildCommand builds the command pkg of this module (such as "./cmd/chancery-verify") into a
// temporary directory, as Build does, and returns its path.
func BuildCommand(t testing.TB, pkg string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command to build chancery with: %v", err)
	}
	gomod, err := exec.Command(goTool, "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	build := exec.Command(goTool, "build", "-o", bin, pkg)
	build.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
