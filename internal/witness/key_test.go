package witness

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// keyChildEnv names, for TestKeyCreationKilledChild, the directory it creates keys in.
const keyChildEnv = "CHANCERY_WITNESS_KEY_CHILD"

// TestKeyCreationKilledLeavesNothing: a witness key creation killed midway (kill -9, a power
// loss) left its .witness-key-* temporary file, a private key never used or a copy of the
// key, for good. Once the key exists LoadKey removes such files, whether it created the key
// or found it there; other files beside it are kept.
func TestKeyCreationKilledLeavesNothing(t *testing.T) {
	const name = "witness.test.example"
	names := func(dir string) []string {
		t.Helper()
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range ents {
			out = append(out, e.Name())
		}
		return out
	}
	write := func(path, s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	dir := t.TempDir()
	write(filepath.Join(dir, ".witness-key-1234567"), "PRIVATE+KEY+witness.test.example+0")
	write(filepath.Join(dir, "witness.db"), "kept")
	if _, err := LoadKey(dir, name); err != nil {
		t.Fatal(err)
	}
	if got := names(dir); !slices.Equal(got, []string{"witness.db", KeyFile}) {
		t.Errorf("created beside a killed creation's file: the directory holds %q", got)
	}
	key, err := os.ReadFile(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(dir, ".witness-key-7654321"), string(key))
	if _, err := LoadKey(dir, name); err != nil {
		t.Fatal(err)
	}
	if got := names(dir); !slices.Equal(got, []string{"witness.db", KeyFile}) {
		t.Errorf("loaded beside a killed creation's copy of the key: the directory holds %q", got)
	}

	// A process creating keys one directory after another is killed as soon as a
	// temporary file shows: the next LoadKey of each directory leaves its key alone.
	for attempt := 0; ; attempt++ {
		if attempt == 10 {
			t.Fatal("the creating process was never killed with a temporary file left")
		}
		dir := t.TempDir()
		if !killedCreating(t, dir) {
			continue
		}
		subs, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, sub := range subs {
			if _, err := LoadKey(sub, name); err != nil {
				t.Fatalf("%s: %v", sub, err)
			}
			if got := names(sub); !slices.Equal(got, []string{KeyFile}) {
				t.Errorf("%s holds %q after the next LoadKey", sub, got)
			}
		}
		return
	}
}

// killedCreating runs TestKeyCreationKilledChild on dir and kills it once a temporary key
// file shows there. It reports whether one was left.
func killedCreating(t *testing.T, dir string) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKeyCreationKilledChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), keyChildEnv+"="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	temps := func() []string {
		m, _ := filepath.Glob(filepath.Join(dir, "*", keyTempPrefix+"*"))
		return m
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(temps()) == 0 {
		select {
		case err := <-done:
			t.Fatalf("the creating process ended: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-done
			t.Fatal("no temporary key file showed in 20 s")
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	return len(temps()) > 0
}

// TestKeyCreationKilledChild creates keys in the directories 0, 1, 2… of the directory
// keyChildEnv names, until it is killed.
func TestKeyCreationKilledChild(t *testing.T) {
	dir := os.Getenv(keyChildEnv)
	if dir == "" {
		t.Skip("run by TestKeyCreationKilledLeavesNothing")
	}
	for i := 0; ; i++ {
		if _, err := LoadKey(filepath.Join(dir, fmt.Sprint(i)), "witness.test.example"); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLoadKeyReadsABoundedRegularFile: LoadKey read witness.key whole; a FIFO in its place
// kept the witness waiting for ever at start, and a huge file was read into memory before
// being refused. Each is now refused at once, naming the file. (A link to /dev/zero is
// refused already by the mode check: it reads as 0666.)
func TestLoadKeyReadsABoundedRegularFile(t *testing.T) {
	const name = "witness.test.example"
	for _, c := range []struct {
		what string
		make func(path string) error
		want string
	}{
		{"fifo", func(path string) error { return syscall.Mkfifo(path, 0o600) }, "not a regular file"},
		{"large", func(path string) error {
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return err
			}
			defer f.Close()
			return f.Truncate(8 << 20) // sparse
		}, "larger than"},
	} {
		t.Run(c.what, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, KeyFile)
			if err := c.make(path); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				_, err := LoadKey(dir, name)
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
					t.Fatalf("LoadKey = %v, want an error naming %s: %s", err, path, c.want)
				}
			case <-time.After(10 * time.Second):
				if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					w.Close()
				}
				t.Fatalf("LoadKey still waiting on %s after 10s", path)
			}
		})
	}
}
