package cli_test

import (
	"strings"
	"testing"
)

// TestWebhookAddHelpNamesWhatTheOfficeHears: an office endpoint's letter.dispatched and
// letter.received carry the recipient's name and the message's ID
// (registry.Registry.delivered, Acknowledge). Until the fifty-seventh session the help of
// `webhook add` said the office's endpoints heard "references and log indexes only", so an
// admin could register a system that must not learn to whom the office sends what.
func TestWebhookAddHelpNamesWhatTheOfficeHears(t *testing.T) {
	code, out, errOut := runCLI("webhook", "add", "--help")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	help := strings.Join(strings.Fields(out), " ")
	if strings.Contains(help, "log indexes only") {
		t.Errorf("the help says office endpoints hear references and log indexes only:\n%s", out)
	}
	for _, want := range []string{"recipient's name", "letter.dispatched", "letter.received"} {
		if !strings.Contains(help, want) {
			t.Errorf("the help does not say what an office endpoint hears (%q):\n%s", want, out)
		}
	}
}
