package cli_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/testbin"
	"golang.org/x/mod/sumdb/note"
)

// TestLockFileOfAnotherUserHintsAtItsOwner: live, a data directory of the service's user
// holding a lock file, the database or SQLite's write-ahead log, the settings or a key file,
// left owned by root: the command run as that user hinted that the directory was not
// writable (the lock file), or gave no hint at all (the database, "store: create …:
// permission denied"; the log, "unable to open database file"; the settings and keys, "read
// log key: open …: permission denied"). Each hint now names the file, its owner and the chown that gives
// it back. It needs root, to leave a file of another user and run
// chancery as that one; TestOwnedLockFileHintNamesItsOwner tests the hint everywhere.
func TestLockFileOfAnotherUserHintsAtItsOwner(t *testing.T) {
	name, base, bin := asNobody(t, "leaving a file owned by another user, and running chancery as that user, needs root")
	const uid = 65534 // nobody
	dir := filepath.Join(base, "office")
	if code, out, errs := run("init", "--data", dir, "--office", "Owned Office", "--prefix", "OWN", "--url", "https://owned.example", "--no-pdf-ca"); code != 0 {
		t.Fatalf("init: status %d\n%s%s", code, out, errs)
	}
	err := filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, uid)
	})
	if err != nil {
		t.Fatal(err)
	}
	// The settings and key files, which every command opening the office reads, failed
	// "read log key: open …: permission denied" (or "read settings", "read office key",
	// "read dispatch secret") with no hint (fifty-eighth session's not-fixed list, the
	// lead's decision): they get the same hint, from every command and from serve.
	// And the data directory itself, root's (mode 0700): "read settings: open …: permission
	// denied", no hint (found by audit, fifty-ninth session).
	for _, file := range []string{"serve.lock", "chancery.db", "chancery.db-wal", "chancery.db-journal", "chancery.json", "log.key", "office.key", "dispatch.key", "log.key serve", "."} {
		args := []string{"member", "recover", "admin", "--data", dir}
		if f, ok := strings.CutSuffix(file, " serve"); ok {
			file, args = f, []string{"serve", "--data", dir, "--listen", "127.0.0.1:0"}
		}
		path := filepath.Join(dir, file)
		if strings.HasSuffix(file, "-journal") {
			// A rollback journal left by a command run as root on a database of mode 0644
			// (a restore of a backup whose manifest says so), stopped short: SQLite gives it
			// the database's mode, and the opening's chmod of it is refused (EPERM). The
			// shared memory file root left beside it is not reached: the hint names the file
			// the error names.
			shm := filepath.Join(dir, "chancery.db-shm")
			err := os.WriteFile(path, nil, 0o644)
			if err == nil {
				err = os.Chmod(path, 0o644)
			}
			if err == nil {
				err = os.WriteFile(shm, nil, 0o600)
			}
			if err == nil {
				err = os.Chown(shm, 0, 0)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer os.Remove(path)
			defer os.Remove(shm)
		}
		if strings.HasSuffix(file, "-wal") {
			// Left by a command run as root and stopped short, with its shared memory.
			for _, p := range []string{path, filepath.Join(dir, "chancery.db-shm")} {
				if err := os.WriteFile(p, nil, 0o600); err != nil {
					t.Fatal(err)
				}
				defer os.Remove(p)
			}
		}
		if err := os.Chown(path, 0, 0); err != nil {
			t.Fatal(err)
		}
		stderr, err := runAsNobody(bin, base, args...)
		want := "chancery: hint: " + path + " belongs to root (uid 0), not to the user running chancery (" + name + ", uid 65534)"
		// The data directory's hint gives back the files in it too, all the office's, at
		// once (chown -R), where each was then named in turn (the lead's decision on item
		// 965, fifty-ninth session); a file's names the file alone.
		chown := "'sudo chown " + name + " " + path + "'"
		if file == "." {
			chown = "'sudo chown -R " + name + " " + path + "'"
		}
		if err == nil || !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), chown) {
			t.Errorf("%s left owned by root, %s: %v\n%s\nwant the hint %q… and %s", file, args[0], err, stderr.String(), want, chown)
		}
		if err := os.Chown(path, uid, uid); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(file, "-wal") {
			if err := os.Chown(filepath.Join(dir, "chancery.db-shm"), uid, uid); err != nil {
				t.Fatal(err)
			}
		}
	}

	// A token's PIN file that root left private to itself: the hint was to add pin-source to
	// the URI, which names it already (found by audit, fifty-ninth session), for the
	// directory's key and for a rotation's new key. The PIN is read before the module is
	// loaded: no token is needed.
	for _, f := range []string{"chancery.db-journal", "chancery.db-shm"} { // root's, left by the journal's case
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	pin := filepath.Join(base, "office.pin")
	if err := os.WriteFile(pin, []byte("1234\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	uri := "pkcs11:token=office;object=office?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=" + pin
	for _, args := range [][]string{{"key", "rotate", "office", "--to", uri, "--data", dir}, {"log", "verify", "--data", dir}} {
		if args[0] == "log" {
			settings := filepath.Join(dir, "chancery.json")
			js, err := os.ReadFile(settings)
			if err != nil {
				t.Fatal(err)
			}
			var s map[string]any
			if err := json.Unmarshal(js, &s); err != nil {
				t.Fatal(err)
			}
			s["office_key"] = uri
			if js, err = json.Marshal(s); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(settings, js, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		stderr, err := runAsNobody(bin, base, args...)
		want := "chancery: hint: " + pin + " belongs to root (uid 0)"
		if err == nil || !strings.Contains(stderr.String(), want) || strings.Contains(stderr.String(), "add pin-source") {
			t.Errorf("a PIN file private to root, %s: %v\n%s\nwant the hint %q…", strings.Join(args[:2], " "), err, stderr.String(), want)
		}
	}

	// A PIN file in a directory of root's that this user cannot enter (as /root is, or
	// /etc/ssl/private): the hint was 'sudo chown nobody DIR', which would give the service
	// root's home (found by review of 419a9f2 and 8fa24f3, fifty-ninth session). It names the
	// directory and says to keep the file elsewhere, with no chown; from a rotation's new key,
	// from a command opening the office (its key in the settings) and from serve.
	private := filepath.Join(base, "private")
	if err := os.Mkdir(private, 0o700); err != nil {
		t.Fatal(err)
	}
	pin = filepath.Join(private, "office.pin")
	if err := os.WriteFile(pin, []byte("1234\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	uri = "pkcs11:token=office;object=office?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=" + pin
	settings := filepath.Join(dir, "chancery.json")
	js, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(js, &s); err != nil {
		t.Fatal(err)
	}
	s["office_key"] = uri
	if js, err = json.Marshal(s); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(settings, js, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"key", "rotate", "office", "--to", uri, "--data", dir}, {"log", "verify", "--data", dir}, {"serve", "--data", dir, "--listen", "127.0.0.1:0"}} {
		stderr, err := runAsNobody(bin, base, args...)
		want := "chancery: hint: the user running chancery (" + name + ", uid 65534) cannot reach " + pin + ": " + private + ", which belongs to root (uid 0), does not let it in"
		if err == nil || !strings.Contains(stderr.String(), want) || strings.Contains(stderr.String(), "chown") || strings.Contains(stderr.String(), "add pin-source") {
			t.Errorf("a PIN file in a directory private to root, %s: %v\n%s\nwant the hint %q…, no chown", strings.Join(args[:2], " "), err, stderr.String(), want)
		}
	}
}

// TestKeyFileOfRootReadableByOthersHintsAtItsOwner: live, a key file of the service's data
// directory that root left readable by others (log.key, office.key, dispatch.key or the PDF
// signing key, mode 0644, root's, as a copy by hand leaves it) failed, run as the service's
// user, "… is readable by others (mode -rw-r--r--): chmod 600 it", which that user cannot do
// (EPERM), and which root doing it leaves the file unreadable to the service: only then came
// the owned-file hint (fifty-ninth session's not-fixed list, the lead's decision). The owned
// file's hint now comes in the same run: the file, its owner, the chown, then the chmod; and
// following it, the command runs. It needs root, to leave a file of another user and run
// chancery as that one; TestReadableFileHintNamesItsOwner tests the hint everywhere.
func TestKeyFileOfRootReadableByOthersHintsAtItsOwner(t *testing.T) {
	name, base, bin := asNobody(t, "leaving a file owned by another user, and running chancery as that user, needs root")
	const uid = 65534 // nobody
	dir := filepath.Join(base, "office")
	if code, out, errs := run("init", "--data", dir, "--office", "Owned Office", "--prefix", "OWN", "--url", "https://owned.example"); code != 0 {
		t.Fatalf("init: status %d\n%s%s", code, out, errs)
	}
	err := filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, uid)
	})
	if err != nil {
		t.Fatal(err)
	}
	asUser := func(args ...string) (string, error) {
		stderr, err := runAsNobody(bin, base, args...)
		return stderr.String(), err
	}
	for _, file := range []string{"log.key", "office.key", "dispatch.key", "pdf-signing.key", "log.key serve", "pdf-signing.key serve"} {
		args := []string{"member", "recover", "admin", "--data", dir}
		if f, ok := strings.CutSuffix(file, " serve"); ok {
			file, args = f, []string{"serve", "--data", dir, "--listen", "127.0.0.1:0"}
		}
		path := filepath.Join(dir, file)
		if err := os.Chown(path, 0, 0); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		stderr, err := asUser(args...)
		want := "chancery: hint: " + path + " belongs to root (uid 0), not to the user running chancery (" + name + ", uid 65534)"
		if err == nil || !strings.Contains(stderr, "is readable by others") || !strings.Contains(stderr, want) ||
			!strings.Contains(stderr, "'sudo chown "+name+" "+path+"', then 'chmod 600 "+path+"'") {
			t.Errorf("%s left by root readable by others, %s: %v\n%s\nwant the hint %q…, its chown, then chmod", file, args[0], err, stderr, want)
		}
		// The hint followed: the chown (root's), then the chmod (the user's).
		if err := os.Chown(path, uid, uid); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o600); err != nil {
			t.Fatal(err)
		}
		if stderr, err := asUser("log", "verify", "--data", dir); err != nil {
			t.Errorf("%s given back and made private: log verify: %v\n%s", file, err, stderr)
		}
	}

	// A token's PIN file of root's that others can read (written with sudo and root's umask,
	// 0644): the hint was keyHint's "chmod 600", which root doing leaves the file unreadable
	// to the service, whose next run only then got the owned file's hint (fifty-ninth
	// session's not-fixed list, the lead's decision). The hint now says both at once: the
	// chown to the service's user, then the chmod; from a rotation's new key, from a command
	// opening the office (its key in the settings) and from serve. Followed, the PIN file is
	// read: what fails then is the token, which this test has not.
	pin := filepath.Join(base, "office.pin")
	if err := os.WriteFile(pin, []byte("1234\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	uri := "pkcs11:token=office;object=office?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=" + pin
	settings := filepath.Join(dir, "chancery.json")
	js, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(js, &s); err != nil {
		t.Fatal(err)
	}
	s["office_key"] = uri
	if js, err = json.Marshal(s); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(settings, js, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"key", "rotate", "office", "--to", uri, "--data", dir}, {"log", "verify", "--data", dir}, {"serve", "--data", dir, "--listen", "127.0.0.1:0"}} {
		if err := errors.Join(os.Chown(pin, 0, 0), os.Chmod(pin, 0o644)); err != nil {
			t.Fatal(err)
		}
		stderr, err := asUser(args...)
		want := "chancery: hint: the PIN file " + pin + " belongs to root (uid 0), not to the user running chancery (" + name + ", uid 65534)"
		if err == nil || !strings.Contains(stderr, want) || !strings.Contains(stderr, "'sudo chown "+name+" "+pin+"', then 'chmod 600 "+pin+"'") || strings.Contains(stderr, "let only the service's user") {
			t.Errorf("a PIN file of root's readable by others, %s: %v\n%s\nwant the hint %q…, its chown, then chmod", strings.Join(args[:2], " "), err, stderr, want)
		}
		// The hint followed: the PIN file is read; the token it names is not there.
		if err := errors.Join(os.Chown(pin, uid, uid), os.Chmod(pin, 0o600)); err != nil {
			t.Fatal(err)
		}
		if stderr, err := asUser(args...); err == nil || strings.Contains(stderr, "PIN file") {
			t.Errorf("the PIN file given to the service and made private, %s: %v\n%s\nwant the token's error, not the PIN file's", strings.Join(args[:2], " "), err, stderr)
		}
	}

	// A witness's key left by root in the witness's directory: private to root, it failed
	// "witness: read key: open …: permission denied" with no hint, and readable by others,
	// "chmod 600 it" (found by audit, fifty-ninth session). Both get the owned file's hint.
	wdir := filepath.Join(base, "witness")
	if code, out, errs := run("witness", "key", "--data", wdir, "--name", "witness.owned.example"); code != 0 {
		t.Fatalf("witness key: status %d\n%s%s", code, out, errs)
	}
	wkey := filepath.Join(wdir, "witness.key")
	for _, p := range []string{wdir, wkey} {
		if err := os.Chown(p, uid, uid); err != nil {
			t.Fatal(err)
		}
	}
	for _, mode := range []os.FileMode{0o600, 0o644} {
		if err := os.Chown(wkey, 0, 0); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(wkey, mode); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"witness", "key", "--data", wdir}, {"witness", "key", "--data", wdir, "--name", "witness.owned.example"},
			{"witness", "serve", "--data", wdir, "--name", "witness.owned.example", "--listen", "127.0.0.1:0"}} {
			stderr, err := asUser(args...)
			want := "chancery: hint: " + wkey + " belongs to root (uid 0), not to the user running chancery (" + name + ", uid 65534)"
			if err == nil || !strings.Contains(stderr, want) || !strings.Contains(stderr, "'sudo chown "+name+" "+wkey+"'") {
				t.Errorf("the witness key left by root, mode %v, %s: %v\n%s\nwant the hint %q… and its chown", mode, strings.Join(args, " "), err, stderr, want)
			}
		}
	}
}

