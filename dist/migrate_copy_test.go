package dist

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The copy that docs/operations.md ("Moving from SQLite") makes of the data directory for the
// servers on PostgreSQL, run as written where the unit's DynamicUser= left /var/lib/chancery a
// link into /var/lib/private/chancery: the old directory keeps its SQLite database (the docs
// keep it to go back), and the copy is a directory of its own, without one.
func TestMigrationCopyKeepsTheSource(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "operations.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Moving from SQLite\n.*?```sh\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/operations.md has no command block under \"Moving from SQLite\"")
	}
	var copyLine string
	for _, l := range strings.Split(string(m[1]), "\n") {
		if strings.HasPrefix(l, "cp ") {
			copyLine = l
		}
	}
	if copyLine == "" {
		t.Fatalf("no cp line in:\n%s", m[1])
	}

	root := t.TempDir()
	private := filepath.Join(root, "var", "lib", "private", "chancery")
	if err := os.MkdirAll(private, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"chancery.db", "chancery.db-wal", "chancery.json", "moved.json", "office.key"} {
		if err := os.WriteFile(filepath.Join(private, f), []byte(f), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join("private", "chancery"), filepath.Join(root, "var", "lib", "chancery")); err != nil {
		t.Fatal(err)
	}
	line := strings.ReplaceAll(copyLine, "/var/lib/", root+"/var/lib/")
	if out, err := exec.Command(sh, "-c", line).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", copyLine, err, out)
	}
	for _, f := range []string{"chancery.db", "chancery.db-wal"} {
		if _, err := os.Stat(filepath.Join(private, f)); err != nil {
			t.Errorf("%s removed the old directory's %s: %v", copyLine, f, err)
		}
	}
	copied := filepath.Join(root, "var", "lib", "chancery-pg")
	if fi, err := os.Lstat(copied); err != nil {
		t.Fatalf("%s: %v", copyLine, err)
	} else if !fi.IsDir() {
		t.Fatalf("%s: the copy is not a directory of its own but %s", copyLine, fi.Mode().Type())
	}
	if _, err := os.Stat(filepath.Join(copied, "chancery.db")); err == nil {
		t.Errorf("%s left chancery.db in the copy", copyLine)
	}
	for _, f := range []string{"chancery.json", "moved.json", "office.key"} {
		if _, err := os.Stat(filepath.Join(copied, f)); err != nil {
			t.Errorf("%s: the copy lacks %s: %v", copyLine, f, err)
		}
	}
}
