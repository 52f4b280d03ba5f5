package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestKeyListShowsTheSignersOwnKeys: a signer could not see which keys were registered in
// their name (no command, no route; only an admin's 'member show'), so one whose laptop was
// stolen with the key files and the note of the key ID had no ID to give 'key revoke', nor a
// way to notice a key that whoever held their token registered. 'chancery key list' shows
// them, revoked ones included.
func TestKeyListShowsTheSignersOwnKeys(t *testing.T) {
	o := newOffice(t)
	code, out, errs := o.run("sam", "key", "list")
	if code != cli.ExitOK || !strings.HasPrefix(out, o.keyID+"  added (log entry ") || !strings.Contains(out, "in force") {
		t.Fatalf("key list: exit %d, stdout %q\n%s", code, out, errs)
	}
	if code, _, errs := o.run("sam", "key", "revoke", o.keyID[:12], "--reason", "laptop stolen"); code != cli.ExitOK {
		t.Fatalf("key revoke: exit %d\n%s", code, errs)
	}
	code, out, errs = o.run("sam", "key", "list", "--json")
	var keys []struct {
		KeyID   string `json:"keyid"`
		Revoked *int64 `json:"revoked_index"`
	}
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &keys) != nil || len(keys) != 1 || keys[0].KeyID != o.keyID || keys[0].Revoked == nil {
		t.Fatalf("key list --json after the revocation: exit %d, stdout %q\n%s", code, out, errs)
	}
	// Another member's keys are not theirs to list: dana has none.
	if code, out, errs := o.run("dana", "key", "list"); code != cli.ExitOK || out != "no signer key is registered in your name\n" {
		t.Errorf("key list by dana: exit %d, stdout %q\n%s", code, out, errs)
	}
}