// TestWitnessDatabaseOfRootHintsAtItsOwner: live, a witness's witness.db (or its -wal and
// -shm) left by root in the witness's directory (root running 'witness add-log' by hand
// there, as docs/witnesses.md shows it) made 'witness add-log' and 'witness serve', run as the
// service's user, fail "witness: open …: permission denied" or "unable to open database file
// (14)" with no hint, where the office's chancery.db gets the owned file's hint (fifty-ninth
// session's not-fixed list, the lead's decision); and the witness's directory of root's, mode
// 0700, gave 'witness add-log' none either. Each now gets it: the file, its owner, the chown
// (-R for the directory); followed, add-log runs.
func TestWitnessDatabaseOfRootHintsAtItsOwner(t *testing.T) {
	name, base, bin := asNobody(t, "leaving a file owned by another user, and running chancery as that user, needs root")
	const uid = 65534 // nobody
	wdir := filepath.Join(base, "witness")
	if code, out, errs := run("witness", "key", "--data", wdir, "--name", "witness.owned.example"); code != 0 {
		t.Fatalf("witness key: status %d\n%s%s", code, out, errs)
	}
	_, vkey, err := note.GenerateKey(rand.Reader, "log.owned.example")
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run("witness", "add-log", "--data", wdir, "--origin", "log.owned.example", "--key", vkey); code != 0 {
		t.Fatalf("witness add-log: status %d\n%s%s", code, out, errs)
	}
	giveBack := func() {
		t.Helper()
		err := filepath.WalkDir(wdir, func(p string, _ fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(p, uid, uid)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(wdir, "witness.db")
	for _, c := range []struct {
		file string      // the file of root's, "." for the directory
		mode os.FileMode // its mode
	}{{"witness.db", 0o600}, {"witness.db", 0o644}, {"witness.db-wal", 0o600}, {"witness.db-wal", 0o644}, {".", 0o700}} {
		giveBack()
		path := filepath.Join(wdir, c.file)
		if strings.HasSuffix(c.file, "-wal") {
			// Left by a command run as root and stopped short, with its shared memory.
			for _, p := range []string{path, db + "-shm"} {
				if err := os.WriteFile(p, nil, 0o600); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := errors.Join(os.Chown(path, 0, 0), os.Chmod(path, c.mode)); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"witness", "add-log", "--data", wdir, "--origin", "log.owned.example", "--key", vkey},
			{"witness", "serve", "--data", wdir, "--name", "witness.owned.example", "--listen", "127.0.0.1:0"}} {
			if c.file == "." && args[1] == "serve" {
				continue // serve reads the key first: TestLockFileOfAnotherUserHintsAtItsOwner's case
			}
			stderr, err := runAsNobody(bin, base, args...)
			want := "chancery: hint: " + path + " belongs to root (uid 0), not to the user running chancery (" + name + ", uid 65534)"
			chown := "'sudo chown " + name + " " + path + "'"
			if c.file == "." {
				want = "chancery: hint: " + wdir + " belongs to root (uid 0), not to the user running chancery (" + name + ", uid 65534)"
				chown = "'sudo chown -R " + name + " " + wdir + "'"
			}
			if err == nil || !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), chown) {
				t.Errorf("%s left by root, mode %v, witness %s: %v\n%s\nwant the hint %q… and %s", c.file, c.mode, args[1], err, stderr.String(), want, chown)
			}
		}
	}
	// The witness's directory of root's that the service can enter and not write (0755): the
	// write-ahead log cannot be made, "attempt to write a readonly database (1544)", with no
	// hint, where the office's directory gets one (found by audit, sixtieth session).
	giveBack()
	for _, p := range []string{db + "-wal", db + "-shm"} { // as a witness stopped cleanly leaves it
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	if err := errors.Join(os.Chown(wdir, 0, 0), os.Chmod(wdir, 0o755)); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"witness", "add-log", "--data", wdir, "--origin", "log.owned.example", "--key", vkey},
		{"witness", "serve", "--data", wdir, "--name", "witness.owned.example", "--listen", "127.0.0.1:0"}} {
		stderr, err := runAsNobody(bin, base, args...)
		want := "chancery: hint: " + wdir + " is not writable by the user running chancery (uid 65534), and the witness makes its key, its database and the database's write-ahead log in it: check its owner and mode ('ls -ld " + wdir + "')"
		if err == nil || !strings.Contains(stderr.String(), want) {
			t.Errorf("the witness's directory root's, mode 0755, witness %s: %v\n%s\nwant the hint %q…", args[1], err, stderr.String(), want)
		}
	}
	// And a witness's first key, made there by 'witness key --name' or the first 'witness
	// serve': "witness: create key: open …: permission denied", no hint (found by audit,
	// sixtieth session).
	fresh := filepath.Join(base, "fresh-witness")
	if err := os.Mkdir(fresh, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"witness", "key", "--data", fresh, "--name", "witness.owned.example"},
		{"witness", "serve", "--data", fresh, "--name", "witness.owned.example", "--listen", "127.0.0.1:0"}} {
		stderr, err := runAsNobody(bin, base, args...)
		want := "chancery: hint: " + fresh + " is not writable by the user running chancery (uid 65534), and the witness makes its key"
		if err == nil || !strings.Contains(stderr.String(), want) {
			t.Errorf("a new witness's directory root's, mode 0755, witness %s: %v\n%s\nwant the hint %q…", args[1], err, stderr.String(), want)
		}
	}
	if err := os.Chmod(wdir, 0o700); err != nil {
		t.Fatal(err)
	}

	// The hint followed (the -wal's shared memory, root's too, named next: given back with it).
	giveBack()
	if stderr, err := runAsNobody(bin, base, "witness", "add-log", "--data", wdir, "--origin", "log.owned.example", "--key", vkey); err != nil {
		t.Errorf("the witness's files given back: witness add-log: %v\n%s", err, stderr)
	}
}

