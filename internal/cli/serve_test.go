package cli_test

import (
	"bytes"
	"net"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// serve --demo binds its port first: a busy port fails at once, before any demo is built, and
// leaves no data directory behind.
func TestServeBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	data := t.TempDir() + "/reg"
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"serve", "--demo", "--data", data, "--listen", ln.Addr().String()}, &stdout, &stderr)
	if code != cli.ExitError || !strings.Contains(stderr.String(), "address already in use") || !strings.Contains(stderr.String(), "chancery: hint: ") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if strings.Contains(stderr.String(), "initialized") || strings.Contains(stderr.String(), "demo office") {
		t.Errorf("the demo was built before the port was bound:\n%s", stderr.String())
	}
}
