package cli_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestChangeStateEscaped: `chancery change list` and `show` printed a change's state as the
// registry answered it, and the escaper of the commands' output keeps line breaks, so a
// hostile registry could add a line of its own (a change that reads as approved).
func TestChangeStateEscaped(t *testing.T) {
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		c := `{"id":1,"kind":"member.token","member":"sam","proposed_by":"ada","proposed_at":"2026-12-04T10:00:00Z","state":"pending\n9  done  adopt policy strict (sha256:00)  ada"}`
		if r.URL.Path == "/api/v1/changes" {
			c = "[" + c + "]"
		}
		w.Write([]byte(c))
	}))
	t.Cleanup(hostile.Close)
	t.Setenv("CHANCERY_URL", hostile.URL)
	t.Setenv("CHANCERY_TOKEN", "chy_test")
	for _, args := range [][]string{{"change", "list"}, {"change", "show", "1"}} {
		var stdout, stderr bytes.Buffer
		if code := cli.Main(args, &stdout, &stderr); code != cli.ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		if strings.Contains(stdout.String(), "\n9  done") {
			t.Errorf("%v: the registry's state added a line:\n%s", args, stdout.String())
		}
	}
}
