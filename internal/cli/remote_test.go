package cli

import (
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/keys"
	"github.com/spf13/cobra"
)

// A wrong passphrase is said in plain words, with a hint, and the right one loads the key.
func TestLoadKeyPassphrase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sam.key")
	k, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if err := keys.WriteNew(path, k, "the right passphrase", keys.WorkFactor(10)); err != nil {
		t.Fatal(err)
	}
	c := &cobra.Command{}
	c.SetErr(io.Discard)

	t.Setenv(keys.PassphraseEnv, "a wrong passphrase")
	_, err = loadKey(c, path)
	var h *hinted
	if !errors.As(err, &h) || err.Error() != "the passphrase does not open "+path || !strings.Contains(h.hint, "chancery key new") {
		t.Fatalf("wrong passphrase: %v (%#v)", err, h)
	}

	t.Setenv(keys.PassphraseEnv, "the right passphrase")
	got, err := loadKey(c, path)
	if err != nil || !got.Equal(k) {
		t.Fatalf("right passphrase: %v", err)
	}
}
