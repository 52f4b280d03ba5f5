package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestWebhookRekeyOverlapFlag: 'webhook rekey' keeps the previous secret signing for 24 hours
// by default and says until when; --overlap 0 replaces it at once; an overlap out of range is
// refused with a hint; 'webhook list --json' shows the window.
func TestWebhookRekeyOverlapFlag(t *testing.T) {
	o := newOffice(t)
	t.Setenv("CHANCERY_URL", o.url)
	t.Setenv("CHANCERY_TOKEN", o.tokens["root"])
	if code, out, errs := runCLI("webhook", "add", "records", "--url", "https://records.example.org/hooks"); code != cli.ExitOK {
		t.Fatalf("webhook add: exit %d, %s%s", code, out, errs)
	}
	code, out, errs := runCLI("webhook", "rekey", "records")
	if code != cli.ExitOK || !strings.Contains(out, "new signing secret, shown once: whsec_") || !strings.Contains(out, "the previous secret also signs its deliveries until ") {
		t.Errorf("webhook rekey: exit %d, stdout %q, stderr %s", code, out, errs)
	}
	code, out, _ = runCLI("webhook", "list", "--json")
	var ws []map[string]any
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &ws) != nil || len(ws) != 1 || ws[0]["previous_secret_until"] == nil {
		t.Errorf("webhook list --json after a rekey: %s, want previous_secret_until", out)
	}
	code, out, errs = runCLI("webhook", "rekey", "records", "--overlap", "0")
	if code != cli.ExitOK || !strings.Contains(out, "new signing secret") || strings.Contains(out, "previous secret") {
		t.Errorf("webhook rekey --overlap 0: exit %d, stdout %q, stderr %s", code, out, errs)
	}
	code, out, _ = runCLI("webhook", "list", "--json")
	if ws = nil; code != cli.ExitOK || json.Unmarshal([]byte(out), &ws) != nil || len(ws) != 1 || ws[0]["previous_secret_until"] != nil {
		t.Errorf("webhook list --json after a rekey without overlap: %s, want no previous_secret_until", out)
	}
	for _, bad := range []string{"-1h", "721h"} {
		code, out, errs = runCLI("webhook", "rekey", "records", "--overlap", bad)
		if code != cli.ExitError || out != "" || !strings.Contains(errs, "chancery: error: --overlap") || !strings.Contains(errs, "chancery: hint: ") {
			t.Errorf("webhook rekey --overlap %s: exit %d, stdout %q, stderr %s", bad, code, out, errs)
		}
	}
}
