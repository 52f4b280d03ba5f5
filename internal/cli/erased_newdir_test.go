package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/store"
)

// TestRestoreIntoANewDirectoryCarriesTheErasures: a backup leaves out the record of erased
// releases, so that a restore in place keeps the directory's own; restored into a new
// directory (a new machine after a disk loss), it had none, said nothing, and its server
// served a letter erased after the backup with its content. restore now warns when the
// directory has no record, and --erased brings the former directory's records, into a new
// directory and into an empty one, whose server erases the letter again at its start.
func TestRestoreIntoANewDirectoryCarriesTheErasures(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	live := filepath.Join(tmp, "live")
	o := openReleasingOffice(t, live, "")
	rel, err := o.release()
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(tmp, "office.tar")
	if code, _, errOut := run("backup", "--data", live, "--out", backup); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	if err := o.st.Registry.Erase(ctx, o.admin, rel.Reference, "personal data"); err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	// Its server records the erasure.
	if out := serveLogs(t, "dispatch: posting webhook events", "--data", live, "--listen", "127.0.0.1:0"); out != "" {
		t.Fatalf("serve exited: %s", out)
	}

	code, _, errOut := run("restore", backup, "--data", filepath.Join(tmp, "bare"))
	if code != 0 || !strings.Contains(errOut, "warning: "+filepath.Join(tmp, "bare")+" has no record of erased letters") || !strings.Contains(errOut, "--erased") {
		t.Errorf("restore without the record: status %d, %s", code, errOut)
	}
	// The backup holds no erasure: the warning stays (the office erased after it), and says
	// that a former directory which never erased a letter has nothing to bring, as the hint of
	// a record file that is not there does (fifty-ninth session's not-fixed list).
	if !strings.Contains(errOut, "this backup") || !strings.Contains(errOut, "holds no erasure") || !strings.Contains(errOut, "there is nothing to bring") {
		t.Errorf("restore of a backup without erasures, without the record: %s, want it said that a directory which never erased has nothing to bring", errOut)
	}
	// A backup holding an erasure: its office erased letters, and its former directory has
	// the records; the warning says to bring them, no more.
	erasedBackup := filepath.Join(tmp, "erased.tar")
	if code, _, errOut := run("backup", "--data", live, "--out", erasedBackup); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	code, _, errOut = run("restore", erasedBackup, "--data", filepath.Join(tmp, "bare-erased"))
	if code != 0 || !strings.Contains(errOut, "warning: "+filepath.Join(tmp, "bare-erased")+" has no record of erased letters") ||
		!strings.Contains(errOut, "--erased") || strings.Contains(errOut, "nothing to bring") {
		t.Errorf("restore of a backup holding an erasure, without the record: status %d, %s", code, errOut)
	}

	empty := filepath.Join(tmp, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(tmp, "new"), empty} {
		code, _, errOut := run("restore", backup, "--data", dir,
			"--erased", filepath.Join(live, datadir.ErasedFile), "--erased", filepath.Join(live, datadir.ErasedLettersFile))
		if code != 0 || strings.Contains(errOut, "erased letters") {
			t.Fatalf("restore into %s with the records: status %d, %s", dir, code, errOut)
		}
		for _, name := range []string{datadir.ErasedFile, datadir.ErasedLettersFile} {
			want, _ := os.ReadFile(filepath.Join(live, name))
			if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != string(want) {
				t.Errorf("%s in %s: %q, %v; want %q", name, dir, got, err, want)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, ".restore-unfinished")); err == nil {
			t.Errorf("%s kept its mark", dir)
		}
		if out := serveLogs(t, "erased again", "--data", dir, "--listen", "127.0.0.1:0"); out != "" {
			t.Fatalf("serve on %s did not erase the letter again: %s", dir, out)
		}
		db, err := store.OpenSQLite(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		err = db.View(ctx, func(tx *store.Tx) error {
			l, err := tx.LetterByRef(ctx, rel.Reference)
			if err == nil && l.Subject != "" {
				t.Errorf("%s: %s kept its subject %q", dir, rel.Reference, l.Subject)
			}
			return err
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
	}

	// A former directory in which no letter was ever erased has no record at all: the
	// command as the docs show it fails, and says why and what to do.
	code, _, errOut = run("restore", backup, "--data", filepath.Join(tmp, "refused"), "--erased", filepath.Join(tmp, "never-erased", datadir.ErasedFile))
	if code != 2 || !strings.Contains(errOut, "hint: a data directory in which no letter was ever erased has no "+datadir.ErasedFile) || !strings.Contains(errOut, "leave out each --erased") {
		t.Errorf("restore with a record file that does not exist: status %d, %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(tmp, "refused")); err == nil {
		t.Error("a refused restore left its directory")
	}

	code, _, errOut = run("restore", backup, "--data", filepath.Join(tmp, "refused"), "--erased", filepath.Join(live, "chancery.json"))
	if code != 2 || !strings.Contains(errOut, "neither a record of erased releases nor one of erased letters") {
		t.Errorf("restore with a file that is no record: status %d, %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(tmp, "refused")); err == nil {
		t.Error("a refused restore left its directory")
	}
}
