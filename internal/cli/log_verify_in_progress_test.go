package cli_test

import (
	"context"
	"database/sql"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestLogVerifyChecksTheLettersInProgress: a PostgreSQL office put back with pg_restore (and
// a SQLite database copied back by hand, or restored by a build before restore reconciled)
// kept a table of letters in progress (unreleased_letters) edited in its copy: a released
// letter listed among the inbox's drafts, a draft hidden; 'log verify', which
// docs/operations.md says to run after such a restore, said the store was sound (fifty-ninth
// session's not-fixed list, the lead's decision). It now fails (exit status 1), and its hint
// prints the one-line repair of docs/operations.md, which, run as printed by a shell, makes
// the table agree; 'log verify' passes then.
func TestLogVerifyChecksTheLettersInProgress(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		tmp := t.TempDir()
		dir := filepath.Join(tmp, "office")
		o := openReleasingOffice(t, dir, "")
		sqlite3 := lettersInProgressEdited(t, o, func() (*sql.DB, error) {
			return sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile))
		}, "sqlite3")
		checkLettersInProgress(t, sqlite3, nil, "log", "verify", "--data", dir)
	})
	t.Run("Postgres", func(t *testing.T) {
		url := storetest.PostgresURL(t)
		tmp := t.TempDir()
		dir := filepath.Join(tmp, "office")
		o := openReleasingOffice(t, dir, url)
		psql := lettersInProgressEdited(t, o, func() (*sql.DB, error) { return sql.Open("pgx", url) }, "psql")
		checkLettersInProgress(t, psql, []string{"CHANCERY_DATABASE=" + url}, "log", "verify", "--data", dir, "--database", url)
	})
}

// lettersInProgressEdited releases a letter of o, makes two drafts, closes o, and edits its
// letters in progress as a copy edited by hand would be: the released letter listed, the
// second draft left out. It returns the path of tool, the client program the repair is run
// with.
func lettersInProgressEdited(t *testing.T, o *releasingOffice, open func() (*sql.DB, error), tool string) string {
	t.Helper()
	ctx := context.Background()
	rel, err := o.release()
	if err != nil {
		t.Fatal(err)
	}
	var drafts []string
	for _, subject := range []string{"Kept draft", "Hidden draft"} {
		ref, err := o.st.Registry.CreateLetter(ctx, o.drafter, registry.NewLetter{Subject: subject, Class: "internal",
			Addressees: []string{"Ministry"}, File: registry.Upload{Name: "draft.bin", MediaType: "application/octet-stream",
				Data: []byte("Dear Minister,\n\n" + subject + ".\n")}})
		if err != nil {
			t.Fatal(err)
		}
		drafts = append(drafts, ref)
	}
	if err := o.st.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []struct{ sql, ref string }{
		{`INSERT INTO unreleased_letters (letter_id) SELECT id FROM letters WHERE reference = $1`, rel.Reference},
		{`DELETE FROM unreleased_letters WHERE letter_id = (SELECT id FROM letters WHERE reference = $1)`, drafts[1]},
	} {
		if res, err := db.Exec(q.sql, q.ref); err != nil {
			t.Fatal(err)
		} else if n, err := res.RowsAffected(); err != nil || n != 1 {
			t.Fatalf("%s %s: %d rows, %v", q.sql, q.ref, n, err)
		}
	}
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required: %v", tool, err)
		}
		t.Skipf("no %s: skipping", tool)
	}
	return p
}

// checkLettersInProgress runs 'chancery args' on the edited store: it fails with the repair
// in its hint, the repair runs as printed (env added to a shell's environment), and then
// args pass.
func checkLettersInProgress(t *testing.T, tool string, env []string, args ...string) {
	t.Helper()
	code, stdout, stderr := run(args...)
	const want = "the letters in progress disagree with the letters and their releases (letters without a release not listed: 1; released letters listed: 1)"
	if code != 1 || !strings.Contains(stderr, want) {
		t.Fatalf("%s on the edited store: status %d, %s%s, want 1 and %q", strings.Join(args[:2], " "), code, stdout, stderr, want)
	}
	if !strings.Contains(stderr, store.LettersInProgressRepair) {
		t.Errorf("the hint does not give the repair %q: %s", store.LettersInProgressRepair, stderr)
	}
	docs, err := os.ReadFile(filepath.Join("..", "..", "docs", "operations.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(docs), "'"+store.LettersInProgressRepair+"'") {
		t.Errorf("docs/operations.md does not give the repair %q", store.LettersInProgressRepair)
	}
	m := regexp.MustCompile(`(?m)(?:sqlite3|psql) .*'$`).FindString(stderr)
	if m == "" || !strings.HasPrefix(m, filepath.Base(tool)+" ") {
		t.Fatalf("no %s command at the end of the hint: %s", filepath.Base(tool), stderr)
	}
	sh := exec.Command("sh", "-c", m)
	sh.Env = append(os.Environ(), env...)
	if out, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("%s, as the hint printed it: %v\n%s", m, err, out)
	}
	if code, stdout, stderr := run(args...); code != 0 || !strings.Contains(stdout, "is sound") {
		t.Errorf("%s after the repair: status %d, %s%s", strings.Join(args[:2], " "), code, stdout, stderr)
	}
	// Run again, the repair changes nothing in a table that agrees.
	sh = exec.Command("sh", "-c", m)
	sh.Env = append(os.Environ(), env...)
	if out, err := sh.CombinedOutput(); err != nil {
		t.Errorf("%s again: %v\n%s", m, err, out)
	}
	if code, stdout, stderr := run(args...); code != 0 || !strings.Contains(stdout, "is sound") {
		t.Errorf("%s after the repair run twice: status %d, %s%s", strings.Join(args[:2], " "), code, stdout, stderr)
	}
}

