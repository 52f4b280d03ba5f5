package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupSaysItsSteps checks that backup says on stderr what it is doing: at 100,000
// letters it worked a minute (60.6 s, 4.5 GB) and printed nothing before its last line. With
// --json, stderr stays empty and stdout is the JSON object alone.
func TestBackupSaysItsSteps(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "office")
	o := openReleasingOffice(t, dir, "")
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	code, stdout, stderr := run("backup", "--data", dir, "--out", filepath.Join(tmp, "office.tar"))
	if code != 0 {
		t.Fatalf("backup: status %d\n%s%s", code, stdout, stderr)
	}
	steps := []string{"copying the database", "verifying the copy", "writing " + filepath.Join(tmp, "office.tar")}
	at := 0
	for _, s := range steps {
		i := strings.Index(stderr[at:], s)
		if i < 0 {
			t.Fatalf("backup's stderr does not say %q after what it said before:\n%s", s, stderr)
		}
		at += i
	}
	// Restore too (22.9 s at 100,000 letters, silent but for its last lines).
	code, stdout, stderr = run("restore", filepath.Join(tmp, "office.tar"), "--data", filepath.Join(tmp, "restored"))
	if code != 0 {
		t.Fatalf("restore: status %d\n%s%s", code, stdout, stderr)
	}
	at = 0
	for _, s := range []string{"unpacking " + filepath.Join(tmp, "office.tar"), "verifying the backup's log", "checking the integrity"} {
		i := strings.Index(stderr[at:], s)
		if i < 0 {
			t.Fatalf("restore's stderr does not say %q after what it said before:\n%s", s, stderr)
		}
		at += i
	}
	code, stdout, stderr = run("backup", "--data", dir, "--out", filepath.Join(tmp, "again.tar"), "--json")
	var res struct {
		LogSize int64 `json:"log_size"`
	}
	if code != 0 || stderr != "" || json.Unmarshal([]byte(stdout), &res) != nil || res.LogSize == 0 {
		t.Errorf("backup --json: status %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
