package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/stage"
)

// TestLetterCopiesAreOwnersOnly: the copies of confidential letters the CLI writes (a preview,
// a draft export, a released file and its seal, by release and by fetch) are readable by
// their owner alone, and a directory --out creates is too, whatever the umask: on a shared
// machine another account would otherwise read them. The trust root, which is public, stays
// readable by all.
func TestLetterCopiesAreOwnersOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
	o := newOffice(t)
	ref := o.letter("Repositioning of forces", "foreign-government", "Dear Minister,\n\nThe forces will be repositioned.\n")
	o.ready(ref)
	dir := t.TempDir()
	mode := func(p string, want os.FileMode) {
		t.Helper()
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", filepath.Base(p), fi.Mode().Perm(), want)
		}
	}
	preview := filepath.Join(dir, "preview.pdf")
	if code, _, stderr := o.run("rita", "letter", "preview", ref, "--out", preview); code != cli.ExitOK {
		t.Fatalf("preview: exit %d\n%s", code, stderr)
	}
	mode(preview, 0o600)
	draft := filepath.Join(dir, "draft.pdf")
	if code, _, stderr := o.run("dana", "draft", "export", ref, "--for", "Liaison cell", "--out", draft); code != cli.ExitOK {
		t.Fatalf("draft export: exit %d\n%s", code, stderr)
	}
	mode(draft, 0o600)
	released := filepath.Join(dir, "released")
	if code, _, stderr := o.run("otto", "release", ref, "--out", released); code != cli.ExitOK {
		t.Fatalf("release: exit %d\n%s", code, stderr)
	}
	mode(released, 0o700)
	mode(filepath.Join(released, ref+".pdf"), 0o600)
	mode(filepath.Join(released, ref+".pdf.seal"), 0o600)
	fetched := filepath.Join(dir, "fetched")
	if code, _, stderr := o.run("rita", "letter", "fetch", ref, "--out", fetched); code != cli.ExitOK {
		t.Fatalf("fetch: exit %d\n%s", code, stderr)
	}
	mode(fetched, 0o700)
	mode(filepath.Join(fetched, ref+".pdf"), 0o600)
	mode(filepath.Join(fetched, ref+".pdf.seal"), 0o600)
	trust := filepath.Join(dir, "trust.json")
	if code, _, stderr := o.run("rita", "trust", "export", "--out", trust); code != cli.ExitOK {
		t.Fatalf("trust export: exit %d\n%s", code, stderr)
	}
	mode(trust, 0o644)
}

// officeWithABackupsDir makes an office that has released a letter, in live, and an empty
// directory for its backups.
func officeWithABackupsDir(t *testing.T) (live, backups string) {
	t.Helper()
	tmp := t.TempDir()
	live = filepath.Join(tmp, "live")
	o := openReleasingOffice(t, live, "")
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	backups = filepath.Join(tmp, "backups")
	if err := os.Mkdir(backups, 0o700); err != nil {
		t.Fatal(err)
	}
	return live, backups
}

// TestBackupInterruptedLeavesNoCopy: a backup stopped by Ctrl-C or a service stop (SIGINT,
// SIGTERM) once it has copied the database beside FILE removes that copy and writes no
// FILE: the copy, under a hidden name in the backups' directory, held every letter.
func TestBackupInterruptedLeavesNoCopy(t *testing.T) {
	live, backups := officeWithABackupsDir(t)
	cli.SetBackupStaged(func(ctx context.Context) {
		// Without a handler, the signal ends this test's process.
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Second):
			t.Error("the interrupt did not stop the backup")
		}
	})
	defer cli.SetBackupStaged(nil)
	code, _, stderr := run("backup", "--data", live, "--out", filepath.Join(backups, "office.tar"))
	if code == cli.ExitOK || !strings.Contains(stderr, "interrupted") {
		t.Errorf("interrupted backup: exit %d\n%s", code, stderr)
	}
	if ents, _ := os.ReadDir(backups); len(ents) != 0 {
		t.Errorf("an interrupted backup left %s", ents[0].Name())
	}
}