// TestDataDirThroughALinkHintsAtTheDirectory: a data directory of root's named by a link
// (systemd's /var/lib/chancery, which leads to /var/lib/private/chancery, or a link of the
// operator's): the hint named the link's owner, and gave 'sudo chown nobody LINK', which
// changes the directory and leaves every file in it root's (found by review of a9d8a85,
// fifty-ninth session). It names the directory's owner and a 'chown -R' of the directory,
// which, run, lets the user open the office.
func TestDataDirThroughALinkHintsAtTheDirectory(t *testing.T) {
	name, base, bin := asNobody(t, "leaving a directory owned by another user, and running chancery as that user, needs root")
	dir, link := filepath.Join(base, "private", "office"), filepath.Join(base, "office")
	if code, out, errs := run("init", "--data", dir, "--office", "Linked Office", "--prefix", "LNK", "--url", "https://linked.example", "--no-pdf-ca"); code != 0 {
		t.Fatalf("init: status %d\n%s%s", code, out, errs)
	}
	// The link is another user's than the directory (daemon's, uid 1), as systemd's is root's
	// where the directory is the service's.
	if err := errors.Join(os.Chmod(filepath.Dir(dir), 0o755), os.Chmod(dir, 0o700), os.Symlink(dir, link), os.Lchown(link, 1, 1)); err != nil {
		t.Fatal(err)
	}
	asNobody := func() (string, error) {
		stderr, err := runAsNobody(bin, base, "log", "verify", "--data", link)
		return stderr.String(), err
	}
	errs, err := asNobody()
	want := "chancery: hint: " + link + "/ belongs to root (uid 0)"
	chown := "sudo chown -R " + name + " " + link + "/"
	if err == nil || !strings.Contains(errs, want) || !strings.Contains(errs, "'"+chown+"'") {
		t.Fatalf("the data directory through a link, root's: %v\n%s\nwant the hint %q… and '%s'", err, errs, want, chown)
	}
	// The command as the hint prints it (as root, without sudo) gives the office back.
	if out, err := exec.Command("sh", "-c", strings.TrimPrefix(chown, "sudo ")).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", chown, err, out)
	}
	if errs, err := asNobody(); err != nil {
		t.Errorf("after '%s': %v\n%s", chown, err, errs)
	}
}

