package cli_test

import (
	"bufio"
	"context"
	"database/sql"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/testbin"
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

	// The pass takes minutes in a big office, before anything is served: it is said before
	// it starts, with the number of letters (it started without a word).
	bin := testbin.Shared(t, "./cmd/chancery")
	cmd := exec.Command(bin, "serve", "--data", dir, "--listen", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen []string
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		seen = append(seen, sc.Text())
		if strings.Contains(sc.Text(), "erased again what an earlier build's erasures left") {
			break
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if len(seen) == 0 || !strings.Contains(seen[len(seen)-1], "erased again what an earlier build's erasures left") {
		t.Fatalf("serve did not erase the leftovers: %s", strings.Join(seen, "\n"))
	}
	said := false
	for _, l := range seen[:len(seen)-1] {
		said = said || strings.Contains(l, "erasing again what an earlier build's erasures left") && strings.Contains(l, "letters=1")
	}
	if !said {
		t.Errorf("serve did not say, before the pass, that it erases again 1 letter:\n%s", strings.Join(seen, "\n"))
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
