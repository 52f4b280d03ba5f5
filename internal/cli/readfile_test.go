package cli_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestSmallFilesReadToTheirBound: the files 'seal refresh' and 'monitor' read (a trust root,
// a seal, a log key) are refused as too large without being read whole. Before, each was
// read with os.ReadFile: a file of 256 MiB took 256 MiB of memory before it was refused
// (/dev/zero, until memory ran out).
func TestSmallFilesReadToTheirBound(t *testing.T) {
	dir := t.TempDir()
	const size = 256 << 20
	big := filepath.Join(dir, "big")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil { // sparse: no disk for its zeros
		t.Fatal(err)
	}
	f.Close()
	vectors, err := os.ReadFile("../../testdata/seal-vectors.txtar")
	if err != nil {
		t.Fatal(err)
	}
	trust := filepath.Join(dir, "trust.json")
	for _, f := range txtar.Parse(vectors).Files {
		if f.Name == "trust.json" {
			if err := os.WriteFile(trust, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, args := range [][]string{
		{"seal", "refresh", "--trust", big, "x.seal"},
		{"seal", "refresh", "--trust", trust, "--url", "http://127.0.0.1:1", big},
		{"monitor", "--once", "--trust", big},
		{"monitor", "--once", "--url", "http://127.0.0.1:1", "--key", big},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		code, stdout, stderr := run(args...)
		runtime.ReadMemStats(&after)
		if code == 0 || !strings.Contains(stderr, "larger than") {
			t.Errorf("%s: exit %d, printed:\n%s%s\nwant the file refused as too large", strings.Join(args, " "), code, stdout, stderr)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 { // far below the 256 MiB read before; compiling a policy alone allocates about 20 MiB
			t.Errorf("%s: refusing a file of %d MiB allocated %d MiB", strings.Join(args, " "), size>>20, n>>20)
		}
	}
}
