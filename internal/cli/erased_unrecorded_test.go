package cli_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/store"
)

// TestErasureNotRecordedIsNotAnsweredErased: an erasure whose record outside the database
// could not be written (a full disk, a record past its bound, a damaged file) was answered
// "erased" all the same, the failure only logged: a database then put back from an older
// backup served the letter again. Erase now says the erasure is done but not recorded.
func TestErasureNotRecordedIsNotAnsweredErased(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, "")
	rel, err := o.release()
	if err != nil {
		t.Fatal(err)
	}
	stop, err := cli.KeepErased(ctx, o.st.Dir, o.st.Registry, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	// The record cannot be written: a directory stands in its place.
	if err := os.Mkdir(filepath.Join(dir, datadir.ErasedLettersFile), 0o700); err != nil {
		t.Fatal(err)
	}
	err = o.st.Registry.Erase(ctx, o.admin, rel.Reference, "personal data")
	if err == nil || !strings.Contains(err.Error(), "not recorded") {
		t.Fatalf("erasure whose record failed: %v, want it said", err)
	}
	// The erasure itself stands.
	if err := o.st.DB.View(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, rel.Reference)
		if err == nil && l.Subject != "" {
			t.Errorf("the letter kept its subject %q", l.Subject)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := o.st.Registry.Erase(ctx, o.admin, rel.Reference, "again"); err == nil || !strings.Contains(err.Error(), "already erased") {
		t.Errorf("erase again: %v", err)
	}
}
