package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// TestAPIReleaseVersion: a release may name the version the release officer read
// ({"version": digest}); another latest version is a 409 and nothing is released. Without a
// body, or without a version, the latest version is released, as before the field existed.
func TestAPIReleaseVersion(t *testing.T) {
	ctx := context.Background()
	e := newAPIEnv(t, 1<<20)
	reg := e.srv.Config.Handler.(*Server).cfg.Registry
	actor := func(who string) registry.Actor {
		m, err := reg.Authenticate(ctx, e.tokens[who])
		if err != nil {
			t.Fatal(err)
		}
		return registry.Actor{Member: m}
	}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	keyID, _, err := reg.RegisterKey(ctx, actor("signer"), key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	// ready creates a letter in versions, approved and signed, and returns its reference and
	// its versions' digests.
	ready := func(versions ...string) (string, []string) {
		ref, err := reg.CreateLetter(ctx, actor("drafter"), registry.NewLetter{Subject: "Release", Class: "internal",
			Addressees: []string{"Registry"}, File: registry.Upload{Name: "l.txt", Data: []byte(versions[0])}})
		if err != nil {
			t.Fatal(err)
		}
		digests := []string{string(seal.DigestOf([]byte(versions[0])))}
		for _, v := range versions[1:] {
			if _, err := reg.Revise(ctx, actor("drafter"), ref, registry.Upload{Name: "l.txt", Data: []byte(v)}); err != nil {
				t.Fatal(err)
			}
			digests = append(digests, string(seal.DigestOf([]byte(v))))
		}
		if err := reg.Approve(ctx, actor("reviewer"), ref, "", ""); err != nil {
			t.Fatal(err)
		}
		st, err := reg.SigningStatement(ctx, actor("signer"), ref)
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Sign(ctx, actor("signer"), ref, keyID, st, ed25519.Sign(key, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
			t.Fatal(err)
		}
		return ref, digests
	}
	release := func(ref string) string { return "/api/v1/letters/" + ref + "/release" }
	body := func(s string) *strings.Reader { return strings.NewReader(s) }

	ref, digests := ready("Sir, version one.", "Sir, version two.")
	var refusal struct{ Error string }
	e.do(t, "release", "POST", release(ref), "application/json", body(`{"version":"`+digests[0]+`"}`), http.StatusConflict, &refusal)
	if !strings.Contains(refusal.Error, "not the latest version") {
		t.Errorf("stale version: %q", refusal.Error)
	}
	e.do(t, "release", "POST", release(ref), "application/json", body(`{"version":"sha256:nope"}`), http.StatusBadRequest, nil)
	e.do(t, "release", "POST", release(ref), "application/json", body(`{"versoin":"`+digests[1]+`"}`), http.StatusBadRequest, nil)
	var rel struct {
		LogIndex int64 `json:"log_index"`
	}
	e.do(t, "release", "POST", release(ref), "application/json", body(`{"version":"`+digests[1]+`"}`), http.StatusCreated, &rel)

	// Without a version: the latest, with an empty object or no body at all.
	ref, _ = ready("Madam, one.", "Madam, two.")
	e.do(t, "release", "POST", release(ref), "application/json", body(`{}`), http.StatusCreated, nil)
	ref, _ = ready("Dear all.")
	e.do(t, "release", "POST", release(ref), "", nil, http.StatusCreated, nil)
}
