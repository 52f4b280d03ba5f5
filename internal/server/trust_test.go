package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/translog"
)

// TestTrustRootRevalidatedByCaches checks that /api/v1/trust may be kept by caches but is
// checked with the registry at every use: a trust root held for minutes after a witness was
// added or removed, or the office key rotated, would judge seals by a witness set or keys
// the office no longer has.
func TestTrustRootRevalidatedByCaches(t *testing.T) {
	ctx := context.Background()
	cfg := newRegistryConfig(t)
	srv := httptest.NewServer(New(cfg))
	t.Cleanup(srv.Close)
	get := func(etag string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/trust", nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	first := get("")
	if first.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/trust: %d", first.StatusCode)
	}
	cc := first.Header.Get("Cache-Control")
	if !strings.Contains(cc, "no-cache") || strings.Contains(cc, "max-age") {
		t.Errorf("Cache-Control %q: caches must revalidate the trust root at every use", cc)
	}
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag: caches could not revalidate cheaply")
	}
	if again := get(etag); again.StatusCode != http.StatusNotModified {
		t.Errorf("GET with the current ETag: %d, want 304", again.StatusCode)
	}

	tok, err := cfg.Registry.Bootstrap(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	admin, err := cfg.Registry.Authenticate(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	signerTok, err := cfg.Registry.AddMember(ctx, registry.Actor{Member: admin}, "signer", []string{"signer"})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := cfg.Registry.Authenticate(ctx, signerTok)
	if err != nil {
		t.Fatal(err)
	}
	// A rotation takes effect from its log entry: the log must hold one before it.
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	if _, _, err := cfg.Registry.RegisterKey(ctx, registry.Actor{Member: signer}, pub); err != nil {
		t.Fatal(err)
	}
	_, next, _ := ed25519.GenerateKey(rand.Reader)
	if _, err := cfg.Registry.RotateOfficeKey(ctx, registry.Actor{Member: admin}, next, "office.key", "office-next.key", "test"); err != nil {
		t.Fatal(err)
	}
	// As the office does whenever its log grows (item 140 of docs/security.md).
	if err := cfg.Registry.LoadOfficeKeys(ctx); err != nil {
		t.Fatal(err)
	}
	changed := get(etag)
	if changed.StatusCode != http.StatusOK {
		t.Fatalf("GET with the old ETag after the office key was rotated: %d, want 200 with the new trust root", changed.StatusCode)
	}
	if changed.Header.Get("ETag") == etag {
		t.Error("the trust root changed but its ETag did not")
	}
}

// TestCatchingUpIsRetried: a server asked about an entry another server of the office logged
// and it has not read yet answers 503 with a short Retry-After, not 500.
func TestCatchingUpIsRetried(t *testing.T) {
	s := New(newRegistryConfig(t))
	w := httptest.NewRecorder()
	err := fmt.Errorf("verify: %w: %w", registry.ErrCatchingUp, translog.ErrOutOfRange)
	s.fail(w, httptest.NewRequest("GET", "/api/v1/verify", nil), err)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "1" {
		t.Errorf("answered %d, Retry-After %q; want 503 and 1", w.Code, w.Header().Get("Retry-After"))
	}
}
