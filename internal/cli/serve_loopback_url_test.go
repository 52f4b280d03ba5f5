package cli_test

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/syncbuf"
	"github.com/chancery/chancery/internal/testbin"
)

// TestServeInitializingWarnsOfALoopbackURL: 'chancery init' without --url warns that the
// registry's URL it recorded, a loopback address, is this machine's alone (item 826), but
// 'serve' initializing a new data directory itself recorded its loopback listen address as the
// registry's URL, for good, without a word (found by audit, sixtieth session). It gives init's
// warning; with --url, nothing.
func TestServeInitializingWarnsOfALoopbackURL(t *testing.T) {
	bin := testbin.Shared(t, "./cmd/chancery")
	for _, c := range []struct {
		args []string
		warn bool
	}{
		{[]string{"--listen", "127.0.0.1:0"}, true},
		{[]string{"--listen", "127.0.0.1:0", "--url", "https://letters.example.org"}, false},
	} {
		dir := filepath.Join(t.TempDir(), "reg")
		cmd := exec.Command(bin, append([]string{"serve", "--data", dir}, c.args...)...)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr syncbuf.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		served := ""
		for sc := bufio.NewScanner(stdout); served == "" && sc.Scan(); {
			if rest, ok := strings.CutPrefix(sc.Text(), "chancery: serving "); ok {
				served = strings.Fields(rest)[0]
			}
		}
		cmd.Process.Kill()
		cmd.Wait() // all it wrote is copied
		errs := stderr.String()
		if served == "" || !strings.Contains(errs, "chancery: initialized "+dir) {
			t.Fatalf("serve %v of a new directory did not initialize and serve it:\n%s", c.args, errs)
		}
		want := "chancery: warning: the registry's URL is " + served + ", an address of this machine alone: every released letter's footer and QR code lead there, and the log origin cannot change"
		if c.warn && !strings.Contains(errs, want) {
			t.Errorf("serve %v of a new directory:\n%s\nwant the warning %q…", c.args, errs, want)
		}
		if !c.warn && strings.Contains(errs, "an address of this machine alone") {
			t.Errorf("serve %v of a new directory:\n%s\nwant no warning of a loopback URL", c.args, errs)
		}
	}
}
