package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestPlainHTTPWebhookIsWarned: an endpoint given a plain http:// URL to another machine is
// posted the references, recipients' names and withdrawals' reasons in clear; it was added
// without a word (fifty-seventh session's list). It is still accepted, as offices have such
// endpoints, with a warning on stderr, and 'webhook list' marks it (text and --json).
func TestPlainHTTPWebhookIsWarned(t *testing.T) {
	o := newOffice(t)
	t.Setenv("CHANCERY_URL", o.url)
	t.Setenv("CHANCERY_TOKEN", o.tokens["root"])
	const warning = "chancery: warning: "
	for _, tc := range []struct {
		args []string
		warn string
	}{
		{[]string{"webhook", "add", "records", "--url", "http://records.example.org/hooks"}, "webhook records is posted to over plain http://"},
		{[]string{"webhook", "add", "archive", "--url", "https://archive.example.org/hooks"}, ""},
		{[]string{"recipient", "add", "ministry", "--email", "registry@ministry.example", "--webhook", "http://hooks.ministry.example/in"}, "recipient ministry is posted to over plain http://"},
		{[]string{"recipient", "add", "liaison", "--email", "cell@liaison.example", "--webhook", "http://hooks.liaison.example/in", "--json"}, "recipient liaison is posted to over plain http://"},
		{[]string{"recipient", "add", "embassy", "--email", "desk@embassy.example", "--webhook", "https://hooks.embassy.example/in"}, ""},
	} {
		code, out, errs := runCLI(tc.args...)
		if code != cli.ExitOK || !strings.Contains(out, "secret") {
			t.Fatalf("%v: exit %d, stdout %q, stderr\n%s", tc.args, code, out, errs)
		}
		if tc.warn == "" && strings.Contains(errs, warning) || tc.warn != "" && !strings.Contains(errs, warning+tc.warn) {
			t.Errorf("%v: stderr %q, want the warning %q", tc.args, errs, tc.warn)
		}
	}
	code, out, errs := runCLI("webhook", "list")
	if code != cli.ExitOK {
		t.Fatalf("webhook list: exit %d\n%s", code, errs)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		plain := strings.Contains(line, "http://")
		if marked := strings.Contains(line, "(plain http: not encrypted)"); marked != plain {
			t.Errorf("webhook list: %q marked %v, want %v", line, marked, plain)
		}
	}
	// The directory marks them too.
	code, out, errs = runCLI("recipient", "list")
	if code != cli.ExitOK {
		t.Fatalf("recipient list: exit %d\n%s", code, errs)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		plain := strings.Contains(line, "http://")
		if marked := strings.Contains(line, "(plain http: not encrypted)"); marked != plain {
			t.Errorf("recipient list: %q marked %v, want %v", line, marked, plain)
		}
	}
	code, out, errs = runCLI("webhook", "list", "--json")
	var ws []map[string]any
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &ws) != nil || len(ws) != 5 {
		t.Fatalf("webhook list --json: exit %d, %s\n%s", code, out, errs)
	}
	for _, w := range ws {
		if plain, ok := w["plain_http"].(bool); !ok || plain != strings.HasPrefix(w["url"].(string), "http://") {
			t.Errorf("webhook list --json: %v", w)
		}
	}
}
