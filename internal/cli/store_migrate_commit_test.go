package cli_test

import (
	"context"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestStoreMigrateKeepsTheMarkWhenTheCommitsAnswerIsLost: migrate took its mark back on any
// error once the mark was written, the commit's too; a commit that reached PostgreSQL but
// whose answer was lost left the office committed there and its SQLite directory unmarked,
// servable beside it (a fork). The mark now stays unless the target is seen empty.
func TestStoreMigrateKeepsTheMarkWhenTheCommitsAnswerIsLost(t *testing.T) {
	dir := closedOfficeWithARelease(t)
	u, err := url.Parse(storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	direct := u.String()
	// Armed by the copy's transaction (its sequences set after the rows), not by the schema's.
	cutter := newCommitCutter(t, u.Host, "pg_get_serial_sequence")
	u.Host = cutter.ln.Addr().String()
	code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", u.String())
	if code == 0 {
		t.Fatalf("store migrate whose commit's answer is lost: status 0\n%s%s", stdout, stderr)
	}
	if _, err := os.Lstat(filepath.Join(dir, datadir.MovedFile)); errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the commit reached PostgreSQL, and %s was taken back: the SQLite office is served beside its copy\n%s%s", datadir.MovedFile, stdout, stderr)
	}
	// The commit did reach it: the office is there.
	db, err := store.OpenPostgres(context.Background(), direct)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := store.CheckTargetEmpty(context.Background(), db); !errors.Is(err, store.ErrTargetNotEmpty) {
		t.Errorf("the target after the lost answer: %v, want the committed copy", err)
	}
	if !strings.Contains(stderr, "may have reached") {
		t.Errorf("the refusal does not say the commit may have reached the target:\n%s", stderr)
	}
	code, _, stderr = run("serve", "--data", dir, "--listen", "127.0.0.1:0")
	if code == 0 || !strings.Contains(stderr, "did not finish") {
		t.Errorf("serve after the lost commit: status %d\n%s", code, stderr)
	}
}