// TestDataDirUnderAnUnwritableParentHintsAtIt: a --data directory that does not exist, under
// a parent the service's user cannot write (root's /var/lib), failed "mkdir DIR: permission
// denied" with no hint (init, serve, witness add-log, witness key --name, witness serve),
// where an existing unwritable directory gets the unwritable directory's hint (sixtieth
// session's not-fixed list, the lead's decision). Each now names the parent and its owner,
// and the command that makes the directory for the user; followed, the command runs. A
// parent of the user's own that it cannot write gets the unwritable directory's checks.
func TestDataDirUnderAnUnwritableParentHintsAtIt(t *testing.T) {
	name, base, bin := asNobody(t, "running chancery as a user who cannot write a directory of root's needs root")
	office, wdir := filepath.Join(base, "office"), filepath.Join(base, "witness")
	initArgs := []string{"init", "--data", office, "--office", "Unmade Office", "--prefix", "UNM", "--url", "https://unmade.example", "--no-pdf-ca"}
	keyArgs := []string{"witness", "key", "--data", wdir, "--name", "witness.unmade.example"}
	// And restore, which makes a new DIR beside it (found by audit, sixty-first session):
	// "restore: mkdir PARENT/.DIR.restore-N: permission denied", no hint. Root's backup,
	// readable by the user, as one copied in is.
	backup, restored := filepath.Join(base, "backup.tar"), filepath.Join(base, "restored")
	backupForNobody(t, backup, "Unmade Office", "UNM", "https://unmade.example")
	restoreArgs := []string{"restore", backup, "--data", restored}
	for _, c := range []struct {
		dir  string
		args []string
	}{
		{office, initArgs},
		{office, []string{"serve", "--data", office, "--listen", "127.0.0.1:0"}},
		{wdir, []string{"witness", "add-log", "--data", wdir, "--origin", "log.unmade.example", "--key", "log.unmade.example+12345678+AQ=="}},
		{wdir, keyArgs},
		{wdir, []string{"witness", "serve", "--data", wdir, "--name", "witness.unmade.example", "--listen", "127.0.0.1:0"}},
		{restored, restoreArgs},
	} {
		stderr, err := runAsNobody(bin, base, c.args...)
		want := "chancery: hint: " + c.dir + " does not exist, and the user running chancery (" + name + ", uid 65534) cannot make it in " + base + ", which belongs to root (uid 0)"
		install := "'sudo install -d -m 700 -o " + name + " " + c.dir + "'"
		if err == nil || !strings.Contains(stderr.String(), "permission denied") || !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), install) {
			t.Errorf("chancery %s with a new --data under root's %s: %v\n%s\nwant the hint %q… and %s", strings.Join(c.args[:2], " "), base, err, stderr, want, install)
		}
	}
	// The hint followed (as root, without sudo): init and witness key run.
	for _, c := range []struct {
		dir  string
		args []string
	}{{office, initArgs}, {wdir, keyArgs}, {restored, restoreArgs}} {
		install := "install -d -m 700 -o " + name + " " + c.dir
		if out, err := exec.Command("sh", "-c", install).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", install, err, out)
		}
		if stderr, err := runAsNobody(bin, base, c.args...); err != nil {
			t.Errorf("chancery %s after '%s': %v\n%s", strings.Join(c.args[:2], " "), install, err, stderr)
		}
	}
	// A parent of the user's own, which it cannot write (mode 0555).
	own := filepath.Join(base, "own")
	if err := errors.Join(os.Mkdir(own, 0o555), os.Chown(own, 65534, 65534), os.Chmod(own, 0o555)); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(own, "office")
	stderr, err := runAsNobody(bin, base, "init", "--data", dir, "--office", "Unmade Office", "--prefix", "UNM", "--url", "https://unmade.example", "--no-pdf-ca")
	want := "chancery: hint: " + dir + " does not exist, and the user running chancery (uid 65534) cannot make it: " + own + " is not writable by that user: check its owner and mode ('ls -ld " + own + "')"
	if err == nil || !strings.Contains(stderr.String(), want) {
		t.Errorf("init with a new --data under the user's own %s, mode 0555: %v\n%s\nwant the hint %q…", own, err, stderr, want)
	}
	// A parent of root's that the user cannot enter (mode 0700), where mkdir is refused
	// whether the directory is there or not: never "does not exist", the closed parent named.
	closed := filepath.Join(base, "closed")
	if err := errors.Join(os.Mkdir(closed, 0o700), os.Mkdir(filepath.Join(closed, "office"), 0o700)); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"office", "new"} {
		dir := filepath.Join(closed, d)
		stderr, err := runAsNobody(bin, base, "init", "--data", dir, "--office", "Unmade Office", "--prefix", "UNM", "--url", "https://unmade.example", "--no-pdf-ca")
		want := "chancery: hint: the user running chancery (" + name + ", uid 65534) cannot reach " + dir + ": " + closed + ", which belongs to root (uid 0), does not let it in"
		if err == nil || !strings.Contains(stderr.String(), want) || strings.Contains(stderr.String(), "does not exist") {
			t.Errorf("init with --data %s under root's %s, mode 0700: %v\n%s\nwant the hint %q…", d, closed, err, stderr, want)
		}
	}
}