// TestBackupKilledLeavesWhatTheNextRemoves: a backup SIGKILLed once it had copied the
// database into its staging directory beside --out left that copy there, in a hidden
// directory of the backups' directory (often synced elsewhere), for good. The next backup to
// that directory removes it, but not the staging directory of a backup running now.
func TestBackupKilledLeavesWhatTheNextRemoves(t *testing.T) {
	live, backups := officeWithABackupsDir(t)
	killedAt(t, "backup", "staged", "backup", "--data", live, "--out", filepath.Join(backups, "killed.tar"))
	left, _ := filepath.Glob(filepath.Join(backups, ".chancery-backup-*", "chancery.db"))
	if len(left) != 1 {
		t.Fatalf("the killed backup left %v, want its copy of the database", left)
	}
	running, release, err := stage.New(backups, ".chancery-backup-")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if code, _, stderr := run("backup", "--data", live, "--out", filepath.Join(backups, "next.tar")); code != cli.ExitOK {
		t.Fatalf("backup after a killed one: exit %d\n%s", code, stderr)
	}
	if _, err := os.Lstat(filepath.Dir(left[0])); !os.IsNotExist(err) {
		t.Errorf("the killed backup's copy is still there: %v", err)
	}
	if _, err := os.Lstat(running); err != nil {
		t.Errorf("the running backup's staging directory was removed: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(backups, "killed.tar")); !os.IsNotExist(err) {
		t.Errorf("the killed backup wrote its file: %v", err)
	}
}

// TestNewPasswordFileMustBePrivate: a CHANCERY_NEW_PASSWORD_FILE its group or others can read
// is refused, with a hint, before the password is sent (whoever reads it signs in as the
// member); one its owner alone reads sets the password.
func TestNewPasswordFileMustBePrivate(t *testing.T) {
	o := newOffice(t)
	pw := filepath.Join(t.TempDir(), "rita.pw")
	if err := os.WriteFile(pw, []byte("a long enough password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(pw, 0o640); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CHANCERY_NEW_PASSWORD", "")
	t.Setenv("CHANCERY_NEW_PASSWORD_FILE", pw)
	code, _, stderr := o.run("rita", "member", "password")
	if code == cli.ExitOK || !strings.Contains(stderr, "chancery: error: CHANCERY_NEW_PASSWORD_FILE "+pw+" can be read or changed by others (mode -rw-r-----)") ||
		!strings.Contains(stderr, "chancery: hint: a password file must be readable by you alone: chmod 600 "+pw) {
		t.Fatalf("a password file its group reads: exit %d\n%s", code, stderr)
	}
	if strings.Contains(stderr, "password is set") {
		t.Fatalf("the password was set:\n%s", stderr)
	}
	if err := os.Chmod(pw, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := o.run("rita", "member", "password"); code != cli.ExitOK || !strings.Contains(stderr, "password is set") {
		t.Fatalf("a password file its owner alone reads: exit %d\n%s", code, stderr)
	}
}

// TestRestoreInterruptedLeavesNoCopy: a restore stopped by Ctrl-C or a service stop once it
// has unpacked the backup into its staging directory inside the data directory removes that
// copy (the office's database and keys) and restores nothing; a staging directory a killed
// restore left is removed by the next restore, which then restores.
func TestRestoreInterruptedLeavesNoCopy(t *testing.T) {
	tmp := t.TempDir()
	backedUp(t, tmp, 1, 0)
	out := filepath.Join(tmp, "office.tar")
	restored := filepath.Join(tmp, "restored")
	cli.SetRestoreStaged(func(ctx context.Context) {
		// Without a handler, the signal ends this test's process.
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Second):
			t.Error("the signal did not stop the restore")
		}
	})
	code, _, stderr := run("restore", out, "--data", restored)
	cli.SetRestoreStaged(nil)
	if code == cli.ExitOK || !strings.Contains(stderr, "interrupted: nothing was restored") {
		t.Errorf("interrupted restore: exit %d\n%s", code, stderr)
	}
	if ents, _ := os.ReadDir(restored); len(ents) != 0 {
		t.Errorf("an interrupted restore left %s", ents[0].Name())
	}

	// What a restore killed (kill -9) while it unpacked leaves.
	left := filepath.Join(restored, ".restore-123456")
	if err := os.MkdirAll(left, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(left, "chancery.db"), []byte("letters"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run("restore", out, "--data", restored); code != cli.ExitOK {
		t.Fatalf("restore beside a killed restore's stage: exit %d\n%s", code, stderr)
	}
	if _, err := os.Lstat(left); !os.IsNotExist(err) {
		t.Errorf("the killed restore's stage is still there: %v", err)
	}
}
