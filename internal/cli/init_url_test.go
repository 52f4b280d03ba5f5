package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInitRefusesBaseURLsLettersCannotCarry: with --origin, init took any --url unchecked
// (javascript:alert(1) was served as the office's base URL), and with or without it, one
// holding a password, a query or a fragment: every released letter's QR code and links,
// which are never reissued, would show the password, or put the registry's paths inside the
// query or fragment. Each is refused, with a hint, and nothing is created.
func TestInitRefusesBaseURLsLettersCannotCarry(t *testing.T) {
	dir := t.TempDir()
	for i, c := range []struct{ url, want string }{
		{"javascript:alert(1)", "is not an http or https URL"},
		{"https://clerk:s3cret@letters.example.org", "holds a user name or password"},
		{"https://letters.example.org/registry?x=1", "has a query or a fragment"},
		{"https://letters.example.org/registry#top", "has a query or a fragment"},
		{"https://letters.example.org/registry?", "has a query or a fragment"},
	} {
		for _, origin := range []string{"", "letters.example.org/log"} {
			data := filepath.Join(dir, "office", string(rune('a'+i))+origin[:min(len(origin), 1)])
			args := []string{"init", "--data", data, "--office", "URL Office", "--prefix", "URL", "--no-pdf-ca", "--url", c.url}
			if origin != "" {
				args = append(args, "--origin", origin)
			}
			code, out, errs := run(args...)
			if code != 2 || out != "" || !strings.Contains(errs, c.want) || !strings.Contains(errs, "chancery: hint: pass --url") {
				t.Errorf("%s: status %d\n%s%s\nwant it refused (%s) with a hint", strings.Join(args, " "), code, out, errs, c.want)
			}
			if strings.Contains(errs, "s3cret") {
				t.Errorf("%s: the refusal shows the password:\n%s", strings.Join(args, " "), errs)
			}
			if _, err := os.Lstat(data); err == nil {
				t.Errorf("%s: refused, but %s was created", strings.Join(args, " "), data)
			}
		}
	}
}
