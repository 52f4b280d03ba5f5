package cli

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
)

// TestOwnedFileHintCommandIsOneWord: the chown the owned-file hint prints named the file
// bare, and a data directory named with a space ("Office Data") made it, pasted into a shell,
// give the service user two other paths, the directory above among them (found by review of
// 59876d9, fifty-ninth session). The path is one word of the command, which a shell reads
// back as the file.
func TestOwnedFileHintCommandIsOneWord(t *testing.T) {
	for _, name := range []string{"Office Data", "it's $HOME", "a;b", "plain"} {
		dir := filepath.Join(t.TempDir(), name)
		path := filepath.Join(dir, "chancery.json")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(path)
		if err != nil {
			t.Fatal(err)
		}
		refused := fmt.Errorf("open settings: %w", &fs.PathError{Op: "open", Path: path, Err: syscall.EACCES})
		h := ownedFileHint(refused, path, ownedBy{fi, 0}, false, 4242421, "ada")
		var hi *hinted
		if h == nil || !asHinted(h, &hi) {
			t.Fatalf("%s: no hint: %v", name, h)
		}
		m := regexp.MustCompile(`'sudo chown ada (.*)'$`).FindStringSubmatch(hi.hint)
		if m == nil {
			t.Fatalf("%s: no chown in %q", name, hi.hint)
		}
		out, err := exec.Command("sh", "-c", "printf '%s\\n' "+m[1]).Output()
		if err != nil || string(out) != path+"\n" {
			t.Errorf("the chown of %q names %s, which a shell reads as %q (%v)", path, m[1], out, err)
		}
	}
}
