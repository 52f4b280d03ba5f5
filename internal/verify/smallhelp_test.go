package verify

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// TestSmallVerifierHelpIsOfflineOnly: chancery-verify refuses to ask a registry, yet its help
// was verify's, which begins "Online (the default), the registry is then asked…" and tells
// what happens online beside a seal of another log (the sixty-first session's list; the lead's
// decision, sixty-second session). Its own help speaks of no online use, names its flags, its
// exit statuses and what it does with folders; 'chancery verify --help' keeps its own.
func TestSmallVerifierHelpIsOfflineOnly(t *testing.T) {
	var out bytes.Buffer
	if code := Main([]string{"--help"}, &out, &out); code != ExitOK {
		t.Fatalf("--help: exit status %d: %s", code, out.String())
	}
	help := out.String()
	// "--offline" and "offline" are what it is; "online" in any other word is not.
	if m := regexp.MustCompile(`(?i)\bonline\b|the default\)|registry is (then )?asked`).FindString(help); m != "" {
		t.Errorf("chancery-verify --help speaks of online use (%q):\n%s", m, help)
	}
	for _, want := range []string{"--offline", "--seal", "--trust", "--json", "CHANCERY_TRUST", "Exit status: 0", "2 verification could not be done",
		"Folders are walked", "seals_without_letter", "Usage:\n  chancery-verify --offline FILE|DIR...",
		// It reads no kept checkpoint, which 'chancery verify --offline' does (item 837): the
		// two are not the same checks there (found by review of a910ff4, sixty-second session).
		"except one: 'chancery\nverify --offline' also reads the log checkpoint 'chancery verify' keeps", "chancery-verify neither keeps\nnor reads one"} {
		if !strings.Contains(help, want) {
			t.Errorf("chancery-verify --help does not say %q:\n%s", want, help)
		}
	}
	// verify's own help is unchanged: it still tells what it asks the registry.
	out.Reset()
	c := Command("verify", nil)
	c.SetOut(&out)
	c.SetArgs([]string{"--help"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Online (the default), the registry is") {
		t.Errorf("verify --help lost its online part:\n%s", out.String())
	}
}
