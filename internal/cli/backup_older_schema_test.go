package cli_test

import (
	"archive/tar"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestBackupKeepsTheSchemaOfAnOlderBuild: a backup taken with a newer build of a data
// directory an older build still serves holds the database as that build left it, so that
// the older build can restore it: the way back docs/operations.md ("Upgrading") keeps open.
// The backup held the copy migrated to this build's schema, which the older build refuses
// ("schema version N is newer than this build's"), and reported it verified. This build
// still restores it, migrated.
func TestBackupKeepsTheSchemaOfAnOlderBuild(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "office")
	finishedOffice(t, dir).Close()
	olderSchema(t, dir)

	out := filepath.Join(tmp, "office.tar")
	if code, stdout, stderr := run("backup", "--data", dir, "--out", out); code != 0 {
		t.Fatalf("backup of an older build's directory: status %d\n%s%s", code, stdout, stderr)
	}
	if v := schemaOf(t, dir); v != store.SchemaVersion-1 {
		t.Errorf("backup migrated the directory's database to schema %d", v)
	}
	held := filepath.Join(tmp, "held")
	extractFile(t, out, store.SQLiteFile, filepath.Join(held, store.SQLiteFile))
	if v := schemaOf(t, held); v != store.SchemaVersion-1 {
		t.Errorf("the backup holds the database at schema %d, want the directory's %d: the build serving it cannot restore it", v, store.SchemaVersion-1)
	}

	restored := filepath.Join(tmp, "restored")
	if code, stdout, stderr := run("restore", out, "--data", restored); code != 0 {
		t.Fatalf("restore with this build: status %d\n%s%s", code, stdout, stderr)
	}
	if v := schemaOf(t, restored); v != store.SchemaVersion {
		t.Errorf("restored with this build at schema %d, want %d", v, store.SchemaVersion)
	}
}

// extractFile writes the file name of the backup tar file to to.
func extractFile(t *testing.T, file, name, to string) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			t.Fatalf("%s holds no %s", file, name)
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Name != name {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
}
