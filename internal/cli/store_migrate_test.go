package cli_test

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// store migrate copies into an empty database only, and leaves any other untouched: a --to
// that names another application's database (its tables not named as Chancery's) was given
// Chancery's schema and the whole office beside that application's rows, and reported as
// migrated; one that holds an office of an older schema was upgraded before it was refused.
func TestStoreMigrateLeavesADatabaseWithDataUntouched(t *testing.T) {
	dir := closedOfficeWithARelease(t)
	target := storetest.PostgresURL(t)
	other, err := sql.Open("pgx", target)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec(`CREATE TABLE invoices (id BIGINT PRIMARY KEY, payee TEXT NOT NULL); INSERT INTO invoices VALUES (1, 'someone')`); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", target)
	if code != 2 || !strings.Contains(stderr, "not empty") || !strings.Contains(stderr, "invoices") || !strings.Contains(stderr, "hint: ") {
		t.Errorf("store migrate into a database holding another application's rows: status %d, want 2 naming its table, with a hint\n%s%s", code, stdout, stderr)
	}
	var tables []string
	rows, err := other.Query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	if len(tables) != 1 || tables[0] != "invoices" {
		t.Errorf("after the refused migration the database holds the tables %v, want only invoices", tables)
	}
}

// store migrate compares every row the target holds with the source's before it commits the
// copy. It compared only the letters' states and each table's number of rows, so a target
// that kept other values than it was given (here a trigger that makes every member an admin
// and signer; a conversion error would do the same) was reported migrated, and served an
// office where other people may sign.
func TestStoreMigrateRefusesATargetThatAltersRows(t *testing.T) {
	dir := closedOfficeWithARelease(t)
	target := storetest.PostgresURL(t)
	// Chancery's empty tables, as a failed copy leaves them, with a trigger of the target's.
	db, err := store.OpenPostgres(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	other, err := sql.Open("pgx", target)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec(`CREATE FUNCTION promote() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.roles := 'admin,drafter,reviewer,signer,release'; RETURN NEW; END $$;
CREATE TRIGGER promote BEFORE INSERT ON members FOR EACH ROW EXECUTE FUNCTION promote();`); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", target)
	if code == 0 || !strings.Contains(stderr, "members") || !strings.Contains(stderr, "differ") {
		t.Errorf("store migrate into a target that alters the members it is given: status %d, want a failure naming the table\n%s%s", code, stdout, stderr)
	}
	var n int
	if err := other.QueryRow(`SELECT count(*) FROM members`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("the target holds %d members after the failed migration, want none: the copy must not be committed", n)
	}
}

// closedOfficeWithARelease returns the data directory of a new SQLite office that has released
// a letter, closed, for store migrate to copy.
func closedOfficeWithARelease(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, "")
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	return dir
}

