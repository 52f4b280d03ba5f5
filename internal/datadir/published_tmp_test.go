package datadir

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestSetPublishedRemovesWhatACrashLeft: a server killed between writing the record's
// temporary file and renaming it left published.checkpoint.N.tmp for good (backups leave it
// out, nothing removed it). The next record removes such files once they are a minute old,
// and leaves a newer one, which another server on the directory may be about to rename.
func TestSetPublishedRemovesWhatACrashLeft(t *testing.T) {
	d := &Dir{Path: t.TempDir()}
	old := filepath.Join(d.Path, PublishedFile+".1700000000000000000.tmp")
	young := filepath.Join(d.Path, PublishedFile+".1800000000000000000.tmp")
	for _, f := range []string{old, young} {
		if err := os.WriteFile(f, []byte("torn"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chtimes(old, time.Now().Add(-time.Hour), time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := d.SetPublished([]byte("checkpoint\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the hour-old temporary record is still there (%v)", err)
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("the new temporary record, perhaps another writer's, was removed: %v", err)
	}
	if b, err := d.Published(); err != nil || string(b) != "checkpoint\n" {
		t.Errorf("the record: %q, %v", b, err)
	}
}
