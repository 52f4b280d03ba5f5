package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
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

// TestPendingRevocationTellsThePublicNothing: a signer key's revocation that waits for the
// witness quorum (a witness down) changes nothing of what the public is told by reference,
// which is read from the stored state: the letters that key signed answer at once, as every
// other letter does. (They answered 503, and only they, until the revocation was cosigned,
// telling anyone who asked by reference which letters the revoked key signed.) The holder's
// answer, which proves the revocation, still waits for it.
func TestPendingRevocationTellsThePublicNothing(t *testing.T) {
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
		{"sam", registry.RoleSigner}, {"sue", registry.RoleSigner}, {"otto", registry.RoleRelease}} {
		tok, err := reg.AddMember(ctx, actors["root"], m.name, []string{m.role})
		if err != nil {
			t.Fatal(err)
		}
		add(m.name, tok)
	}
	keys, keyIDs := map[string]ed25519.PrivateKey{}, map[string]string{}
	for _, n := range []string{"sam", "sue"} {
		_, key, _ := ed25519.GenerateKey(rand.Reader)
		keyID, _, err := reg.RegisterKey(ctx, actors[n], key.Public().(ed25519.PublicKey))
		if err != nil {
			t.Fatal(err)
		}
		keys[n], keyIDs[n] = key, keyID
	}

	release := func(signer, subject string) string {
		words := strings.Fields("Dear Minister, the office confirms that the joint exercise planned for the spring will take place " +
			"in the northern district, with two companies and their support, from the first to the twelfth of April, about " + subject)
		ref, err := reg.CreateLetter(ctx, actors["dana"], registry.NewLetter{Subject: subject, Class: "foreign-government",
			Addressees: []string{"Ministry of Defence"}, File: registry.Upload{Name: "letter.txt", MediaType: "text/plain",
				Data: []byte(strings.Join(words, " "))}})
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Approve(ctx, actors["rita"], ref, "", "ok"); err != nil {
			t.Fatal(err)
		}
		st, err := reg.SigningStatement(ctx, actors[signer], ref)
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Sign(ctx, actors[signer], ref, keyIDs[signer], st, ed25519.Sign(keys[signer], dsse.PAE(seal.SigningPayloadType, st))); err != nil {
			t.Fatal(err)
		}
		if _, err := reg.Release(ctx, actors["otto"], ref); err != nil {
			t.Fatal(err)
		}
		return ref
	}
	refSam, refSue := release("sam", "alpha"), release("sue", "bravo")
	do := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// A witness is added, and is down (or slow): then sam's key is revoked.
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
	if _, err := reg.RevokeKey(ctx, actors["sam"], keyIDs["sam"], "laptop lost"); err != nil {
		t.Fatal(err)
	}
	answers := map[string]string{}
	for _, ref := range []string{refSam, refSue} {
		// A wait for the witnesses, who are down, would end in 503.
		s, b := do("/api/v1/letters/" + ref + "/status")
		if s != http.StatusOK {
			t.Errorf("%s, by reference, after a revocation of a key that signed it, waiting for the witnesses: %d %s", ref, s, b)
		}
		answers[ref] = strings.ReplaceAll(b, ref, "REF")
		if s, b := do("/v/" + ref); s != http.StatusOK {
			t.Errorf("%s, its web page by reference: %d %.200s", ref, s, b)
		}
	}
	if answers[refSam] != answers[refSue] {
		t.Errorf("the public answers differ:\n%s\n%s", answers[refSam], answers[refSue])
	}
	// The holder of sam's letter is shown the revocation, once cosigned: meanwhile it waits.
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/letters/"+refSam+"/status", nil)
	req.Header.Set("Authorization", "Bearer "+tokens["otto"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a member's answer for sam's letter while the revocation waits: %d, want 503", resp.StatusCode)
	}
}
