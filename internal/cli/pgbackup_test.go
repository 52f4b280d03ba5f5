package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store/storetest"
)

// pgTool finds a PostgreSQL client program, failing when it is missing under
// CHANCERY_REQUIRE_TOOLS=1 and skipping otherwise.
func pgTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s (Debian package postgresql-client) is required: %v", name, err)
		}
		t.Skipf("no %s: skipping", name)
	}
	return p
}

// A PostgreSQL office backed up with pg_dump and restored with pg_restore into a new
// database verifies; restoring the older dump under a server that has published more is
// detected, and serve refuses to start until an operator accepts it.
func TestPostgresDumpRestore(t *testing.T) {
	src := storetest.PostgresURL(t)
	dump, restore := pgTool(t, "pg_dump"), pgTool(t, "pg_restore")
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "node")
	o := openReleasingOffice(t, dir, src)
	for range 2 {
		if _, err := o.release(); err != nil {
			t.Fatal(err)
		}
	}
	dumped := o.st.Log.Head()
	file := filepath.Join(tmp, "office.dump")
	if out, err := exec.Command(dump, "--format=custom", "--file", file, "--dbname", src).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	// The office goes on: one more release, and the server records what it published.
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	published := o.st.Log.Head()
	if err := o.st.Dir.SetPublished(published.Checkpoint); err != nil {
		t.Fatal(err)
	}

	dst := storetest.PostgresURL(t)
	if out, err := exec.Command(restore, "--no-owner", "--exit-on-error", "--dbname", dst, file).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	code, stdout, stderr := run("log", "verify", "--data", dir, "--database", dst)
	if code != 0 || !strings.Contains(stdout, "is sound") {
		t.Fatalf("log verify of the restored database: status %d\n%s%s", code, stdout, stderr)
	}
	code, _, stderr = run("serve", "--data", dir, "--database", dst, "--listen", "127.0.0.1:0")
	if code != 2 || !strings.Contains(stderr, "refusing to serve: the stored log has") || !strings.Contains(stderr, "accept-restore") {
		t.Fatalf("serve on the older dump: status %d\n%s", code, stderr)
	}
	if dumped.Size >= published.Size {
		t.Fatalf("the dump has %d entries, the published log %d", dumped.Size, published.Size)
	}
	code, stdout, stderr = run("log", "accept-restore", "--data", dir, "--database", dst)
	if code != 0 || !strings.Contains(stdout, "accepted") {
		t.Fatalf("accept-restore: status %d\n%s%s", code, stdout, stderr)
	}
	// The original database, restored whole, extends the record again.
	code, stdout, _ = run("log", "accept-restore", "--data", dir, "--database", src)
	if code != 0 || !strings.Contains(stdout, "nothing to accept") {
		t.Errorf("accept-restore on the newer database: status %d, %s", code, stdout)
	}
}
