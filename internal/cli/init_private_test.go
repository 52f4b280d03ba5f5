package cli_test

import (
	"os"
	"path/filepath"
	"testing"
)

// TestInitMakesAnEmptyDirectoryPrivate: `init --data DIR` into an existing empty directory of
// mode 0755 (made with mkdir) left it 0755, where a directory init makes is 0700 and restore
// makes an empty target 0700 (item 271): anyone on the machine could list the office's files.
// Init now makes the empty directory 0700 too; one that holds something is left as it is.
func TestInitMakesAnEmptyDirectoryPrivate(t *testing.T) {
	tmp := t.TempDir()
	for _, tc := range []struct {
		name  string
		other bool // a file is in the directory already
		want  os.FileMode
	}{
		{"empty", false, 0o700},
		{"holding", true, 0o755},
	} {
		dir := filepath.Join(tmp, tc.name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o755); err != nil { // whatever the umask
			t.Fatal(err)
		}
		if tc.other {
			write(t, filepath.Join(dir, "README"), []byte("kept here by the operator\n"))
		}
		if code, out, errs := run("init", "--data", dir, "--office", "Private Office", "--prefix", "PRV", "--url", "https://private.example", "--no-pdf-ca"); code != 0 {
			t.Fatalf("init into the %s directory: status %d\n%s%s", tc.name, code, out, errs)
		}
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != tc.want {
			t.Errorf("init into the %s directory of mode 0755 left it %v, want %v", tc.name, fi.Mode().Perm(), tc.want)
		}
	}
}