// TestServiceUsersLinkToNothingHintsAtInstall: a --data that is a link to a directory that
// does not exist, where the service's user cannot make it (under root's directory), got the
// hint "make TARGET first, or give --data TARGET"; root making it, as the user cannot, made
// it root's, and init or restore through the link then failed "chmod LINK: operation not
// permitted" with no hint (found by review of e68f674, sixty-second session, live as
// nobody). The hint makes the directory for that user, as for a --data that does not exist,
// and followed, the commands run.
func TestServiceUsersLinkToNothingHintsAtInstall(t *testing.T) {
	name, base, bin := asNobody(t, "running chancery as a user who cannot write a directory of root's needs root")
	backup := filepath.Join(base, "backup.tar")
	backupForNobody(t, backup, "Linked Office", "LNK", "https://linked.example")
	// The links are the user's, in its own directory; where they lead, under root's base, is
	// not.
	links := filepath.Join(base, "links")
	if err := errors.Join(os.Mkdir(links, 0o755), os.Chown(links, 65534, 65534)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what string
		args []string
	}{
		{"office", []string{"init", "--data", "LINK", "--office", "Linked Office", "--prefix", "LNK", "--url", "https://linked.example", "--no-pdf-ca"}},
		{"restored", []string{"restore", backup, "--data", "LINK"}},
		{"witness", []string{"witness", "key", "--data", "LINK", "--name", "witness.linked.example"}},
	} {
		link, target := filepath.Join(links, c.what), filepath.Join(base, c.what)
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		args := slices.Clone(c.args)
		args[slices.Index(args, "LINK")] = link
		stderr, err := runAsNobody(bin, base, args...)
		what := link + " is a link to " + target + ", which does not exist"
		install := "install -d -m 700 -o " + name + " " + target
		want := "the user running chancery (" + name + ", uid 65534) cannot make it in " + base + ": make it for that user with 'sudo " + install + "'"
		if err == nil || !strings.Contains(stderr.String(), what) || !strings.Contains(stderr.String(), want) {
			t.Errorf("chancery %s through a link to nothing under root's %s: %v\n%s\nwant %q and the hint %q", strings.Join(args[:2], " "), base, err, stderr, what, want)
		}
		// The hint followed (as root, without sudo): the command runs.
		if out, err := exec.Command("sh", "-c", install).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", install, err, out)
		}
		if stderr, err := runAsNobody(bin, base, args...); err != nil {
			t.Errorf("chancery %s after '%s': %v\n%s", strings.Join(args[:2], " "), install, err, stderr)
		}
	}
}

