package cli_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/store"
)

// undoLatest undoes, for each schema version, its migration: what olderSchema runs to set a
// store back to the build before. A new migration needs its own entry, or every test that
// sets a store back fails.
var undoLatest = map[int]string{
	36: `ALTER TABLE recipients DROP COLUMN retired_at; DELETE FROM schema_version WHERE version = 36`,
	37: `DROP INDEX releases_erased; DELETE FROM schema_version WHERE version = 37`,
	38: `DELETE FROM schema_version WHERE version = 38`,
	39: `DELETE FROM schema_version WHERE version = 39`,
	40: `DELETE FROM schema_version WHERE version = 40`,
	41: `DROP TRIGGER audit_events_no_update;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NOT (NEW.id = OLD.id AND NEW.time = OLD.time AND NEW.reference = OLD.reference AND OLD.reference <> ''
	AND EXISTS (SELECT 1 FROM letters l JOIN releases r ON r.letter_id = l.id WHERE l.reference = OLD.reference AND r.erased_at IS NOT NULL))
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
DELETE FROM schema_version WHERE version = 41`,
	42: `DELETE FROM schema_version WHERE version = 42`,
	43: `DROP INDEX draft_exports_by_letter; DELETE FROM schema_version WHERE version = 43`,
	44: `DROP INDEX withdrawals_by_kind; DROP INDEX letters_by_class; DROP TABLE unreleased_letters; DELETE FROM schema_version WHERE version = 44`,
	45: `DROP TABLE webhook_previous_secrets; DELETE FROM schema_version WHERE version = 45`,
	46: `DELETE FROM schema_version WHERE version = 46`,
	47: `DROP TABLE form_posts; DELETE FROM schema_version WHERE version = 47`,
}

// finishedOffice creates the office "Older Office" in dir, its set-up finished, and returns
// its data directory open, closed when the test ends if not before.
func finishedOffice(t *testing.T, dir string) *datadir.Dir {
	t.Helper()
	if _, _, err := officepkg.Init(context.Background(), dir, datadir.Settings{Office: "Older Office", Prefix: "OLD", Origin: "older.example/log", URL: "https://older.example"},
		"admin", nil, officepkg.Options{}); err != nil {
		t.Fatal(err)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
	return d
}

// olderSchema sets the SQLite store in dir back to the schema of the build before this one,
// as a server of that build left it: this build's last migration undone.
func olderSchema(t *testing.T, dir string) {
	t.Helper()
	undo, ok := undoLatest[store.SchemaVersion]
	if !ok {
		t.Fatalf("olderSchema cannot undo migration %d: add it to undoLatest", store.SchemaVersion)
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(undo); err != nil {
		t.Fatal(err)
	}
}

// schemaOf is the schema version the SQLite store in dir records.
func schemaOf(t *testing.T, dir string) int {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var v int
	if err := raw.QueryRow(`SELECT max(version) FROM schema_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// 'log checkpoint' and 'log verify' of a newer build, run while a server of an older build
// holds the data directory, leave its SQLite database as it is and say why: they migrated
// it under the server, which then refused every release (approvals recorded by digest no
// longer matched) and told holders of released letters "unknown". Without a server they
// migrate it, as before.
func TestLogCommandsDoNotMigrateUnderARunningServer(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	d := finishedOffice(t, dir)
	olderSchema(t, dir)

	unlock, err := d.Lock() // the older build's server
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"log", "checkpoint", "--data", dir}, {"log", "verify", "--data", dir}} {
		code, stdout, stderr := run(args...)
		if v := schemaOf(t, dir); v != store.SchemaVersion-1 {
			t.Fatalf("%s, a server holding the directory: the database was migrated under it to schema %d (status %d)\n%s%s",
				strings.Join(args[:2], " "), v, code, stdout, stderr)
		}
		if code == 0 || !strings.Contains(stderr, "hint: ") || !strings.Contains(stderr, "serve") {
			t.Errorf("%s on an older build's database, a server holding the directory: status %d, want a refusal with a hint\n%s%s",
				strings.Join(args[:2], " "), code, stdout, stderr)
		}
	}
	unlock()

	if code, stdout, stderr := run("log", "verify", "--data", dir); code != 0 || !strings.Contains(stdout, "is sound") {
		t.Fatalf("log verify without a server: status %d\n%s%s", code, stdout, stderr)
	}
	if v := schemaOf(t, dir); v != store.SchemaVersion {
		t.Errorf("log verify without a server left schema %d, want this build's %d", v, store.SchemaVersion)
	}
	// With a server of this build, the commands read the database as it is.
	if unlock, err = d.Lock(); err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if code, stdout, stderr := run("log", "checkpoint", "--data", dir); code != 0 || !strings.Contains(stdout, "older.example/log") {
		t.Errorf("log checkpoint beside a server of this build: status %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run("log", "verify", "--data", dir); code != 0 || !strings.Contains(stdout, "is sound") {
		t.Errorf("log verify beside a server of this build: status %d\n%s%s", code, stdout, stderr)
	}
}
