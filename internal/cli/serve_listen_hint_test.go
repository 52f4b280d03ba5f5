package cli_test

import (
	"net"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeListenHints: serve said "another process may be using" an address it could not
// listen on whatever the cause, a host that does not resolve included. That hint is now
// given only when the address is in use; otherwise the hint says what --listen takes.
func TestServeListenHints(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := filepath.Join(t.TempDir(), "d")
	for _, c := range []struct{ listen, hint string }{
		{ln.Addr().String(), "chancery: hint: another process is using " + ln.Addr().String()},
		{"no-such-host.invalid:8080", "chancery: hint: pass --listen HOST:PORT with an address of this machine"},
	} {
		code, _, stderr := run("serve", "--data", data, "--listen", c.listen)
		if code != 2 || !strings.Contains(stderr, c.hint) {
			t.Errorf("serve --listen %s: status %d, want 2 and %q\n%s", c.listen, code, c.hint, stderr)
		}
	}
}
