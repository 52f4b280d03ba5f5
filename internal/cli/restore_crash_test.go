package cli_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
)

// TestRestoreKilledBeforeItsRecordIsNotServed: a restore of a backup older than the
// checkpoint brought along (--published) is SIGKILLed just after the file that makes the
// directory servable is moved in (a new directory renamed into place; the settings into an
// empty directory; the database in place). The directory must then hold that checkpoint as its record, so that serve refuses
// the shorter log, rather than no record (or the older one) and a log that serve extends,
// handing out indices already handed out.
func TestRestoreKilledBeforeItsRecordIsNotServed(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	tmp := t.TempDir()
	o, _ := backedUp(t, tmp, 2, 2)
	backup := filepath.Join(tmp, "office.tar")
	latest := filepath.Join(tmp, "latest.checkpoint")
	if err := os.WriteFile(latest, o.st.Log.Head().Checkpoint, 0o600); err != nil {
		t.Fatal(err)
	}

	// In place: a directory restored from the backup, its database since moved aside.
	inPlace := filepath.Join(tmp, "in-place")
	if code, _, stderr := run("restore", backup, "--data", inPlace); code != 0 {
		t.Fatalf("restore: status %d, %s", code, stderr)
	}
	if err := os.Remove(filepath.Join(inPlace, store.SQLiteFile)); err != nil {
		t.Fatal(err)
	}

	// An existing empty directory, whose files are moved in one by one.
	empty := filepath.Join(tmp, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, dir, killAfter string
	}{
		{"new directory", filepath.Join(tmp, "new-machine"), "."}, // renamed into place
		{"empty directory", empty, "chancery.json"},
		{"in place", inPlace, store.SQLiteFile},
	} {
		t.Run(c.name, func(t *testing.T) {
			killedAt(t, "restore", c.killAfter, "restore", backup, "--data", c.dir, "--published", latest)
			d, err := datadir.Open(c.dir)
			if err != nil {
				t.Fatalf("the directory after the kill: %v", err)
			}
			defer d.Close()
			rec, err := d.Published()
			if err != nil || !bytes.Equal(rec, o.st.Log.Head().Checkpoint) {
				t.Errorf("the record after the kill is %q (%v), want the checkpoint brought along", rec, err)
			}
			st, err := officepkg.Open(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			// What serve checks before it appends.
			var rb *translog.RollbackError
			if err := translog.CheckPublished(context.Background(), st.DB, d.Verifier(), rec); !errors.As(err, &rb) {
				t.Errorf("serve's check of the restored office against its record: %v; want a rollback", err)
			}
		})
	}
}

// TestRestoreInPlaceKeepsTheNewerRecord: restored in place with a checkpoint brought along
// (--published) that is older than the directory's own record, but newer than the backup, a
// restore replaced the record with it, so that a later restore of a backup between the two
// passed serve's check and handed out again the indices between them.
func TestRestoreInPlaceKeepsTheNewerRecord(t *testing.T) {
	tmp := t.TempDir()
	o, _ := backedUp(t, tmp, 2, 1)
	backup := filepath.Join(tmp, "office.tar")
	between := filepath.Join(tmp, "between.checkpoint")
	if err := os.WriteFile(between, o.st.Log.Head().Checkpoint, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	newest := o.st.Log.Head().Checkpoint

	dir := filepath.Join(tmp, "in-place")
	if code, _, stderr := run("restore", backup, "--data", dir); code != 0 {
		t.Fatalf("restore: status %d, %s", code, stderr)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.SetPublished(newest); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, store.SQLiteFile)); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run("restore", backup, "--data", dir, "--published", between); code != 1 || !strings.Contains(stderr, "restored, but") {
		t.Fatalf("restore in place behind both checkpoints: status %d, %s", code, stderr)
	}
	if rec, err := d.Published(); err != nil || !bytes.Equal(rec, newest) {
		t.Errorf("the record after the restore is %q (%v), want the directory's newer one", rec, err)
	}
}