// TestEmptyDataDirOfRootHintsAtChown: an empty --data of root's, mode 0755 ('sudo mkdir
// /srv/office' for the service's user), made init, serve (which inits) and restore, run as
// that user, fail "chmod DIR: operation not permitted" with no hint: they make an empty data
// directory private, which only its owner may (found by review of e68f674, sixty-second
// session, following its hint for a link to nothing, "make TARGET first", as root; live as
// nobody). The hint names the owner and the chown; followed, init and restore run.
func TestEmptyDataDirOfRootHintsAtChown(t *testing.T) {
	name, base, bin := asNobody(t, "running chancery as a user given a directory of root's needs root")
	backup := filepath.Join(base, "backup.tar")
	backupForNobody(t, backup, "Given Office", "GIV", "https://given.example")
	for _, c := range []struct {
		dir    string
		args   []string
		follow bool
	}{
		{"office one", []string{"init", "--data", "DIR", "--office", "Given Office", "--prefix", "GIV", "--url", "https://given.example", "--no-pdf-ca"}, true},
		{"served", []string{"serve", "--data", "DIR", "--listen", "127.0.0.1:0"}, false},
		{"restored", []string{"restore", backup, "--data", "DIR"}, true},
	} {
		dir := filepath.Join(base, c.dir)
		if err := errors.Join(os.Mkdir(dir, 0o755), os.Chmod(dir, 0o755)); err != nil {
			t.Fatal(err)
		}
		args := slices.Clone(c.args)
		args[slices.Index(args, "DIR")] = dir
		stderr, err := runAsNobody(bin, base, args...)
		chown := "chown " + name + " '" + dir + "'"
		if !strings.Contains(dir, " ") {
			chown = "chown " + name + " " + dir
		}
		want := "chancery: hint: " + dir + " belongs to root (uid 0), not to the user running chancery (" + name + ", uid 65534), who cannot make it private (mode 0700) for the office's keys: give it to that user with 'sudo " + chown + "'"
		if err == nil || !strings.Contains(stderr.String(), "operation not permitted") || !strings.Contains(stderr.String(), want) {
			t.Errorf("chancery %s with an empty --data of root's: %v\n%s\nwant the hint %q", strings.Join(args[:2], " "), err, stderr, want)
		}
		if !c.follow {
			continue
		}
		// The hint followed (as root, without sudo): the command runs.
		if err := os.Chown(dir, 65534, -1); err != nil {
			t.Fatal(err)
		}
		if stderr, err := runAsNobody(bin, base, args...); err != nil {
			t.Errorf("chancery %s after '%s': %v\n%s", strings.Join(args[:2], " "), chown, err, stderr)
		}
	}
}

