package officeca_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca"
)

// TestLoadAndRenewReadBoundedFiles: Load and Renew read the directory's files whole; a FIFO
// in place of one kept them waiting for ever (serve at start, key rotate pdf-cert), and a
// link to /dev/zero or a huge file was read into memory before being refused. Each is now
// refused at once, naming the file.
func TestLoadAndRenewReadBoundedFiles(t *testing.T) {
	cases := []struct {
		file string
		make func(t *testing.T, path string)
		want string
	}{
		{officeca.SigningCertFile, mkfifo, "not a regular file"},
		{officeca.SigningKeyFile, mkfifo, "not a regular file"},
		{officeca.CACertFile, mkfifo, "not a regular file"},
		{officeca.CACertFile, func(t *testing.T, path string) {
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Fatal(err)
			}
		}, "not a regular file"},
		{officeca.SigningCertFile, func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			// Sparse: 8 MiB without writing them.
			if err := f.Truncate(8 << 20); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}, "larger than"},
	}
	for _, c := range cases {
		for _, op := range []string{"Load", "Renew"} {
			if op == "Renew" && c.file == officeca.SigningKeyFile {
				continue // Renew does not read the signing key unless a renewal was interrupted.
			}
			t.Run(op+"/"+c.file+"/"+c.want, func(t *testing.T) {
				dir := t.TempDir()
				if err := officeca.Create(dir, "Task Force North", now); err != nil {
					t.Fatal(err)
				}
				caKey, err := os.ReadFile(filepath.Join(dir, officeca.CAKeyFile))
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join(dir, c.file)
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
				c.make(t, path)
				done := make(chan error, 1)
				go func() {
					var err error
					if op == "Load" {
						_, err = officeca.Load(dir)
					} else {
						_, err = officeca.Renew(dir, caKey, now.Add(time.Hour))
					}
					done <- err
				}()
				select {
				case err := <-done:
					if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.file) {
						t.Fatalf("%s = %v, want an error naming %s: %s", op, err, c.file, c.want)
					}
				case <-time.After(10 * time.Second):
					// Unblock the open so that the goroutine ends.
					if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
						w.Close()
					}
					t.Fatalf("%s still waiting on %s after 10s", op, c.file)
				}
			})
		}
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
}
