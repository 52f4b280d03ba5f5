package cli_test

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/testbin"
)

// TestServeStoppedWhileStartingExitsZero: a SIGTERM while serve opens the office (here held
// at its database's connection, a listener that accepts and never answers) ended it with
// status 2 and "chancery: error: store: connect to …: context canceled", a failure that
// systemd records, where a stop was asked for (fifty-eighth session's not-fixed list, the
// lead's decision). It now says "chancery: stopped while starting" and exits 0; a start that
// fails on its own (the database closing the connection) keeps its error and status 2.
func TestServeStoppedWhileStartingExitsZero(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reg")
	if code, _, stderr := run("init", "--data", dir, "--office", "Stopping Office", "--prefix", "STP"); code != 0 {
		t.Fatalf("init: exit %d\n%s", code, stderr)
	}
	// Served from PostgreSQL, as a directory moved there is: without its SQLite database.
	for _, f := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(filepath.Join(dir, store.SQLiteFile+f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	bin := testbin.Shared(t, "./cmd/chancery")
	for _, tc := range []struct {
		name   string
		answer bool // the database closes the connection at once rather than holding it
	}{{"stopped", false}, {"failed", true}} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			reached := make(chan net.Conn, 16)
			go func() {
				for {
					conn, err := db.Accept()
					if err != nil {
						close(reached)
						return
					}
					if tc.answer {
						conn.Close()
						continue
					}
					reached <- conn
				}
			}()
			cmd := exec.Command(bin, "serve", "--data", dir, "--listen", "127.0.0.1:0",
				"--database", "postgres://chancery@"+db.Addr().String()+"/held?sslmode=disable")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if !tc.answer {
				// serve is opening the office once its database is reached: its signal
				// handler is in place (serve's first step).
				conn, ok := <-reached
				if !ok {
					t.Fatal("the database's listener stopped")
				}
				defer conn.Close()
				if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
			}
			err = cmd.Wait()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if tc.answer {
				if code != 2 || !strings.Contains(stderr.String(), "chancery: error: store: connect to") || strings.Contains(stderr.String(), "stopped while starting") {
					t.Errorf("serve whose database closes the connection: exit %d\n%s\nwant 2 and its error", code, stderr.String())
				}
				return
			}
			if code != 0 || !strings.Contains(stderr.String(), "chancery: stopped while starting\n") || strings.Contains(stderr.String(), "chancery: error") {
				t.Errorf("serve stopped while it opens the office: exit %d\n%s\nwant 0 and \"chancery: stopped while starting\"", code, stderr.String())
			}
			if strings.Contains(stdout.String(), "chancery: serving") {
				t.Errorf("serve said it served:\n%s", stdout.String())
			}
		})
	}
}
