package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
)

// /readyz stays ready when the PDF signing certificate has expired (verification goes on),
// and says on a line of its own that releases are refused and how to renew it.
func TestReadyzWarnsOfAnExpiredPDFCertificate(t *testing.T) {
	now := time.Now()
	cfg := newRegistryConfig(t, func(c *registry.Config) {
		c.PDFSigner = officecatest.SignerValid(t, "Ready Office", now.AddDate(-3, 0, 0), now.Add(-time.Hour))
	})
	srv := httptest.NewServer(New(cfg))
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "ready\n") ||
		!strings.Contains(string(body), "\nwarning: ") || !strings.Contains(string(body), "expired on") || !strings.Contains(string(body), "pdf-signing.crt") {
		t.Errorf("/readyz with an expired PDF certificate: %d %q", resp.StatusCode, body)
	}
}

// /readyz stays ready when the policy in force no longer compiles with this build (reads and
// the adoption of a corrected policy go on), and says on a line of its own that the gate is
// closed, without quoting the policy: /readyz answers anyone, and a reason quotes the file,
// whose groups name staff (the server's log gives it). Before, such an office did not start.
func TestReadyzWarnsOfAClosedGate(t *testing.T) {
	ctx := context.Background()
	cfg := newRegistryConfig(t)
	reg := cfg.Registry
	admin, err := reg.Bootstrap(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	a, err := reg.Authenticate(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	// A policy a stricter build refuses (item 291: a `matches` whose pattern is not a
	// string constant), as this build's restart reads it.
	src := []byte("version: 1\nname: stale\nrules:\n  - name: d\n    default: true\n    require:\n      signatures: [{role: signer}]\n")
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.AdoptPolicy(ctx, registry.Actor{Member: a}, p, src); err != nil {
		t.Fatal(err)
	}
	stricter := func([]byte) (*policy.Policy, error) {
		return nil, errors.New("1:1: the pattern of matches must be a string constant: letter.class.matches(letter.subject) names a signer")
	}
	if err := reg.LoadPolicy(ctx, stricter); err != nil {
		t.Fatalf("load policy: %v", err)
	}
	srv := httptest.NewServer(New(cfg))
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "ready\n") ||
		!strings.Contains(string(body), "\nwarning: the policy in force does not compile") || !strings.Contains(string(body), "the server's log says why") {
		t.Errorf("/readyz with a closed gate: %d %q", resp.StatusCode, body)
	}
	// /readyz answers anyone: nothing of the policy itself, whose groups name staff.
	for _, secret := range []string{"stale", "matches", "letter.subject", "signer"} {
		if strings.Contains(string(body), secret) {
			t.Errorf("/readyz with a closed gate quotes the policy (%q): %q", secret, body)
		}
	}
}