// TestLogVerifyRepairNamesTheURLParametersPsqlRefuses: the repair line for PostgreSQL is
// psql "$CHANCERY_DATABASE" …, and an office whose URL carries parameters pgx takes and
// libpq refuses (its schema's search_path, pgx's statement_cache_capacity) got a line that
// failed "invalid URI query parameter" (fifty-ninth session's not-fixed list, the lead's
// decision). The hint now names them, and how to write the URL for psql: the line, given the
// URL without them and the run-time parameter as libpq's options, mends the table.
func TestLogVerifyRepairNamesTheURLParametersPsqlRefuses(t *testing.T) {
	url := storetest.PostgresSchemas(t)() + "&statement_cache_capacity=64"
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, url)
	psql := lettersInProgressEdited(t, o, func() (*sql.DB, error) { return sql.Open("pgx", url) }, "psql")
	args := []string{"log", "verify", "--data", dir, "--database", url}
	code, stdout, stderr := run(args...)
	if code != 1 || !strings.Contains(stderr, "the letters in progress disagree") {
		t.Fatalf("log verify on the edited store: status %d, %s%s", code, stdout, stderr)
	}
	const want = "psql refuses parameters of this URL that chancery's driver (pgx) takes: search_path, statement_cache_capacity; take them out of the URL you give psql, writing the run-time parameters among them (search_path) as libpq's options instead, options=-cNAME%3DVALUE"
	if !strings.Contains(stderr, want) {
		t.Errorf("the hint does not name the parameters psql refuses: %s\nwant %q", stderr, want)
	}
	m := regexp.MustCompile(`(?m)psql "\$CHANCERY_DATABASE" .*'$`).FindString(stderr)
	if m == "" {
		t.Fatalf("no psql command at the end of the hint: %s", stderr)
	}
	line := func(database string) ([]byte, error) {
		sh := exec.Command("sh", "-c", m)
		sh.Env = append(os.Environ(), "CHANCERY_DATABASE="+database)
		return sh.CombinedOutput()
	}
	// The URL as the office has it: psql refuses it, as the hint says.
	if out, err := line(url); err == nil || !strings.Contains(string(out), "invalid URI query parameter") {
		t.Fatalf("%s with the office's URL: %v\n%s\nwant psql's refusal", psql, err, out)
	}
	// The URL as the hint says to write it.
	u, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("options", "-csearch_path="+q.Get("search_path"))
	q.Del("search_path")
	q.Del("statement_cache_capacity")
	u.RawQuery = q.Encode()
	if out, err := line(u.String()); err != nil {
		t.Fatalf("%s with %s: %v\n%s", m, u, err, out)
	}
	if code, stdout, stderr := run(args...); code != 0 || !strings.Contains(stdout, "is sound") {
		t.Errorf("log verify after the repair: status %d, %s%s", code, stdout, stderr)
	}
}

// TestLogVerifyRepairHintShowsNoPassword: a database URL whose password holds a '?' (which
// libpq and pgx take as the password's) was read by net/url as a URL without a password
// whose query began with the rest of it: log verify's psql hint named "s3cret@HOST/DB?search_path"
// among the parameters psql refuses, and a failed connection's error printed the whole URL
// (found by review of e00af67, sixtieth session). Neither shows the password now.
func TestLogVerifyRepairHintShowsNoPassword(t *testing.T) {
	url := storetest.PostgresSchemas(t)()
	u, err := neturl.Parse(url)
	if err != nil || u.User == nil {
		t.Fatalf("the test database's URL %s names no user: %v", url, err)
	}
	// The test cluster trusts its clients: the password is sent and not checked.
	url = strings.Replace(url, "://"+u.User.String()+"@", "://"+u.User.Username()+":?s3cret@", 1)
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, url)
	lettersInProgressEdited(t, o, func() (*sql.DB, error) { return sql.Open("pgx", url) }, "psql")
	code, stdout, stderr := run("log", "verify", "--data", dir, "--database", url)
	if code != 1 || !strings.Contains(stderr, "psql refuses parameters of this URL that chancery's driver (pgx) takes: search_path;") || strings.Contains(stderr, "s3cret") {
		t.Errorf("log verify on the edited store, the URL's password with a '?': status %d, %s%s\nwant the hint naming search_path alone, and no password", code, stdout, stderr)
	}
	closed := strings.Replace(url, "@"+u.Host+"/", "@127.0.0.1:1/", 1)
	if code, stdout, stderr := run("log", "verify", "--data", dir, "--database", closed); code == 0 || !strings.Contains(stderr, ":xxxxx@127.0.0.1:1/") || strings.Contains(stderr, "s3cret") {
		t.Errorf("log verify with a database that does not answer: status %d, %s%s\nwant the URL with its password masked", code, stdout, stderr)
	}
}