// TestRelativeDataDirUnderAnUnwritableParentNamesIt: a relative --data that does not exist
// ('chancery init --data office', run in root's /var/lib) got the hint that the user "cannot
// make it in ., which belongs to root", the parent named "." (restore's the same, its
// staging directory ./.office.restore-N), and ".." for --data ../office (sixty-first
// session's not-fixed list, the lead's decision): the working directory is named by its
// absolute path.
func TestRelativeDataDirUnderAnUnwritableParentNamesIt(t *testing.T) {
	name, base, bin := asNobody(t, "running chancery as a user who cannot write a directory of root's needs root")
	backup := filepath.Join(base, "backup.tar")
	backupForNobody(t, backup, "Unmade Office", "UNM", "https://unmade.example")
	sub := filepath.Join(base, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		wd, dir string
		args    []string
	}{
		{base, "office", []string{"init", "--data", "office", "--office", "Unmade Office", "--prefix", "UNM", "--url", "https://unmade.example", "--no-pdf-ca"}},
		{base, "office", []string{"serve", "--data", "office", "--listen", "127.0.0.1:0"}},
		{base, "witness", []string{"witness", "add-log", "--data", "witness", "--origin", "log.unmade.example", "--key", "log.unmade.example+12345678+AQ=="}},
		{base, "witness", []string{"witness", "key", "--data", "witness", "--name", "witness.unmade.example"}},
		{base, "witness", []string{"witness", "serve", "--data", "witness", "--name", "witness.unmade.example", "--listen", "127.0.0.1:0"}},
		{base, "restored", []string{"restore", backup, "--data", "restored"}},
		{sub, "../office", []string{"init", "--data", "../office", "--office", "Unmade Office", "--prefix", "UNM", "--url", "https://unmade.example", "--no-pdf-ca"}},
		{sub, "../restored", []string{"restore", backup, "--data", "../restored"}},
	} {
		stderr, err := runAsNobodyIn(c.wd, bin, base, c.args...)
		want := "chancery: hint: " + c.dir + " does not exist, and the user running chancery (" + name + ", uid 65534) cannot make it in " + base + ", which belongs to root (uid 0)"
		if err == nil || !strings.Contains(stderr.String(), want) {
			t.Errorf("chancery %s, run in root's %s: %v\n%s\nwant the hint %q…", strings.Join(c.args, " "), c.wd, err, stderr, want)
		}
	}
}

// nobodysOfficeAndWitness makes an office (DIR/office) and a witness's directory
// (DIR/witness, its name witness.DOMAIN) under dir, and gives everything under dir, but not dir
// itself, to uid 65534, the user asNobody's tests run chancery as.
func nobodysOfficeAndWitness(t *testing.T, dir, officeName, prefix, domain string) (office, wdir string) {
	t.Helper()
	office, wdir = filepath.Join(dir, "office"), filepath.Join(dir, "witness")
	if code, out, errs := run("init", "--data", office, "--office", officeName, "--prefix", prefix, "--url", "https://"+domain, "--no-pdf-ca"); code != 0 {
		t.Fatalf("init: status %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run("witness", "key", "--data", wdir, "--name", "witness."+domain); code != 0 {
		t.Fatalf("witness key: status %d\n%s%s", code, out, errs)
	}
	err := filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		return os.Lchown(p, 65534, 65534)
	})
	if err != nil {
		t.Fatal(err)
	}
	return office, wdir
}

// TestDataDirUnderAClosedDirectoryHintsAtIt: a data directory of the service's user under a
// directory of root's it cannot enter (mode 0700) made every command of the office, and
// serve, fail "read settings: open DIR/chancery.json: permission denied" with no hint, and
// 'witness key --name' and 'witness serve' hint that the witness's directory was not
// writable, to be checked with 'ls -ld DIR', though it is the service's and writable (found
// by audit, sixty-first session, live as nobody, beside the lead's decision on a new data
// directory's parent). Each names the directory that does not let the user in, and its owner.
func TestDataDirUnderAClosedDirectoryHintsAtIt(t *testing.T) {
	name, base, bin := asNobody(t, "leaving a directory another user cannot enter, and running chancery as that user, needs root")
	closed := filepath.Join(base, "closed")
	office, wdir := nobodysOfficeAndWitness(t, closed, "Closed Office", "CLO", "closed.example")
	if err := os.Chmod(closed, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		dir  string
		args []string
	}{
		{office, []string{"log", "verify", "--data", office}},
		{office, []string{"serve", "--data", office, "--listen", "127.0.0.1:0"}},
		{wdir, []string{"witness", "key", "--data", wdir, "--name", "witness.closed.example"}},
		{wdir, []string{"witness", "key", "--data", wdir}},
		{wdir, []string{"witness", "serve", "--data", wdir, "--name", "witness.closed.example", "--listen", "127.0.0.1:0"}},
	} {
		stderr, err := runAsNobody(bin, base, c.args...)
		want := "chancery: hint: the user running chancery (" + name + ", uid 65534) cannot reach " + c.dir + ": " + closed + ", which belongs to root (uid 0), does not let it in ('ls -ld " + closed + "')"
		if err == nil || !strings.Contains(stderr.String(), want) || strings.Contains(stderr.String(), "not writable") {
			t.Errorf("chancery %s with --data under root's %s, mode 0700: %v\n%s\nwant the hint %q…", strings.Join(c.args[:2], " "), closed, err, stderr, want)
		}
	}
}

