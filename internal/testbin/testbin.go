// Package testbin builds the chancery binary for tests that run it as a user would (the
// README walkthrough, the crash test, the independent verification).
package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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
	return build(t, t.TempDir(), pkg)
}

// BinEnv names the environment variable that holds a directory of the module's commands
// built beforehand, each under its own name (chancery, chancery-verify), as build builds
// them: scripts/test builds them once for every test package, rather than each package's
// tests linking its own (a few seconds of processor time a link). Build and Shared take a
// command from there when it is present, and build it otherwise.
const BinEnv = "CHANCERY_TEST_BIN"

// build builds pkg into dir, or links there the one built beforehand in $CHANCERY_TEST_BIN.
// Without the symbol table and debug information (-s -w) the link takes about 40% less time,
// for a binary whose stack traces are whole (they come from the runtime's own tables); a test
// that wants to debug the binary builds its own.
func build(t testing.TB, dir, pkg string) string {
	t.Helper()
	bin := filepath.Join(dir, filepath.Base(pkg))
	if prebuilt := os.Getenv(BinEnv); prebuilt != "" {
		from := filepath.Join(prebuilt, filepath.Base(pkg))
		if _, err := os.Stat(from); err == nil {
			if err := linkOrCopy(from, bin); err != nil {
				t.Fatalf("%s: %v", BinEnv, err)
			}
			return bin
		}
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command to build chancery with: %v", err)
	}
	gomod, err := exec.Command(goTool, "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	cmd := exec.Command(goTool, "build", "-ldflags=-s -w", "-o", bin, pkg)
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// linkOrCopy makes to the same file as from: a hard link, or a copy on another file system.
func linkOrCopy(from, to string) error {
	if os.Link(from, to) == nil {
		return nil
	}
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o755)
}

// shared holds the binaries Shared built in this test process.
var shared struct {
	sync.Mutex
	dir  string
	bins map[string]string
}

// Shared is BuildCommand for a package whose tests run the same binary many times: it is
// built once per test process, into a directory that RemoveShared removes. Only a package
// whose TestMain calls RemoveShared after its tests may use it. The binary is the tests' to
// run, not to change.
func Shared(t testing.TB, pkg string) string {
	t.Helper()
	shared.Lock()
	defer shared.Unlock()
	if bin, ok := shared.bins[pkg]; ok {
		return bin
	}
	if shared.dir == "" {
		dir, err := os.MkdirTemp("", "chancery-testbin-")
		if err != nil {
			t.Fatal(err)
		}
		shared.dir, shared.bins = dir, map[string]string{}
	}
	sub, err := os.MkdirTemp(shared.dir, "")
	if err != nil {
		t.Fatal(err)
	}
	bin := build(t, sub, pkg)
	shared.bins[pkg] = bin
	return bin
}

// RemoveShared removes what Shared built: call it from TestMain once the tests have run.
func RemoveShared() {
	shared.Lock()
	defer shared.Unlock()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	shared.dir, shared.bins = "", nil
}
