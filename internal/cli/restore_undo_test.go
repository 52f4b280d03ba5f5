package cli

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A restore that fails after it moved files into the data directory removes them, and the
// directories it made for them, and only those: a failed restore leaves nothing behind.
func TestRestoreUndoRemovesWhatItMovedIn(t *testing.T) {
	dir := t.TempDir()
	kept := filepath.Join(dir, "chancery.json")
	if err := os.WriteFile(kept, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	var in movedIn
	for _, n := range []string{"chancery.db", "keys/old/office.key"} {
		dst := filepath.Join(dir, filepath.FromSlash(n))
		if err := in.mkdirs(dir, filepath.Dir(dst)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, []byte(n), 0o600); err != nil {
			t.Fatal(err)
		}
		in.files = append(in.files, dst)
	}
	cause := errors.New("disk full")
	if err := in.undo(cause); err != cause {
		t.Fatalf("undo returned %v, want the cause alone", err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || ents[0].Name() != "chancery.json" {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Fatalf("after undo the directory holds %v, want only what was there before", names)
	}
}
