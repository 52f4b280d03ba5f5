package client

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
)

// TestRegisterKeyChecksTheKeyID: the key ID a registry answers with is the one the key hashes
// to, or the registration is an error, so that the signer is never told to revoke or sign
// under another key's ID.
func TestRegisterKeyChecksTheKeyID(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	answer := dsse.KeyID(pub)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"keyid": answer, "log_index": 7})
	}))
	defer srv.Close()
	c, err := New(srv.URL, "chy_token")
	if err != nil {
		t.Fatal(err)
	}
	id, idx, err := c.RegisterKey(context.Background(), pub)
	if err != nil || id != answer || idx != 7 {
		t.Fatalf("RegisterKey = %q, %d, %v; want %q, 7", id, idx, err, answer)
	}
	answer = dsse.KeyID(other)
	if id, _, err := c.RegisterKey(context.Background(), pub); err == nil || !strings.Contains(err.Error(), dsse.KeyID(pub)) {
		t.Fatalf("RegisterKey with another key's ID in the answer = %q, %v; want an error naming the key's own ID", id, err)
	}
}

// TestRotateKeyChecksTheKeyID: RotateKey, as RegisterKey, refuses an answer naming a key ID
// the new key does not hash to.
func TestRotateKeyChecksTheKeyID(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	answer := dsse.KeyID(pub)
	var path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		json.NewEncoder(w).Encode(map[string]any{"keyid": answer, "log_index": 7, "revoked_keyid": "old", "revoked_index": 8})
	}))
	defer srv.Close()
	c, err := New(srv.URL, "chy_token")
	if err != nil {
		t.Fatal(err)
	}
	id, added, revoked, err := c.RotateKey(context.Background(), "old", pub)
	if err != nil || id != answer || added != 7 || revoked != 8 || path != "/api/v1/keys/old/rotate" {
		t.Fatalf("RotateKey = %q, %d, %d, %v (path %s); want %q, 7, 8", id, added, revoked, err, path, answer)
	}
	answer = dsse.KeyID(other)
	if id, _, _, err := c.RotateKey(context.Background(), "old", pub); err == nil || !strings.Contains(err.Error(), dsse.KeyID(pub)) {
		t.Fatalf("RotateKey with another key's ID in the answer = %q, %v; want an error naming the key's own ID", id, err)
	}
}

// TestAnswersNobodyReadsFreeTheirConnection: a call whose answer the client does not decode
// (an approval, a signature, an erasure) still reads and closes it, so that one client making
// many calls keeps using one connection; left open, each call held a connection on both sides
// until the server's idle timeout, and a benchmark of 10,000 letters ran out of descriptors.
func TestAnswersNobodyReadsFreeTheirConnection(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"ok":true}` + "\n"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := New(srv.URL, "chy_token")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for range 20 {
		if err := c.Approve(ctx, "OFF-1", "", "", false); err != nil {
			t.Fatal(err)
		}
		if err := c.Sign(ctx, "OFF-1", "k", []byte("statement"), []byte("sig")); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n > 1 {
		t.Errorf("40 calls in turn opened %d connections, want 1", n)
	}
}
