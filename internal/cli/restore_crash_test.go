package cli_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
)

// restoreCrashEnv holds the arguments of the restore TestRestoreCrashChild runs, separated
// by newlines, the last being the name after whose move into the data directory it is killed.
const restoreCrashEnv = "CHANCERY_RESTORE_CRASH"

// TestRestoreKilledBeforeItsRecordIsNotServed: a restore of a backup older than the
// checkpoint brought along (--published) is SIGKILLed just after the file that makes the
// directory servable is moved in (the settings into an empty directory; the database in
// place). The directory must then hold that checkpoint as its record, so that serve refuses
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

	for _, c := range []struct {
		name, dir, killAfter string
	}{
		{"empty directory", filepath.Join(tmp, "new-machine"), "chancery.json"},
		{"in place", inPlace, store.SQLiteFile},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRestoreCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), restoreCrashEnv+"="+strings.Join([]string{"restore", backup, "--data", c.dir, "--published", latest, c.killAfter}, "\n"))
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the restore was not killed after moving in %s: %v\n%s", c.killAfter, err, out.String())
			}
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

// TestRestoreCrashChild is the child of TestRestoreKilledBeforeItsRecordIsNotServed: it runs
// the restore restoreCrashEnv gives and kills itself once the named file is moved in.
func TestRestoreCrashChild(t *testing.T) {
	v := os.Getenv(restoreCrashEnv)
	if v == "" {
		t.Skip("run as a child process by TestRestoreKilledBeforeItsRecordIsNotServed")
	}
	args := strings.Split(v, "\n")
	killAfter := args[len(args)-1]
	cli.SetRestoreMovedIn(func(name string) {
		if name == killAfter {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	})
	code, _, stderr := run(args[:len(args)-1]...)
	t.Fatalf("the restore ran to its end (status %d) without moving in %s: %s", code, killAfter, stderr)
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
