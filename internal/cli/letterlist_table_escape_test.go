package cli

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLetterListTableEscaped: `letter list` printed each letter's reference and state as the
// registry answered them, through the escaper only, which keeps line breaks and tabs: a hostile
// registry could add a row of its own (item 240's class).
func TestLetterListTableEscaped(t *testing.T) {
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"letters":[{"reference":"TFN-2026-000008\nTFN-2026-000099  released","state":"draft\nTFN-2026-000098  released","class":"internal",` +
			`"subject":"Note","addressees":[],"tags":[],"created_at":"2026-12-07T10:00:00Z","updated_at":"2026-12-07T10:00:00Z","released_at":null,"log_index":null}],` +
			`"truncated":false}`))
	}))
	t.Cleanup(hostile.Close)
	t.Setenv("CHANCERY_URL", hostile.URL)
	t.Setenv("CHANCERY_TOKEN", "chy_test")
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"letter", "list"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("letter list: exit %d\n%s", code, stderr.String())
	}
	if lines := strings.Split(strings.TrimSpace(stdout.String()), "\n"); len(lines) != 2 {
		t.Errorf("the registry's reference and state added rows:\n%s", stdout.String())
	}
}
