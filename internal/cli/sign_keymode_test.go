package cli_test

import (
	"os"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestSignWarnsOfAKeyFileOthersCanRead: 'chancery sign' used a key file that every account
// of the machine could read (mode 0644, as a copy made with the umask has) without a word,
// while a passphrase file of that mode is refused: whoever copies the key file tries
// passphrases offline. The signature is still made, with a warning.
func TestSignWarnsOfAKeyFileOthersCanRead(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Coordination", "foreign-government", "# Coordination\n\nSir.\n")
	key := samKeyFile(t, o)
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := o.run("sam", "sign", ref, "--key", key)
	if code != cli.ExitOK || !strings.Contains(errs, "chancery: warning: key file "+key+" can be read or changed by others (mode -rw-r--r--): chmod 600 it") {
		t.Fatalf("sign with a key file of mode 0644: exit %d\n%s", code, errs)
	}
	if err := os.Chmod(key, 0o600); err != nil {
		t.Fatal(err)
	}
	ref2 := o.letter("Another", "foreign-government", "# Another\n\nSir.\n")
	if code, _, errs := o.run("sam", "sign", ref2, "--key", key); code != cli.ExitOK || strings.Contains(errs, "warning") {
		t.Errorf("sign with a key file of mode 0600: exit %d\n%s", code, errs)
	}
}
