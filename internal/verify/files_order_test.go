package verify

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestVerifyFilesOrderAndStop checks the streaming of a folder's results: every file's result
// comes once, in the order of the files, through more files than the window of results that
// may wait; and a consumer that stops early stops the workers rather than leaving them
// blocked (the test would hang).
func TestVerifyFilesOrderAndStop(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i := range 3*resultWindow + 7 {
		f := filepath.Join(dir, fmt.Sprintf("f%04d.txt", i))
		if err := os.WriteFile(f, []byte(fmt.Sprint(i)), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	// Offline, without seals: each file's result says so, from its own digest.
	vf := &Verifier{}
	i := 0
	for r := range vf.verifyFiles(files, nil) {
		if r.File != files[i] || r.Outcome != "error" || r.Digest != digestOf(t, files[i]) {
			t.Fatalf("result %d is %+v, want the no-seal error of %s", i, r, files[i])
		}
		i++
	}
	if i != len(files) {
		t.Fatalf("%d results for %d files", i, len(files))
	}
	n := 0
	for range vf.verifyFiles(files, nil) {
		if n++; n == 5 {
			break
		}
	}
}

func digestOf(t *testing.T, name string) string {
	t.Helper()
	d, err := newScratch().digest(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(d)
}
