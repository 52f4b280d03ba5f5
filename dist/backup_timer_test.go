package dist

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The nightly backup units of docs/operations.md, copied as they are, pass `systemd-analyze
// verify`, make the directory the backup is written to (chancery backup creates none, and
// fails without it), and are followed by the command that enables the timer.
func TestBackupTimerUnits(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("systemd-analyze (Debian package systemd) is required: %v", err)
		}
		t.Skip("no systemd-analyze: skipping the unit check")
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "operations.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```ini\n(# /etc/systemd/system/chancery-backup\\.service\n.*?)```\n(.*?)\n### ").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/operations.md has no chancery-backup units")
	}
	units := map[string]string{}
	var name string
	for _, line := range strings.SplitAfter(string(m[1]), "\n") {
		if n, ok := strings.CutPrefix(line, "# /etc/systemd/system/"); ok {
			name = strings.TrimSpace(n)
			continue
		}
		units[name] += line
	}
	service, timer := units["chancery-backup.service"], units["chancery-backup.timer"]
	if service == "" || timer == "" {
		t.Fatalf("units %q", units)
	}
	out := regexp.MustCompile(`--out (/\S+)/chancery-`).FindStringSubmatch(service)
	if out == nil {
		t.Fatalf("the service writes no --out file in a directory:\n%s", service)
	}
	if !regexp.MustCompile(`(?m)^ExecStartPre=/usr/bin/install -d -m 0700 ` + regexp.QuoteMeta(out[1]) + `$`).MatchString(service) {
		t.Errorf("the service does not make %s, which chancery backup needs to exist:\n%s", out[1], service)
	}
	if !strings.Contains(string(m[2]), "systemctl enable --now chancery-backup.timer") {
		t.Errorf("the units are not followed by the command that enables the timer:\n%s", m[2])
	}

	// verify insists that ExecStart's program exists: point it at this test's own binary.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for name, text := range units {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(text, "/usr/local/bin/chancery", self)), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if b, err := exec.Command(analyze, append([]string{"verify"}, paths...)...).CombinedOutput(); err != nil || len(b) != 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, b)
	}
}
