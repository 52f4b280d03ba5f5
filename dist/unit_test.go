// Package dist holds what ships beside the binary: the systemd unit and its drop-in for an
// office whose keys are in a token. Its test checks them with systemd's own verifier.
package dist

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The unit passes `systemd-analyze verify` without a warning (a misspelt key or a setting in
// the wrong section is only a warning to systemd), and keeps its hardening.
func TestSystemdUnit(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("systemd-analyze (Debian package systemd) is required: %v", err)
		}
		t.Skip("no systemd-analyze: skipping the unit check")
	}
	unit, err := os.ReadFile("chancery.service")
	if err != nil {
		t.Fatal(err)
	}
	// verify insists that ExecStart's program exists and is executable: point it at this
	// test's own binary, which does, and change nothing else.
	const bin = "/usr/local/bin/chancery"
	if !strings.Contains(string(unit), "ExecStart="+bin+" serve --data /var/lib/chancery") {
		t.Fatalf("ExecStart does not run %s serve --data /var/lib/chancery", bin)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "chancery.service")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(unit), bin, self)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	if err != nil || len(out) != 0 {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}

	// With the drop-in for an office whose keys are in a token (chancery-hsm.conf), installed
	// as docs/keys.md says, beside the unit: verify reads the unit's .d directory (checked
	// with a copy holding an unknown key, which it warns of).
	dropIn, err := os.ReadFile("chancery-hsm.conf")
	if err != nil {
		t.Fatal(err)
	}
	dropIns := filepath.Join(dir, "chancery.service.d")
	if err := os.Mkdir(dropIns, 0o755); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dropIns, "hsm.conf")
	if err := os.WriteFile(conf, append(dropIn[:len(dropIn):len(dropIn)], "NoSuchKey=1\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _ := exec.Command(analyze, "verify", path).CombinedOutput(); !strings.Contains(string(out), "NoSuchKey") {
		t.Fatalf("systemd-analyze verify did not read the drop-in %s:\n%s", conf, out)
	}
	if err := os.WriteFile(conf, dropIn, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", path).CombinedOutput(); err != nil || len(out) != 0 {
		t.Fatalf("systemd-analyze verify, with chancery-hsm.conf: %v\n%s", err, out)
	}
	for _, want := range []string{
		"[Service]\n", "DynamicUser=no\n", "User=chancery\n", "Group=chancery\n", "ReadOnlyPaths=/etc/chancery\n",
		"SupplementaryGroups=softhsm\n", "ReadWritePaths=/var/lib/softhsm/tokens\n",
		"/etc/systemd/system/chancery.service.d/hsm.conf", "chown chancery:chancery /etc/chancery/hsm.pin",
	} {
		if !strings.Contains(string(dropIn), want) {
			t.Errorf("chancery-hsm.conf lacks %q", strings.TrimSpace(want))
		}
	}
	// The drop-in changes who runs the server and what it may read and write, and nothing
	// of the unit's hardening.
	for _, line := range strings.Split(string(dropIn), "\n") {
		key, _, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		switch key {
		case "DynamicUser", "User", "Group", "ReadOnlyPaths", "SupplementaryGroups", "ReadWritePaths":
		default:
			t.Errorf("chancery-hsm.conf sets %s", line)
		}
	}
	for _, want := range []string{
		"DynamicUser=yes", "StateDirectory=chancery", "ProtectSystem=strict", "ProtectHome=yes",
		"NoNewPrivileges=yes", "PrivateTmp=yes", "PrivateDevices=yes", "CapabilityBoundingSet=\n",
		"MemoryDenyWriteExecute=yes", "SystemCallFilter=@system-service", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
		"UMask=0077", "KillSignal=SIGTERM", "PrivateMounts=yes", "Environment=CHANCERY_TRUSTED_PROXIES=127.0.0.1,::1",
		"RestrictNamespaces=user net mnt pid ipc\n", "SystemCallFilter=@mount capset\n",
	} {
		if !strings.Contains(string(unit), want) {
			t.Errorf("the unit lacks %q", strings.TrimSpace(want))
		}
	}
}
