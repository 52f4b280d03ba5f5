package cli

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/stage"
)

// TestRemoveStaleStagesKeepsRunningRestores: the staging directories of restores killed in a
// data directory are removed, those of a restore running now (locked) are kept, and in a
// directory no restore may go to (neither a data directory nor holding only stages) nothing
// is removed.
func TestRemoveStaleStagesKeepsRunningRestores(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "chancery.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".restore-1")
	if err := os.MkdirAll(filepath.Join(stale, "keys"), 0o700); err != nil {
		t.Fatal(err)
	}
	running, release, err := stage.New(dir, stagePrefix)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	notOurs := filepath.Join(dir, ".restore-notes")
	if err := os.Mkdir(notOurs, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := removeStaleStages(dir); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{stale: false, running: true, notOurs: true} {
		if _, err := os.Lstat(p); (err == nil) != want {
			t.Errorf("%s: kept %v, want %v", filepath.Base(p), err == nil, want)
		}
	}

	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "notes.txt"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(other, ".restore-2")
	if err := os.Mkdir(foreign, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := removeStaleStages(other); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(foreign); err != nil {
		t.Errorf("a .restore-* of a directory that is not a data directory was removed: %v", err)
	}

	// The running restore holds its stage's lock.
	f, err := os.Open(running)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
		t.Error("a running restore's stage is not locked")
	}
}