// TestStoreMigrateRefusesWhileTheSourceIsServed: migrate copies one snapshot of the SQLite
// office, and reported success while a server was still releasing from it: what the office
// released after the snapshot was then missing from the new database, whose log the old
// server's published checkpoint no longer matched. It takes the data directory's server lock
// first, as restore and accept-restore do, and refuses while a server holds it.
func TestStoreMigrateRefusesWhileTheSourceIsServed(t *testing.T) {
	dir := closedOfficeWithARelease(t)
	target := storetest.PostgresURL(t)
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	unlock, err := d.Lock() // as serve holds it
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", target)
	unlock()
	if code != 2 || !strings.Contains(stderr, "another chancery serve") || !strings.Contains(stderr, "hint: ") {
		t.Fatalf("store migrate while a server holds the data directory: status %d, want 2 with a hint\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", target); code != 0 {
		t.Fatalf("store migrate once the server stopped: status %d\n%s%s", code, stdout, stderr)
	}
}

// TestStoreMigrateRefusesALogShorterThanPublished: the SQLite database set back from an older
// backup holds a shorter log than the one its server published (published.checkpoint). serve
// refuses it; migrate carried it to PostgreSQL, whose servers' records start from the copy, so
// the entries published and lost were lost without anyone deciding. It refuses with serve's
// hint, and copies nothing.
func TestStoreMigrateRefusesALogShorterThanPublished(t *testing.T) {
	dir := rolledBackOffice(t)
	target := storetest.PostgresURL(t)
	code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", target)
	if code != 2 || !strings.Contains(stderr, "the stored log has") || !strings.Contains(stderr, "accept-restore") {
		t.Fatalf("store migrate of a log shorter than the one published: status %d, want 2 with serve's refusal and hint\n%s%s", code, stdout, stderr)
	}
	other, err := sql.Open("pgx", target)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var n int
	if err := other.QueryRow(`SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("the target holds %d tables after the refusal, want none", n)
	}
}

// TestMigratedSQLiteOfficeIsNotServedAgain: after store migrate, the servers on PostgreSQL
// carry the log on from copies of the data directory, while the SQLite database stays as it
// was copied. Served again (as docs/operations.md said going back was), it appended entries
// at sizes PostgreSQL's servers had already published, with other roots: a fork (audit,
// forty-eighth session). The migrated directory is marked; serve, key rotate office, backup
// and another migrate refuse its SQLite database, saying where the office went.
func TestMigratedSQLiteOfficeIsNotServedAgain(t *testing.T) {
	dir := closedOfficeWithARelease(t)
	target := storetest.PostgresURL(t)
	code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", target)
	if code != 0 || !strings.Contains(stdout, datadir.MovedFile) {
		t.Fatalf("store migrate: status %d\n%s%s", code, stdout, stderr)
	}
	// The copy says what it does as it goes (minutes at 100,000 letters, said nothing).
	if i, j := strings.Index(stderr, "copying letters\n"), strings.Index(stderr, "comparing every row"); i < 0 || j < i {
		t.Errorf("store migrate did not say which table it copies, then that it compares them:\n%s", stderr)
	}
	for name, args := range map[string][]string{
		"serve":               {"serve", "--data", dir, "--listen", "127.0.0.1:0"},
		"key rotate office":   {"key", "rotate", "office", "--data", dir, "--reason", "routine"},
		"backup":              {"backup", "--data", dir, "--out", filepath.Join(t.TempDir(), "b.tar")},
		"store migrate again": {"store", "migrate", "--data", dir, "--to", storetest.PostgresURL(t)},
	} {
		code, stdout, stderr := run(args...)
		if code != 2 || !strings.Contains(stderr, "moved this office to ") || !strings.Contains(stderr, "hint: ") {
			t.Errorf("%s on the migrated directory: status %d, want 2 naming the move, with a hint\n%s%s", name, code, stdout, stderr)
		}
		// Going back to SQLite (the hint's way) after an erasure on PostgreSQL served the
		// erased letter again: its SQLite database still holds it, and only the PostgreSQL
		// servers' records name it (audit, fifty-sixth session). The hint says to bring them.
		if !strings.Contains(stderr, datadir.ErasedFile+" and "+datadir.ErasedLettersFile) {
			t.Errorf("%s on the migrated directory: the hint to go back to SQLite does not say to bring the erasure records\n%s", name, stderr)
		}
	}
	// The servers on PostgreSQL work from a copy of the directory without chancery.db, the
	// mark included, which they pass over.
	pg := filepath.Join(t.TempDir(), "office-pg")
	if err := os.Mkdir(pg, 0o700); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), store.SQLiteFile) || !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err == nil {
			err = os.WriteFile(filepath.Join(pg, e.Name()), b, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(pg, datadir.MovedFile)); err != nil {
		t.Fatal(err)
	}
	// backup of that copy said it refused "the SQLite database" of a directory that has none,
	// and hinted to remove moved.json to go back to SQLite (audit, fifty-sixth session).
	code, stdout, stderr = run("backup", "--data", pg, "--out", filepath.Join(t.TempDir(), "pg.tar"))
	if code != 2 || !strings.Contains(stderr, "holds no SQLite database") || !strings.Contains(stderr, "hint: back up the database with pg_dump") || strings.Contains(stderr, "remove ") {
		t.Errorf("backup of a PostgreSQL server's data directory: status %d, want 2 saying it has no SQLite database, with pg_dump's hint\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run("key", "rotate", "office", "--data", pg, "--database", target, "--reason", "routine"); code != 0 {
		t.Fatalf("key rotate office on PostgreSQL: status %d\n%s%s", code, stdout, stderr)
	}
}

// rolledBackOffice returns the data directory of a closed SQLite office whose database was set
// back to an older backup: its log is shorter than the one its server published.
func rolledBackOffice(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, "")
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	older := filepath.Join(t.TempDir(), "older.db")
	if err := store.BackupSQLite(ctx, dir, older); err != nil {
		t.Fatal(err)
	}
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	if err := o.st.Dir.SetPublished(o.st.Log.Head().Checkpoint); err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	for _, f := range []string{store.SQLiteFile + "-wal", store.SQLiteFile + "-shm"} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	if err := os.Rename(older, filepath.Join(dir, store.SQLiteFile)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestKeyRotateRefusesALogShorterThanPublished: key rotate office logs the rotation, and
// sequenced on a database set back from an older backup, which serve refuses: it signed a
// checkpoint of a size already published with another root (audit, forty-eighth session).
// It refuses with serve's words and hint, and logs nothing.
func TestKeyRotateRefusesALogShorterThanPublished(t *testing.T) {
	dir := rolledBackOffice(t)
	_, before, _ := run("log", "checkpoint", "--data", dir)
	code, stdout, stderr := run("key", "rotate", "office", "--data", dir, "--reason", "routine")
	if code != 2 || !strings.Contains(stderr, "the stored log has") || !strings.Contains(stderr, "accept-restore") {
		t.Fatalf("key rotate office on a log shorter than the one published: status %d, want 2 with serve's refusal and hint\n%s%s", code, stdout, stderr)
	}
	if _, after, _ := run("log", "checkpoint", "--data", dir); after != before || before == "" {
		t.Errorf("the stored log changed:\n%s\nthen\n%s", before, after)
	}
}

// TestStoreMigrateMarksTheSourceBeforeTheCopyIsCommitted: migrate wrote moved.json only once
// the copy was verified, which recomputes the whole log. Killed in between (kill -9, a crash,
// Ctrl-C), it left a committed office on PostgreSQL and a SQLite directory that serve still
// took: served both, the log forks. The mark is now written before the commit, and taken
// back when the copy fails.
func TestStoreMigrateMarksTheSourceBeforeTheCopyIsCommitted(t *testing.T) {
	dir := closedOfficeWithARelease(t)
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var atCommit *datadir.Moved
	cli.SetMigrateCopied(func() {
		if atCommit, err = d.Moved(); err != nil {
			t.Error(err)
		}
	})
	code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", storetest.PostgresURL(t))
	cli.SetMigrateCopied(nil)
	if code != 0 {
		t.Fatalf("store migrate: status %d\n%s%s", code, stdout, stderr)
	}
	if atCommit == nil {
		t.Fatalf("the copy was committed with %s not yet written: a migrate killed then leaves the SQLite office servable beside its copy", datadir.MovedFile)
	}
	if m, err := d.Moved(); err != nil || m == nil || m.Size != atCommit.Size || m.Size == 0 || m.Pending {
		t.Errorf("after the migration the directory records %+v (%v), want the move at the log's size, done", m, err)
	}
	// The refusal of a verified move never says to drop its target, which holds the office;
	// a mark left by a migrate that did not finish says so, and only it says to drop.
	if !atCommit.Pending {
		t.Errorf("at the commit the mark is %+v: not pending, a migrate killed then reads as one verified", atCommit)
	}
	code, stdout, stderr = run("serve", "--data", dir, "--listen", "127.0.0.1:0")
	if code == 0 || strings.Contains(stderr, "drop") || strings.Contains(stderr, "did not finish") {
		t.Errorf("serve after a verified migration: status %d, its refusal says to drop the office's database\n%s%s", code, stdout, stderr)
	}
	pd, err := datadir.Open(closedOfficeWithARelease(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pd.Close()
	if err := pd.SetMoved(datadir.Moved{To: "postgres://chancery@db/office", At: atCommit.At, Size: atCommit.Size, Pending: true}); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = run("serve", "--data", pd.Path, "--listen", "127.0.0.1:0")
	if code == 0 || !strings.Contains(stderr, "did not finish") || !strings.Contains(stderr, "drop the database it was copying into") {
		t.Errorf("serve after a migrate killed before its verification: status %d\n%s%s", code, stdout, stderr)
	}

	// A copy that fails takes the mark back: nothing was committed.
	dir = closedOfficeWithARelease(t)
	target := storetest.PostgresURL(t)
	db, err := store.OpenPostgres(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	other, err := sql.Open("pgx", target)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec(`CREATE FUNCTION promote() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.roles := 'admin,drafter,reviewer,signer,release'; RETURN NEW; END $$;
CREATE TRIGGER promote BEFORE INSERT ON members FOR EACH ROW EXECUTE FUNCTION promote();`); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", target); code == 0 {
		t.Fatalf("store migrate into a target that alters rows: status 0\n%s%s", stdout, stderr)
	}
	if _, err := os.Lstat(filepath.Join(dir, datadir.MovedFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after a failed copy %s is there (%v): the SQLite office would be refused though nothing moved", datadir.MovedFile, err)
	}
}
