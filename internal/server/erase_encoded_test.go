package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// TestEraseDropsEncodedAnswers: the verify endpoint keeps the JSON of the registry's shared
// public answers (a retracted letter's: its subject, signers and the signed reason). An erasure made them stale (the
// registry answers anew) but left them in the map, with what it erased, until it filled or
// the server restarted. An erasure now drops them.
func TestEraseDropsEncodedAnswers(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	const subject = "Repositioning of northern forces"
	ref, file := e.retracted(t, subject)
	s := e.srv.Config.Handler.(*Server)
	sum := sha256.Sum256(file)
	body := `{"digest":"sha256:` + hex.EncodeToString(sum[:]) + `"}`
	for range 4 {
		e.do(t, "", "POST", "/api/v1/verify", "application/json", strings.NewReader(body), http.StatusOK, nil)
	}
	kept := func() (n int) {
		s.encoded.mu.Lock()
		defer s.encoded.mu.Unlock()
		for _, b := range s.encoded.m {
			if bytes.Contains(b, []byte(subject)) {
				n++
			}
		}
		return n
	}
	if kept() == 0 {
		t.Fatal("no answer's JSON was kept before the erasure: the test would prove nothing")
	}
	e.do(t, "admin", "POST", "/api/v1/letters/"+ref+"/erase", "application/json", strings.NewReader(`{"reason":"asked by the addressee"}`), http.StatusOK, nil)
	if n := kept(); n != 0 {
		t.Errorf("after the erasure, %d kept answers' JSON still hold the letter's subject", n)
	}
}

// TestEncodedAnswerReadBeforeAnErasureIsNotKept: an answer the registry gave before an
// erasure, encoded after it had emptied the map, is not kept (row 812's generation; no test
// failed without it).
func TestEncodedAnswerReadBeforeAnErasureIsNotKept(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	const subject = "Repositioning of northern forces"
	ref, file := e.retracted(t, subject)
	s := e.srv.Config.Handler.(*Server)
	ctx := context.Background()
	var err error
	d := seal.DigestOf(file)
	var answer *registry.Status
	for range 3 {
		gen := s.encoded.generation()
		if answer, _, err = s.cfg.Registry.PublicVerify(ctx, d, nil); err != nil || answer == nil {
			t.Fatal(answer, err)
		}
		if answer.Shared() {
			// Read before the erasure, encoded after it.
			e.do(t, "admin", "POST", "/api/v1/letters/"+ref+"/erase", "application/json", strings.NewReader(`{"reason":"asked by the addressee"}`), http.StatusOK, nil)
			s.encoded.write(httptest.NewRecorder(), httptest.NewRequest("POST", "/api/v1/verify", nil), answer, gen)
			break
		}
	}
	if !answer.Shared() {
		t.Fatal("the registry gave no shared answer: the test would prove nothing")
	}
	s.encoded.mu.Lock()
	defer s.encoded.mu.Unlock()
	for _, b := range s.encoded.m {
		if bytes.Contains(b, []byte(subject)) {
			t.Error("an answer read before the erasure and encoded after it was kept, with the letter's subject")
		}
	}
}

// retracted releases a letter with the subject, retracts it with a signed reason, and returns
// its reference and released file.
func (e *apiEnv) retracted(t *testing.T, subject string) (string, []byte) {
	t.Helper()
	ref, keyID, key := e.signedLetter(t, subject, "The forces will be repositioned.")
	e.do(t, "release", "POST", "/api/v1/letters/"+ref+"/release", "", nil, http.StatusCreated, nil)
	reg := e.srv.Config.Handler.(*Server).cfg.Registry
	ctx := context.Background()
	m, err := reg.Authenticate(ctx, e.tokens["signer"])
	if err != nil {
		t.Fatal(err)
	}
	signer := registry.Actor{Member: m}
	st, pt, op, err := reg.WithdrawalStatement(ctx, signer, ref, "", "sent to the wrong ministry")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Withdraw(ctx, signer, ref, "", keyID, st, op, ed25519.Sign(key, dsse.PAE(pt, st))); err != nil {
		t.Fatal(err)
	}
	_, file := e.send(t, "release", "GET", "/api/v1/letters/"+ref+"/file", "", nil)
	return ref, file
}
