package verify

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestTrustRootReadBounded: the trust root is read only as far as seal.ParseTrustRoot takes
// one (64 KiB). It was read whole before being refused as too large, so --trust or
// CHANCERY_TRUST naming a large file held all of it in memory (256 MiB allocated for a
// file of 256 MiB; /dev/zero, without end, until memory ran out).
func TestTrustRootReadBounded(t *testing.T) {
	files := sealVectors(t)
	dir := t.TempDir()
	letter := filepath.Join(dir, "letter.txt")
	if err := os.WriteFile(letter, files["letter.txt"], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(letter+".seal", files["seals/valid.json"], 0o644); err != nil {
		t.Fatal(err)
	}
	const size = 256 << 20
	big := filepath.Join(dir, "trust.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: no disk is used for its zeros.
	if _, err := f.Write(files["trust.json"]); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var stdout, stderr bytes.Buffer
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	code := Main([]string{"--offline", "--trust", big, letter}, &stdout, &stderr)
	runtime.ReadMemStats(&after)
	if code != ExitError || !strings.Contains(stderr.String(), "larger than") {
		t.Fatalf("exit %d, printed:\n%s%s\nwant exit %d, the trust root refused as too large", code, stdout.String(), stderr.String(), ExitError)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
		t.Fatalf("refusing a trust root of %d MiB allocated %d MiB", size>>20, n>>20)
	}
}
