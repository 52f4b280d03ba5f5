package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/store"
)

// TestServeErasesAgainAfterAnOlderDatabase: an erasure lives in the database, so a database
// put back from a backup taken before it served the erased letter again, subject, file and
// reasons, without a word (found by audit, fiftieth session). The server records the erased
// releases in its data directory, and at its next start erases again those the database holds
// with their content.
func TestServeErasesAgainAfterAnOlderDatabase(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, "")
	erased, err := o.release()
	if err != nil {
		t.Fatal(err)
	}
	kept, err := o.release()
	if err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	// The backup: the database as it was before the erasure.
	backup := filepath.Join(t.TempDir(), store.SQLiteFile)
	b, err := os.ReadFile(filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(backup, b, 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := officepkg.Open(ctx, d, officepkg.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Registry.Erase(ctx, o.admin, erased.Reference, "personal data"); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// A server records the erasure at its start, before its dispatcher starts and says so.
	if out := serveLogs(t, "dispatch: posting webhook events", "--data", dir, "--listen", "127.0.0.1:0"); out != "" {
		t.Fatalf("serve exited: %s", out)
	}
	rec, err := os.ReadFile(filepath.Join(dir, datadir.ErasedFile))
	if err != nil || !strings.HasPrefix(string(rec), strconv.FormatInt(erased.LogIndex, 10)+" ") || strings.Count(string(rec), "\n") != 1 {
		t.Fatalf("record of erased releases: %q, %v", rec, err)
	}

	// The database is put back as it was before the erasure.
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(filepath.Join(dir, store.SQLiteFile+suffix))
	}
	if err := os.WriteFile(filepath.Join(dir, store.SQLiteFile), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := serveLogs(t, "erased again", "--data", dir, "--listen", "127.0.0.1:0"); out != "" {
		t.Fatalf("serve did not erase the letter again: %s", out)
	}
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(ctx, func(tx *store.Tx) error {
		for _, c := range []struct {
			ref    string
			erased bool
		}{{erased.Reference, true}, {kept.Reference, false}} {
			l, err := tx.LetterByRef(ctx, c.ref)
			if err != nil {
				return err
			}
			rel, err := tx.ReleaseOf(ctx, l.ID)
			if err != nil {
				return err
			}
			if !rel.ErasedAt.IsZero() != c.erased || (l.Subject == "") != c.erased {
				t.Errorf("%s: erased at %v, subject %q; want erased %v", c.ref, rel.ErasedAt, l.Subject, c.erased)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
