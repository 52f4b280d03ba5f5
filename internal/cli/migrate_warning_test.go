package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// A command of a new build that migrates the database of an older build's office, its
// server stopped ('log verify' to check the office before upgrading), says so: it closed
// the way back without a word, the older build's server and backup refusing the database
// from then on. With --json the warning is in the JSON's warnings; a command that migrates
// nothing says nothing.
func TestCommandsSayTheyMigrated(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	finishedOffice(t, dir)
	olderSchema(t, dir)
	want := fmt.Sprintf("chancery: warning: this command migrated the office's database from schema version %d to this build's %d: builds before this one refuse it from now on", store.SchemaVersion-1, store.SchemaVersion)

	code, stdout, stderr := run("log", "verify", "--data", dir)
	if code != 0 || !strings.Contains(stdout, "is sound") {
		t.Fatalf("log verify of an older build's office: status %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, want) {
		t.Errorf("log verify migrated the office's database without saying so:\n%s", stderr)
	}
	// The way back is a backup taken before, by either build: the new build's backup keeps
	// the database as the older build left it, and the older build restores it (docs/operations.md,
	// "Upgrading", step 3), which a warning asking for an older build's backup denied.
	if !strings.Contains(stderr, "restore with the older build a backup taken before this command, by either build") {
		t.Errorf("the warning does not say that a backup of either build taken before is the way back:\n%s", stderr)
	}
	if code, stdout, stderr := run("log", "verify", "--data", dir); code != 0 || strings.Contains(stderr, "migrated") {
		t.Errorf("log verify of this build's office: status %d, want no word of a migration\n%s%s", code, stdout, stderr)
	}

	olderSchema(t, dir)
	code, stdout, stderr = run("log", "verify", "--json", "--data", dir)
	if code != 0 || strings.Contains(stderr, "chancery: warning: chancery: warning:") || !strings.Contains(stderr, strings.TrimPrefix(want, "chancery: warning: ")) {
		t.Errorf("log verify --json of an older build's office: status %d, want the migration's warning\n%s%s", code, stdout, stderr)
	}
}

// A command that opens the office (member recover) and fails after the store's opening
// migrated it says so too (live: an older build's office whose settings name a converter this
// machine lacks, "convert: no document converter", the database at this build's schema and
// no word of it): the way back is closed all the same.
func TestCommandFailedAfterMigratingSaysSo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	finishedOffice(t, dir).Close()
	olderSchema(t, dir)
	settings := filepath.Join(dir, "chancery.json")
	raw, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	s["converter"] = filepath.Join(t.TempDir(), "soffice")
	if raw, err = json.Marshal(s); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(settings, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run("member", "recover", "admin", "--data", dir)
	if code == 0 || !strings.Contains(stderr, "no document converter") {
		t.Fatalf("member recover of an office whose converter is missing: status %d, want its refusal\n%s%s", code, stdout, stderr)
	}
	if v := schemaOf(t, dir); v != store.SchemaVersion {
		t.Fatalf("the store is at schema %d after the failed command, want %d: the test no longer shows a migration", v, store.SchemaVersion)
	}
	want := fmt.Sprintf("chancery: warning: this command migrated the office's database from schema version %d to this build's %d", store.SchemaVersion-1, store.SchemaVersion)
	if !strings.Contains(stderr, want) {
		t.Errorf("member recover migrated the office's database and failed without saying so:\n%s", stderr)
	}
}

// 'store migrate' of an older build's SQLite office refuses it and tells the operator to
// open it once with this build, which migrates it: the hint asks for a backup first, as
// docs/operations.md's upgrade steps do, since the older build refuses the database from
// then on (live: the hint named 'log verify' alone, and following it closed the way back).
func TestStoreMigrateOfAnOlderSchemaAsksForABackupFirst(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	finishedOffice(t, dir).Close()
	olderSchema(t, dir)
	code, stdout, stderr := run("store", "migrate", "--data", dir, "--to", "postgres://chancery@127.0.0.1:1/none?sslmode=disable")
	if code == 0 || !strings.Contains(stderr, "schema version differs") {
		t.Fatalf("store migrate of an older build's office: status %d, want its refusal\n%s%s", code, stdout, stderr)
	}
	backup := fmt.Sprintf("hint: take a backup first ('chancery backup --data %s --out FILE', of either build)", dir)
	if !strings.Contains(stderr, backup) || strings.Index(stderr, backup) > strings.Index(stderr, "chancery log verify") {
		t.Errorf("store migrate's hint does not ask for a backup before the command that migrates:\n%s", stderr)
	}
	if v := schemaOf(t, dir); v != store.SchemaVersion-1 {
		t.Errorf("store migrate left the office's database at schema %d, want it untouched at %d", v, store.SchemaVersion-1)
	}
}

// 'log verify' beside a running server of an older build refuses to read its database and
// tells the operator to stop the server and start this build's, which migrates the database:
// the hint asks for the backup in between, as the upgrade steps do (docs/operations.md,
// "Upgrading", step 3), the older build refusing the database once it is migrated.
func TestLogVerifyBesideAnOlderServerAsksForABackupFirst(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	d := finishedOffice(t, dir)
	olderSchema(t, dir)
	unlock, err := d.Lock() // the older build's server
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	code, stdout, stderr := run("log", "verify", "--data", dir)
	backup := fmt.Sprintf("take a backup ('chancery backup --data %s --out FILE'", dir)
	if code == 0 || !strings.Contains(stderr, backup) || strings.Index(stderr, backup) > strings.Index(stderr, "start this build's 'chancery serve'") {
		t.Errorf("log verify beside an older build's server: status %d, want a hint asking for a backup before this build's serve\n%s%s", code, stdout, stderr)
	}
}