// TestDataDirThroughALinkUnderAClosedDirectoryHintsAtIt: a data directory of the service's
// user named by a link into a directory of root's it cannot enter (systemd's /var/lib/chancery,
// which leads to /var/lib/private/chancery, root's, mode 0700; a link of the operator's) got
// no hint from the office's commands and serve, "mkdir LINK: file exists" and none from init,
// and from 'witness add-log' the hint that the witness's directory is not writable, to be
// checked with 'ls -ld LINK' (found by review of 9cc0891, sixty-first session, live as
// nobody). Each names the link, where it leads, and the directory that does not let the
// user in, as for the directory named without a link.
func TestDataDirThroughALinkUnderAClosedDirectoryHintsAtIt(t *testing.T) {
	name, base, bin := asNobody(t, "leaving a directory another user cannot enter, and running chancery as that user, needs root")
	closed := filepath.Join(base, "private")
	office, wdir := nobodysOfficeAndWitness(t, closed, "Linked Office", "LNK", "linked.example")
	olink, wlink, nlink := filepath.Join(base, "office"), filepath.Join(base, "witness"), filepath.Join(base, "new")
	if err := errors.Join(os.Chmod(closed, 0o700), os.Symlink("private/office", olink), os.Symlink(wdir, wlink), os.Symlink("private/new", nlink)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		link, to string
		args     []string
	}{
		{olink, office, []string{"log", "verify", "--data", olink}},
		{olink, office, []string{"serve", "--data", olink, "--listen", "127.0.0.1:0"}},
		{nlink, filepath.Join(closed, "new"), []string{"init", "--data", nlink, "--office", "Linked Office", "--prefix", "LNK", "--url", "https://linked.example", "--no-pdf-ca"}},
		{wlink, wdir, []string{"witness", "key", "--data", wlink, "--name", "witness.linked.example"}},
		{wlink, wdir, []string{"witness", "add-log", "--data", wlink, "--origin", "log.linked.example", "--key", "log.linked.example+12345678+AQ=="}},
		{wlink, wdir, []string{"witness", "serve", "--data", wlink, "--name", "witness.linked.example", "--listen", "127.0.0.1:0"}},
	} {
		stderr, err := runAsNobody(bin, base, c.args...)
		want := "chancery: hint: the user running chancery (" + name + ", uid 65534) cannot reach " + c.link + " (a link to " + c.to + "): " + closed + ", which belongs to root (uid 0), does not let it in ('ls -ld " + closed + "')"
		if err == nil || !strings.Contains(stderr.String(), want) || strings.Contains(stderr.String(), "not writable") {
			t.Errorf("chancery %s with --data a link into root's %s, mode 0700: %v\n%s\nwant the hint %q…", strings.Join(c.args[:2], " "), closed, err, stderr, want)
		}
	}
}

// TestRestoreUnderAClosedDirectoryHintsAtIt: 'chancery restore BACKUP --data DIR', run as
// the service's user, DIR (there or not) under a directory of root's that user cannot enter
// (mode 0700), failed "restore: stat DIR: permission denied" with no hint, where every other
// command names that directory (found by review of ecf33b5, sixty-first session, live as
// nobody). It names it, and its owner, as they do.
func TestRestoreUnderAClosedDirectoryHintsAtIt(t *testing.T) {
	name, base, bin := asNobody(t, "leaving a directory another user cannot enter, and running chancery as that user, needs root")
	backup := filepath.Join(base, "backup.tar")
	backupForNobody(t, backup, "Closed Office", "CLO", "https://closed.example")
	closed := filepath.Join(base, "closed")
	if err := errors.Join(os.Mkdir(closed, 0o700), os.Mkdir(filepath.Join(closed, "office"), 0o700), os.Chown(filepath.Join(closed, "office"), 65534, 65534)); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"office", "new"} {
		dir := filepath.Join(closed, d)
		stderr, err := runAsNobody(bin, base, "restore", backup, "--data", dir)
		want := "chancery: hint: the user running chancery (" + name + ", uid 65534) cannot reach " + dir + ": " + closed + ", which belongs to root (uid 0), does not let it in ('ls -ld " + closed + "')"
		if err == nil || !strings.Contains(stderr.String(), want) {
			t.Errorf("restore with --data %s under root's %s, mode 0700: %v\n%s\nwant the hint %q…", d, closed, err, stderr, want)
		}
	}
}

// asNobody skips t (why) unless it runs as root, who can leave files of other users and run
// chancery as nobody (uid 65534); it returns that user's name, a directory nobody reaches
// and a copy of chancery there for nobody to run.
func asNobody(t *testing.T, why string) (name, base, bin string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip(why)
	}
	name = "65534"
	if u, err := user.LookupId(name); err == nil {
		name = u.Username
	}
	base = t.TempDir()
	for _, d := range []string{filepath.Dir(base), base} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin = filepath.Join(base, "chancery")
	b, err := os.ReadFile(testbin.Shared(t, "./cmd/chancery"))
	if err == nil {
		err = os.WriteFile(bin, b, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	return name, base, bin
}

// runAsNobody runs bin (asNobody's copy of chancery) with args as nobody, its home base, and
// returns what it printed on its standard error.
func runAsNobody(bin, base string, args ...string) (*bytes.Buffer, error) {
	return runAsNobodyIn("", bin, base, args...)
}

// runAsNobodyIn is runAsNobody in the working directory wd ("": this process's).
func runAsNobodyIn(wd, bin, base string, args ...string) (*bytes.Buffer, error) {
	const uid = 65534 // nobody
	cmd := exec.Command(bin, args...)
	cmd.Dir = wd
	cmd.Env = []string{"HOME=" + base, "PATH=/usr/bin:/bin"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	return &stderr, err
}

// backupForNobody makes an office named office (prefix, url) and its backup at backup, which
// the user nobody may read, as a backup copied in for the service's user is.
func backupForNobody(t *testing.T, backup, office, prefix, url string) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "office")
	if code, out, errs := run("init", "--data", src, "--office", office, "--prefix", prefix, "--url", url, "--no-pdf-ca"); code != 0 {
		t.Fatalf("init: status %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run("backup", "--data", src, "--out", backup); code != 0 {
		t.Fatalf("backup: status %d\n%s%s", code, out, errs)
	}
	if err := os.Chmod(backup, 0o644); err != nil {
		t.Fatal(err)
	}
}
