package cli_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/store"
)

// A command of a new build that migrates the database of an older build's office, its
// server stopped ('log verify' to check the office before upgrading), says so: it closed
// the way back without a word, the older build's server and backup refusing the database
// from then on. With --json the warning is in the JSON's warnings; a command that migrates
// nothing says nothing.
func TestCommandsSayTheyMigrated(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	if _, _, err := officepkg.Init(ctx, dir, datadir.Settings{Office: "Older Office", Prefix: "OLD", Origin: "older.example/log", URL: "https://older.example"},
		"admin", nil, officepkg.Options{}); err != nil {
		t.Fatal(err)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
	olderSchema(t, dir)
	want := fmt.Sprintf("chancery: warning: this command migrated the office's database from schema version %d to this build's %d: builds before this one refuse it from now on", store.SchemaVersion-1, store.SchemaVersion)

	code, stdout, stderr := run("log", "verify", "--data", dir)
	if code != 0 || !strings.Contains(stdout, "is sound") {
		t.Fatalf("log verify of an older build's office: status %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, want) {
		t.Errorf("log verify migrated the office's database without saying so:\n%s", stderr)
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
