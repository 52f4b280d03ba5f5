package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/witness"
)

// TestNotCosignedSaysNoMoreThanTheReference: while the witnesses have not cosigned a letter's
// release (a witness down), the public asking by reference, or with a text close to the
// letter, is told what a reference alone tells, at once, as for any released letter: not that
// its proof waits (which marks the letter as just released, or signed by a key whose
// revocation waits), not the release's log index, which ties the reference to its public log
// entry (its release time and signer keys), and not the witnesses' state. A member with a role
// is told which entry waits.
func TestNotCosignedSaysNoMoreThanTheReference(t *testing.T) {
	ctx := context.Background()
	stop := func() {}
	cfg := newRegistryConfig(t, func(rc *registry.Config) {
		heads, err := cosigned.Open(ctx, rc.DB, rc.Log)
		if err != nil {
			t.Fatal(err)
		}
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); heads.Run(runCtx, nil, nil) }()
		stop = func() { cancel(); <-done }
		rc.Heads, rc.SealWait = heads, 200*time.Millisecond
	})
	t.Cleanup(stop) // before the log and the database close
	cfg.BaseURL, cfg.Logger, cfg.RateLimit = "http://api.example", slog.New(slog.NewTextHandler(io.Discard, nil)), -1
	reg := cfg.Registry
	srv := httptest.NewServer(New(cfg))
	t.Cleanup(srv.Close)

	actors, tokens := map[string]registry.Actor{}, map[string]string{}
	add := func(name, tok string) {
		m, err := reg.Authenticate(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		actors[name], tokens[name] = registry.Actor{Member: m}, tok
	}
	tok, err := reg.Bootstrap(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	add("root", tok)
	for _, m := range []struct{ name, role string }{{"dana", registry.RoleDrafter}, {"rita", registry.RoleReviewer},
		{"sam", registry.RoleSigner}, {"otto", registry.RoleRelease}} {
		tok, err := reg.AddMember(ctx, actors["root"], m.name, []string{m.role})
		if err != nil {
			t.Fatal(err)
		}
		add(m.name, tok)
	}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	keyID, _, err := reg.RegisterKey(ctx, actors["sam"], key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}

	// The one witness is down: nothing logged from now on is cosigned.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	wk, err := witness.LoadKey(t.TempDir(), "witness.down.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.AddWitness(ctx, actors["root"], "down", "http://"+addr, wk.VerifierKey()); err != nil {
		t.Fatal(err)
	}
	if err := reg.SetWitnessQuorum(ctx, actors["root"], 1); err != nil {
		t.Fatal(err)
	}

	words := strings.Fields("Dear Minister, the office confirms that the joint exercise planned for the spring will take place " +
		"in the northern district, with two companies and their support, from the first to the twelfth of April, " +
		"and asks that the border posts be told of the movements of vehicles along the coastal road during those days.")
	ref, err := reg.CreateLetter(ctx, actors["dana"], registry.NewLetter{Subject: "Joint exercise", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence"}, File: registry.Upload{Name: "letter.txt", MediaType: "text/plain",
			Data: []byte(strings.Join(words, " "))}})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Approve(ctx, actors["rita"], ref, "", "ok"); err != nil {
		t.Fatal(err)
	}
	st, err := reg.SigningStatement(ctx, actors["sam"], ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Sign(ctx, actors["sam"], ref, keyID, st, ed25519.Sign(key, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
		t.Fatal(err)
	}
	rel, err := reg.Release(ctx, actors["otto"], ref)
	if err != nil {
		t.Fatal(err)
	}
	if rel.Seal != nil || rel.SealPending == "" {
		t.Fatalf("release with the witness down: seal %v, pending %q", rel.Seal != nil, rel.SealPending)
	}
	index := fmt.Sprintf("log entry %d", rel.LogIndex)

	do := func(method, path, token, ctype string, body []byte) (int, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	// A text close to the letter (one word changed) names it without making its asker a
	// holder.
	near := append([]string(nil), words...)
	near[len(near)/2] = "seventeen"
	identifyBody, _ := json.Marshal(map[string]string{"text": strings.Join(near, " ")})
	for _, c := range []struct {
		name, method, path, ctype string
		body                      []byte
	}{
		{"status by reference", "GET", "/api/v1/letters/" + ref + "/status", "", nil},
		{"identify a close text", "POST", "/api/v1/identify", "application/json", identifyBody},
	} {
		// A wait for the witnesses, who are down, would end in 503.
		status, body := do(c.method, c.path, "", c.ctype, c.body)
		if status != http.StatusOK {
			t.Fatalf("%s, anonymous: status %d, want 200 while the witnesses have not cosigned: %s", c.name, status, body)
		}
		if !bytes.Contains(body, []byte("a letter with this reference was released")) {
			t.Errorf("%s, anonymous: not the answer a reference alone gets: %s", c.name, body)
		}
		if bytes.Contains(body, []byte(index)) || bytes.Contains(body, []byte(addr)) || bytes.Contains(body, []byte("witness down")) {
			t.Errorf("%s, anonymous: the answer ties the reference to its log entry or tells the witnesses' state: %s", c.name, body)
		}
	}
	// A member with a role is told which entry waits.
	if status, body := do("GET", "/api/v1/letters/"+ref+"/status", tokens["otto"], "", nil); status != http.StatusServiceUnavailable || !bytes.Contains(body, []byte(index)) {
		t.Errorf("status for a member: %d %s, want 503 naming %s", status, body, index)
	}
}
