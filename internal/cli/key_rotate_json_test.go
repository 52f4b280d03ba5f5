package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestSignerRotateJSONStderrIsTheErrorAlone: 'key rotate signer --json' run again after a
// run that wrote the new key (as its help says to) printed "NEW.key exists: rotating to it"
// on stderr before the JSON error object, where --json promises that object alone (found by
// review, fifty-seventh session, with the registry unreachable).
func TestSignerRotateJSONStderrIsTheErrorAlone(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CHANCERY_PASSPHRASE", "correct horse battery staple")
	t.Setenv("CHANCERY_URL", "http://127.0.0.1:1")
	t.Setenv("CHANCERY_TOKEN", "chy_test")
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("HOME", dir)
	old, next := filepath.Join(dir, "old.key"), filepath.Join(dir, "new.key")
	for _, k := range []string{old, next} {
		if code, out, errs := run("key", "new", "--out", k); code != 0 {
			t.Fatalf("key new %s: status %d\n%s%s", k, code, out, errs)
		}
	}
	code, out, errs := run("key", "rotate", "signer", "--from", old+".pub", "--out", next, "--json")
	var e struct {
		Error string `json:"error"`
	}
	dec := json.NewDecoder(strings.NewReader(errs))
	if code != 2 || dec.Decode(&e) != nil || !strings.Contains(e.Error, "unreachable") || dec.More() {
		t.Errorf("key rotate signer --json of an existing new key, registry unreachable: status %d\n%s%s\nwant the JSON error object alone on stderr", code, out, errs)
	}
}