// TestLogVerifyRepairOfADataDirectoryNamedLikeAnOption: the SQLite repair line named the
// database by its path in single quotes, and a data directory given relative and named like
// an option (--data=-office) printed sqlite3 '-office/chancery.db' …, which sqlite3 refuses
// ("unknown option") (found by audit, sixtieth session; item 993's class). The path is now
// one shell word that is no option: the line, run as printed, mends the table.
func TestLogVerifyRepairOfADataDirectoryNamedLikeAnOption(t *testing.T) {
	t.Chdir(t.TempDir())
	const dir = "-office"
	o := openReleasingOffice(t, dir, "")
	sqlite3 := lettersInProgressEdited(t, o, func() (*sql.DB, error) {
		return sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile))
	}, "sqlite3")
	args := []string{"log", "verify", "--data=" + dir}
	code, stdout, stderr := run(args...)
	if code != 1 || !strings.Contains(stderr, "the letters in progress disagree") {
		t.Fatalf("log verify on the edited store: status %d, %s%s", code, stdout, stderr)
	}
	m := regexp.MustCompile(`(?m)sqlite3 .*'$`).FindString(stderr)
	if m == "" {
		t.Fatalf("no sqlite3 command at the end of the hint: %s", stderr)
	}
	if out, err := exec.Command("sh", "-c", m).CombinedOutput(); err != nil {
		t.Fatalf("%s (%s), as the hint printed it: %v\n%s", m, sqlite3, err, out)
	}
	if code, stdout, stderr := run(args...); code != 0 || !strings.Contains(stdout, "is sound") {
		t.Errorf("log verify after the repair: status %d, %s%s", code, stdout, stderr)
	}
}

// TestSQLiteHintsOfADataDirectoryNamedLikeAURI: the commands the hints print for the sqlite3
// shell named a relative data directory's database as it is, unless it began with -: one
// named file:office printed sqlite3 file:office/chancery.db …, which the shell reads as a
// URI (office/chancery.db) and fails "unable to open database" (sixtieth session's not-fixed
// list, the lead's decision): log verify's repair line, and backup's refusal of a schema
// changed outside chancery ('sqlite3 DIR/chancery.db .schema'). A relative path is now
// ./DIR/chancery.db there: each command, run as printed, opens the office's database.
func TestSQLiteHintsOfADataDirectoryNamedLikeAURI(t *testing.T) {
	t.Chdir(t.TempDir())
	const dir = "file:office"
	o := openReleasingOffice(t, dir, "")
	sqlite3 := lettersInProgressEdited(t, o, func() (*sql.DB, error) {
		return sql.Open("sqlite", "file:./"+filepath.Join(dir, store.SQLiteFile))
	}, "sqlite3")
	args := []string{"log", "verify", "--data", dir}
	code, stdout, stderr := run(args...)
	if code != 1 || !strings.Contains(stderr, "the letters in progress disagree") {
		t.Fatalf("log verify on the edited store: status %d, %s%s", code, stdout, stderr)
	}
	m := regexp.MustCompile(`(?m)sqlite3 .*'$`).FindString(stderr)
	if !strings.HasPrefix(m, "sqlite3 ./file:office/chancery.db '") {
		t.Fatalf("the repair line %q, want sqlite3 ./file:office/chancery.db '…': %s", m, stderr)
	}
	if out, err := exec.Command("sh", "-c", m).CombinedOutput(); err != nil {
		t.Fatalf("%s (%s), as the hint printed it: %v\n%s", m, sqlite3, err, out)
	}
	if code, stdout, stderr := run(args...); code != 0 || !strings.Contains(stdout, "is sound") {
		t.Fatalf("log verify after the repair: status %d, %s%s", code, stdout, stderr)
	}

	// An index added by hand: backup refuses the schema, and names the shell's command.
	raw, err := sql.Open("sqlite", "file:./"+filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	_, err = raw.Exec(`CREATE INDEX added_by_hand ON members (name)`)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = run("backup", "--data", dir, "--out", "office.tar")
	const want = "'sqlite3 ./file:office/chancery.db .schema'"
	if code == 0 || !strings.Contains(stderr, "changed outside chancery") || !strings.Contains(stderr, want) {
		t.Fatalf("backup of a schema changed by hand: status %d, %s%s\nwant the hint naming %s", code, stdout, stderr, want)
	}
	out, err := exec.Command("sh", "-c", strings.Trim(want, "'")).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "added_by_hand") {
		t.Errorf("%s, as the hint printed it: %v\n%s\nwant the schema, with the index added by hand", want, err, out)
	}
}
