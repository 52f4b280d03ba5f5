package cli_test

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// A data directory reached through a symbolic link is backed up whole, and so is a key file
// that is a link. systemd's DynamicUser= (dist/chancery.service) makes /var/lib/chancery a
// link into /var/lib/private/chancery: backup walked the link without entering it, wrote a
// backup of the database alone (no settings, no keys) and reported success, and restore
// refused that backup. A key kept elsewhere and linked into the directory was left out.
func TestBackupOfALinkedDataDirectoryHoldsItsKeys(t *testing.T) {
	tmp := t.TempDir()
	real := filepath.Join(tmp, "private", "chancery")
	o := openReleasingOffice(t, real, "")
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	// The office key kept in another directory, linked into the data directory.
	keys := filepath.Join(tmp, "keys")
	if err := os.Mkdir(keys, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(real, "office.key"), filepath.Join(keys, "office.key")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(keys, "office.key"), filepath.Join(real, "office.key")); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(tmp, "chancery")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "office.tar")
	if code, stdout, stderr := run("backup", "--data", link, "--out", out); code != 0 {
		t.Fatalf("backup of a linked data directory: status %d\n%s%s", code, stdout, stderr)
	}
	restored := filepath.Join(tmp, "restored")
	code, stdout, stderr := run("restore", out, "--data", restored)
	if code != 0 {
		t.Fatalf("restore of the backup of a linked data directory: status %d\n%s%s", code, stdout, stderr)
	}
	for _, n := range []string{"chancery.json", "log.key", "office.key", "chancery.db"} {
		fi, err := os.Lstat(filepath.Join(restored, n))
		if err != nil || !fi.Mode().IsRegular() {
			t.Errorf("the restored directory's %s: %v, %v; want a regular file", n, fi, err)
			continue
		}
		if strings.HasSuffix(n, ".key") && fi.Mode().Perm() != 0o600 {
			t.Errorf("the restored %s has mode %v, want 0600", n, fi.Mode().Perm())
		}
	}
	want, _ := os.ReadFile(filepath.Join(keys, "office.key"))
	if got, err := os.ReadFile(filepath.Join(restored, "office.key")); err != nil || string(got) != string(want) {
		t.Errorf("the restored office key is not the office's: %v", err)
	}
}

// A witness kept in the office's data directory (witness.key, witness.db) is left out of its
// backups: a witness restored to an older state, or with its key and without its state,
// cosigns a fork branching off after it (docs/witnesses.md: never restore witness.db; if it
// is lost, retire the key). The database was copied file by file beside a running witness,
// and restored.
func TestBackupLeavesOutAWitness(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "office")
	o := openReleasingOffice(t, dir, "")
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	if code, stdout, stderr := run("witness", "key", "--data", dir, "--name", "witness.office.example"); code != 0 {
		t.Fatalf("witness key: %d\n%s%s", code, stdout, stderr)
	}
	_, vkey, err := note.GenerateKey(rand.Reader, "other.example/log")
	if err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := run("witness", "add-log", "--data", dir, "--origin", "other.example/log", "--key", vkey); code != 0 {
		t.Fatalf("witness add-log: %d\n%s%s", code, stdout, stderr)
	}
	for _, n := range []string{"witness.key", "witness.db"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Fatalf("the office's directory has no %s: %v", n, err)
		}
	}
	out := filepath.Join(tmp, "office.tar")
	if code, stdout, stderr := run("backup", "--data", dir, "--out", out); code != 0 {
		t.Fatalf("backup: status %d\n%s%s", code, stdout, stderr)
	}
	restored := filepath.Join(tmp, "restored")
	if code, stdout, stderr := run("restore", out, "--data", restored); code != 0 {
		t.Fatalf("restore: status %d\n%s%s", code, stdout, stderr)
	}
	ents, err := os.ReadDir(restored)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "witness.") {
			t.Errorf("the restored directory holds the witness's %s", e.Name())
		}
	}
}

// A backup is not written inside the data directory it backs up: the next backup would hold
// it (keys and all), each night's holding every earlier one, doubling the backups' size each
// time, and its staging copy of the database was taken into the backup beside the database.
func TestBackupRefusesAnOutputInsideTheDataDirectory(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "office")
	o := openReleasingOffice(t, dir, "")
	o.st.Close()
	if err := os.Mkdir(filepath.Join(dir, "backups"), 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(tmp, "backups")
	if err := os.Symlink(filepath.Join(dir, "backups"), link); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{filepath.Join(dir, "backups", "office.tar"), filepath.Join(link, "office.tar")} {
		code, stdout, stderr := run("backup", "--data", dir, "--out", out)
		if code != 2 || !strings.Contains(stderr, "inside") || !strings.Contains(stderr, "hint: ") {
			t.Errorf("backup --out %s: status %d, want 2 with a hint\n%s%s", out, code, stdout, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("backup wrote %s inside the data directory", out)
		}
	}
}
