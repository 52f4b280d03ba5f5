package datadir

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/hsm/hsmtest"
)

// TestInitAgainWithATokenLeavesNoStagedKey: an init killed after it staged its key files,
// before its settings, left office.key.init; an init run again with the office key in a
// token (--office-key pkcs11:…) stages no office key, and moved that leftover in as
// office.key: a private key of no one's, beside settings that name the token's key, and in
// every backup of the directory.
func TestInitAgainWithATokenLeavesNoStagedKey(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	pin := hsmtest.Token(t, "chancery", "office")
	dir := filepath.Join(t.TempDir(), "office")
	cmd := exec.Command(os.Args[0], "-test.run=^TestInitCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), initCrashEnv+"="+dir+"\n"+dispatchFile+stagedSuffix)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("init was not killed after staging its keys: %v\n%s", err, out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, officeKeyFile+stagedSuffix)); err != nil {
		t.Fatalf("the killed init staged no office key: %v", err)
	}
	s := crashSettings
	s.OfficeKey = hsmtest.URI("chancery", "office", pin)
	d, err := Init(dir, s)
	if err != nil {
		t.Fatalf("init again with the office key in a token: %v", err)
	}
	defer d.Close()
	for _, n := range []string{officeKeyFile, officeKeyFile + stagedSuffix} {
		if _, err := os.Lstat(filepath.Join(dir, n)); err == nil {
			t.Errorf("%s is in the directory of an office whose key is in a token", n)
		}
	}
}
