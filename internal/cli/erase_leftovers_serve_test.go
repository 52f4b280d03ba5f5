package cli_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/store"
)

// TestServeErasesLeftoversOfAnEarlierBuild: serve erases, before it serves, what an erasure
// by a build before migration 31 left (item 840): here the released file's name, which such
// builds kept. The registry's own test checks what is erased; this one that serve asks.
func TestServeErasesLeftoversOfAnEarlierBuild(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, "")
	rel, err := o.release()
	if err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := officepkg.Open(ctx, d, officepkg.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Registry.Erase(ctx, o.admin, rel.Reference, "personal data"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	d.Close()

	// The database as an earlier build's erasure left it: the file's name kept, and no
	// record that a newer build erased it again.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{
		`UPDATE releases SET file_name = 'mkrfile-old.pdf' WHERE letter_id = (SELECT id FROM letters WHERE reference = ?)`,
		`DELETE FROM settings WHERE name = 'erasures_done_again_1' AND ? <> ''`,
	} {
		if _, err := raw.ExecContext(ctx, q, rel.Reference); err != nil {
			t.Fatal(err)
		}
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	if out := serveLogs(t, "erased again what an earlier build's erasures left", "--data", dir, "--listen", "127.0.0.1:0"); out != "" {
		t.Fatalf("serve did not erase the leftovers: %s", out)
	}
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, rel.Reference)
		if err != nil {
			return err
		}
		r, err := tx.ReleaseOf(ctx, l.ID)
		if err != nil {
			return err
		}
		if r.FileName != "" {
			t.Errorf("the erased letter's file keeps its name after serve: %q", r.FileName)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
