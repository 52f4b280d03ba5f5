package cli_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestRestoreSyncsTheSubdirectoriesItMovesInto: into an empty directory and in place, a
// restore moved the backup's files in one by one and synced the data directory alone: a file
// moved into a subdirectory (and the subdirectories it made below another) was not on disk
// until the system flushed it, though chancery.json, moved in after a sync, said the
// directory was complete. Each subdirectory moved into is now synced, deepest first, before
// the settings go in, and again at the end.
func TestRestoreSyncsTheSubdirectoriesItMovesInto(t *testing.T) {
	tmp := t.TempDir()
	live := filepath.Join(tmp, "live")
	o := openReleasingOffice(t, live, "")
	if err := os.MkdirAll(filepath.Join(live, "extra", "deep"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(live, "extra", "deep", "notes.txt"), []byte("kept with the office\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := o.st.Close(); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(tmp, "office.tar")
	if code, stdout, stderr := run("backup", "--data", live, "--out", backup); code != 0 {
		t.Fatalf("backup: status %d\n%s%s", code, stdout, stderr)
	}

	var events []string
	defer cli.SetRestoreMovedIn(nil)
	cli.SetRestoreMovedIn(func(name string) { events = append(events, "moved "+name) })
	defer cli.SetSyncDir(func(dir string) { events = append(events, "synced "+dir) })()

	check := func(t *testing.T, dir string) {
		t.Helper()
		moved := slices.Index(events, "moved extra/deep/notes.txt")
		settings := slices.Index(events, "moved chancery.json")
		if moved < 0 {
			t.Fatalf("extra/deep/notes.txt was not moved in: %q", events)
		}
		before := events[moved:max(settings, moved)]
		if settings < 0 {
			before = events[moved:] // in place, the settings stay
		}
		deep, extra := slices.Index(before, "synced "+filepath.Join(dir, "extra", "deep")), slices.Index(before, "synced "+filepath.Join(dir, "extra"))
		top := slices.Index(before, "synced "+dir)
		if deep < 0 || extra < deep || top < extra {
			t.Fatalf("after extra/deep/notes.txt moved in, before the settings, want extra/deep, extra, then the directory synced: %q", before)
		}
		if b, err := os.ReadFile(filepath.Join(dir, "extra", "deep", "notes.txt")); err != nil || string(b) != "kept with the office\n" {
			t.Fatalf("restored notes: %q %v", b, err)
		}
	}

	t.Run("empty directory", func(t *testing.T) {
		dir := filepath.Join(tmp, "empty")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		events = nil
		if code, stdout, stderr := run("restore", backup, "--data", dir); code != 0 {
			t.Fatalf("restore: status %d\n%s%s", code, stdout, stderr)
		}
		check(t, dir)
	})
	t.Run("in place", func(t *testing.T) {
		moveDatabaseAside(t, live)
		if err := os.RemoveAll(filepath.Join(live, "extra")); err != nil {
			t.Fatal(err)
		}
		events = nil
		if code, stdout, stderr := run("restore", backup, "--data", live); code != 0 {
			t.Fatalf("restore: status %d\n%s%s", code, stdout, stderr)
		}
		check(t, live)
	})
}
