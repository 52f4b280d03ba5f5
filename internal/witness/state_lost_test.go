package witness

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestLostDatabaseIsNotMadeAgain: a witness whose database is gone while its key stays would
// take each log's next checkpoint as a first one and could cosign a fork of a tree it
// cosigned before. OpenStore made a new, empty database; it now refuses where the marker of
// an earlier one is, and a database made before the marker existed gains it on open.
func TestLostDatabaseIsNotMadeAgain(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, err := os.Stat(filepath.Join(dir, MarkerFile)); err != nil {
		t.Fatalf("no marker beside a new database: %v", err)
	}
	for _, n := range []string{DBFile, DBFile + "-wal", DBFile + "-shm"} {
		os.Remove(filepath.Join(dir, n))
	}
	if st, err := OpenStore(ctx, dir); !errors.Is(err, ErrStateLost) {
		if err == nil {
			st.Close()
		}
		t.Fatalf("opened with its database gone: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, DBFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused open left a database: %v", err)
	}

	// A database of an earlier version, without the marker.
	os.Remove(filepath.Join(dir, MarkerFile))
	st, err = OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	os.Remove(filepath.Join(dir, MarkerFile))
	st, err = OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, err := os.Stat(filepath.Join(dir, MarkerFile)); err != nil {
		t.Errorf("an earlier database did not gain the marker: %v", err)
	}
}
