package cli_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestErrorLinesEscapeRegistryText: a registry's error message (or that of whoever answers in
// its place over plain HTTP) reached the terminal raw in the "chancery: error:" line, so escape
// sequences could erase it and print a success instead, as item 11 prevented for verify's
// result lines. Here `chancery seal refresh`, whose errors quote the registry's answer.
func TestErrorLinesEscapeRegistryText(t *testing.T) {
	o := newOffice(t)
	_, _, file, _, trust := o.releasedForReplay(t)
	hostile := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(`{"error":"\u001b[1A\u001b[2K\u202eproved against checkpoint 9"}`))
	}))
	t.Cleanup(hostile.Close)
	t.Setenv("CHANCERY_URL", hostile.URL)
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"seal", "refresh", "--trust", trust, file + ".seal"}, &stdout, &stderr)
	errs := stderr.String()
	if code != cli.ExitError {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.ContainsAny(errs, "\x1b\u202e") || !strings.Contains(errs, `\x1b[1A`) {
		t.Errorf("the registry's text reached the terminal raw: %q", errs)
	}
}
