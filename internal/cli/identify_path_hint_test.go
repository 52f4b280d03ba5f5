package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestIdentifyUnreadablePathHint: a FILE, or a --text file, that cannot be read (a path
// mistyped, a folder) was refused with a "chancery: error:" line alone, where 'chancery verify'
// gives a hint for the same mistake. Each now comes with a hint, exit status 2, and nothing
// is asked of the registry.
func TestIdentifyUnreadablePathHint(t *testing.T) {
	t.Setenv("CHANCERY_URL", "http://127.0.0.1:1")
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.pdf")
	for _, args := range [][]string{
		{"identify", missing},
		{"identify", dir},
		{"identify", "--text", missing},
		{"identify", "--json", missing},
	} {
		code, out, errs := run(args...)
		if code != 2 || out != "" || !strings.Contains(errs, "hint") || strings.Contains(errs, "unreachable") {
			t.Errorf("%q: status %d, stdout %q, stderr %q; want status 2 and a hint", args, code, out, errs)
		}
	}
}
