package nonet

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestProbeGetsNoEnvironment: Available starts true(1), found on the PATH, to learn whether
// namespaces work. It started it with the server's whole environment, which holds its
// secrets (CHANCERY_HSM_PIN, CHANCERY_DATABASE with its password, CHANCERY_SMTP_URL): the
// probe needs none of it.
func TestProbeGetsNoEnvironment(t *testing.T) {
	dir := t.TempDir()
	seen := filepath.Join(dir, "env")
	script := "#!/bin/sh\n/usr/bin/env > " + seen + "\n"
	if err := os.WriteFile(filepath.Join(dir, "true"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	t.Setenv("CHANCERY_HSM_PIN", "PINSECRET")
	probe, available = sync.Once{}, false
	t.Cleanup(func() { probe, available = sync.Once{}, false })
	Available()
	env, err := os.ReadFile(seen)
	if err != nil {
		t.Skipf("the probe did not run (namespaces refused here?): %v", err)
	}
	if strings.Contains(string(env), "PINSECRET") {
		t.Error("the probe was given the process's secrets in its environment")
	}
}
