package cli_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/registry"
)

// TestInitKilledBeforeItsTokenIsKeptIssuesANewOne: an init SIGKILLed after it printed the
// admin's token, before the operator could keep it, left a finished office whose only admin
// nobody could act for, and no local way to issue them a token. The same init run again
// gives the admin a new token; the one printed before stops working; then init refuses as
// for any finished office.
func TestInitKilledBeforeItsTokenIsKeptIssuesANewOne(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	dir := filepath.Join(t.TempDir(), "office")
	args := []string{"init", "--data", dir, "--office", "Crash Office", "--prefix", "CRA", "--url", "https://crash.example", "--no-pdf-ca"}
	lost := strings.TrimSpace(killedAt(t, "init", "printed", args...))
	if !strings.HasPrefix(lost, "chy_") {
		t.Fatalf("the killed init printed %q, not a token", lost)
	}

	code, out, errs := run(args...)
	if code != 0 {
		t.Fatalf("init again after the token was lost: status %d\n%s", code, errs)
	}
	tok := strings.TrimSpace(out)
	code, _, errs = run(args...)
	if code == 0 || !strings.Contains(errs, "already initialized") {
		t.Fatalf("init of the finished office: status %d\n%s", code, errs)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	st, err := officepkg.Open(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if m, err := st.Registry.Authenticate(context.Background(), tok); err != nil || m.Name != "admin" {
		t.Fatalf("the new token: %v, %v; want the admin", m, err)
	}
	if _, err := st.Registry.Authenticate(context.Background(), lost); !errors.Is(err, registry.ErrUnauthenticated) {
		t.Fatalf("the token of the killed init: %v, want it refused", err)
	}
}
