package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestIdentifyStdinOverItsBound: 'identify --text -' read standard input to its bound (64
// MiB) and identified what it had read, a text cut short without a word, where 'identify
// --text FILE' refuses the same text as too large. Both refuse it now. The bound is lowered
// to 1 MiB for the test.
func TestIdentifyStdinOverItsBound(t *testing.T) {
	const maxIdentifyFile = 1 << 20
	t.Cleanup(cli.SetMaxIdentifyFile(maxIdentifyFile))
	in := sparse(t, filepath.Join(t.TempDir(), "text"), maxIdentifyFile+1)
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	defer func(s *os.File) { os.Stdin = s }(os.Stdin)
	os.Stdin = f
	t.Setenv("CHANCERY_URL", "http://127.0.0.1:1")
	code, out, errs := run("identify", "--text", "-")
	if code == 0 || out != "" || !strings.Contains(errs, "chancery: error: standard input is larger than") {
		t.Fatalf("identify --text - of %d bytes: status %d\n%s%s\nwant it refused as too large", maxIdentifyFile+1, code, out, errs)
	}
	code, _, errs = run("identify", "--text", in)
	if code == 0 || !strings.Contains(errs, "is larger than") {
		t.Fatalf("identify --text FILE of %d bytes: status %d\n%s\nwant it refused as too large", maxIdentifyFile+1, code, errs)
	}
}
