package datadir

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDirectoryFilesReadToTheirBound: the data directory's settings, key files and published
// checkpoint were read with os.ReadFile. One replaced by a link to a large file (or to
// /dev/zero) was held whole in memory before it was refused, and a FIFO in its place kept
// the command waiting for a writer for ever. Each is now refused, read at most one byte past
// 64 KiB, and a FIFO at once.
func TestDirectoryFilesReadToTheirBound(t *testing.T) {
	tmp := t.TempDir()
	big := filepath.Join(tmp, "big")
	f, err := os.OpenFile(big, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(256 << 20); err != nil { // sparse: no disk for its zeros
		t.Fatal(err)
	}
	f.Close()
	for _, name := range []string{settingsFile, logKeyFile, officeKeyFile, dispatchFile, PublishedFile} {
		for _, kind := range []string{"link to a large file", "fifo"} {
			t.Run(name+"/"+kind, func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "d")
				d, err := Init(dir, Settings{Office: "Bound Office", Prefix: "BND", Origin: "bound.example/log", URL: "https://bound.example"})
				if err != nil {
					t.Fatal(err)
				}
				d.Close()
				if err := d.SetPublished([]byte("bound.example/log\n1\nAAAA\n")); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join(dir, name)
				os.Remove(path)
				if kind == "fifo" {
					if err := syscall.Mkfifo(path, 0o600); err != nil {
						t.Fatal(err)
					}
					// Let a reader stuck on the FIFO go once the test is over.
					t.Cleanup(func() {
						if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
							w.Close()
						}
					})
				} else if err := os.Symlink(big, path); err != nil {
					t.Fatal(err)
				}
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				done := make(chan error, 1)
				go func() {
					if name == PublishedFile {
						_, err := d.Published()
						done <- err
						return
					}
					_, err := Open(dir)
					done <- err
				}()
				select {
				case err = <-done:
				case <-time.After(10 * time.Second):
					t.Fatalf("reading a %s in place of %s still waits after 10 s", kind, name)
				}
				runtime.ReadMemStats(&after)
				want := "larger than"
				if kind == "fifo" {
					want = "not a regular file"
				}
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("a %s in place of %s: %v, want it refused (%s)", kind, name, err, want)
				}
				if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
					t.Errorf("a %s in place of %s: refusing it allocated %d MiB", kind, name, n>>20)
				}
			})
		}
	}
}
