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

// cosignedOffice is a server whose registry seals against its witness quorum's checkpoints,
// waiting 200 ms for them, with an admin (root), a drafter (dana), a reviewer (rita), a
// release officer (otto) and the signers named, each with a key registered.
type cosignedOffice struct {
	reg    *registry.Registry
	srv    *httptest.Server
	actors map[string]registry.Actor
	tokens map[string]string
	keys   map[string]ed25519.PrivateKey
	keyIDs map[string]string
}

func newCosignedOffice(t *testing.T, signers ...string) *cosignedOffice {
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
	o := &cosignedOffice{reg: cfg.Registry, srv: httptest.NewServer(New(cfg)), actors: map[string]registry.Actor{},
		tokens: map[string]string{}, keys: map[string]ed25519.PrivateKey{}, keyIDs: map[string]string{}}
	t.Cleanup(o.srv.Close)
	add := func(name, tok string) {
		m, err := o.reg.Authenticate(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		o.actors[name], o.tokens[name] = registry.Actor{Member: m}, tok
	}
	tok, err := o.reg.Bootstrap(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	add("root", tok)
	roles := map[string]string{"dana": registry.RoleDrafter, "rita": registry.RoleReviewer, "otto": registry.RoleRelease}
	for _, s := range signers {
		roles[s] = registry.RoleSigner
	}
	for name, role := range roles {
		tok, err := o.reg.AddMember(ctx, o.actors["root"], name, []string{role})
		if err != nil {
			t.Fatal(err)
		}
		add(name, tok)
	}
	for _, s := range signers {
		_, key, _ := ed25519.GenerateKey(rand.Reader)
		keyID, _, err := o.reg.RegisterKey(ctx, o.actors[s], key.Public().(ed25519.PublicKey))
		if err != nil {
			t.Fatal(err)
		}
		o.keys[s], o.keyIDs[s] = key, keyID
	}
	return o
}

// witnessDown adds a witness that does not answer, with a quorum of one: nothing logged from
// then on is cosigned. It returns the witness's address.
func (o *cosignedOffice) witnessDown(t *testing.T) string {
	ctx := context.Background()
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
	if err := o.reg.AddWitness(ctx, o.actors["root"], "down", "http://"+addr, wk.VerifierKey()); err != nil {
		t.Fatal(err)
	}
	if err := o.reg.SetWitnessQuorum(ctx, o.actors["root"], 1); err != nil {
		t.Fatal(err)
	}
	return addr
}

// release takes a text letter through rita's approval, signer's signature and otto's release.
func (o *cosignedOffice) release(t *testing.T, signer, subject, text string) *registry.Released {
	ctx := context.Background()
	ref, err := o.reg.CreateLetter(ctx, o.actors["dana"], registry.NewLetter{Subject: subject, Class: "foreign-government",
		Addressees: []string{"Ministry of Defence"}, File: registry.Upload{Name: "letter.txt", MediaType: "text/plain", Data: []byte(text)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.reg.Approve(ctx, o.actors["rita"], ref, "", "ok"); err != nil {
		t.Fatal(err)
	}
	st, err := o.reg.SigningStatement(ctx, o.actors[signer], ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.reg.Sign(ctx, o.actors[signer], ref, o.keyIDs[signer], st, ed25519.Sign(o.keys[signer], dsse.PAE(seal.SigningPayloadType, st))); err != nil {
		t.Fatal(err)
	}
	rel, err := o.reg.Release(ctx, o.actors["otto"], ref)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// do makes a request of the server, with token if not empty, and returns its status and body.
func (o *cosignedOffice) do(t *testing.T, method, path, token, ctype string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, o.srv.URL+path, bytes.NewReader(body))
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

// TestNotCosignedSaysNoMoreThanTheReference: while the witnesses have not cosigned a letter's
// release (a witness down), the public asking by reference, or with a text close to the
// letter, is told what a reference alone tells, at once, as for any released letter: not that
// its proof waits (which marks the letter as just released, or signed by a key whose
// revocation waits), not the release's log index, which ties the reference to its public log
// entry (its release time and signer keys), and not the witnesses' state. A member with a role
// is told which entry waits.
func TestNotCosignedSaysNoMoreThanTheReference(t *testing.T) {
	o := newCosignedOffice(t, "sam")
	addr := o.witnessDown(t)
	words := strings.Fields("Dear Minister, the office confirms that the joint exercise planned for the spring will take place " +
		"in the northern district, with two companies and their support, from the first to the twelfth of April, " +
		"and asks that the border posts be told of the movements of vehicles along the coastal road during those days.")
	rel := o.release(t, "sam", "Joint exercise", strings.Join(words, " "))
	if rel.Seal != nil || rel.SealPending == "" {
		t.Fatalf("release with the witness down: seal %v, pending %q", rel.Seal != nil, rel.SealPending)
	}
	ref, index := rel.Reference, fmt.Sprintf("log entry %d", rel.LogIndex)
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
		status, body := o.do(t, c.method, c.path, "", c.ctype, c.body)
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
	if status, body := o.do(t, "GET", "/api/v1/letters/"+ref+"/status", o.tokens["otto"], "", nil); status != http.StatusServiceUnavailable || !bytes.Contains(body, []byte(index)) {
		t.Errorf("status for a member: %d %s, want 503 naming %s", status, body, index)
	}
}
