package cli_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestCompletionOfPolicyNamesIsPlain: roles and classes are completed from the policy the
// registry has in force; a class or role with a shell character or an escape sequence, from
// a registry or whoever answers in its place, is left out as references and names are.
func TestCompletionOfPolicyNamesIsPlain(t *testing.T) {
	const source = "version: 1\nname: p\nclasses: [treaty, \"a;reboot\", \"b$(touch)\", \"d'x\"]\nrules:\n" +
		"  - name: d\n    default: true\n    require:\n      approvals: [{role: \"legal;reboot\", count: 1}, {role: counsel, count: 1}]\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/policy" {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"name": "p", "digest": "sha256:00", "source": source, "log_index": 0})
	}))
	defer srv.Close()
	t.Setenv("CHANCERY_URL", srv.URL)
	t.Setenv("CHANCERY_TOKEN", "chy_token")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "letter", "new", "--class", ""}, "treaty"},
		{[]string{"__complete", "member", "add", "nora", "--role", ""}, "counsel"},
	} {
		args := c.args
		var stdout, stderr bytes.Buffer
		cli.Main(args, &stdout, &stderr)
		out := stdout.String()
		if !strings.Contains(out, c.want+"\n") || strings.Contains(out, "reboot") || strings.Contains(out, "touch") || strings.ContainsAny(out, "\x1b;$'") {
			t.Errorf("%v: offered\n%q", args, out)
		}
	}
}
