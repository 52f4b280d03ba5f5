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

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// verifyBench is a server (without rate limits) of an office with one released letter, and
// the JSON body that asks the public verify API about it.
func verifyBench(b testing.TB) (*Server, string) {
	ctx := context.Background()
	e := newAPIEnv(b, 1<<20)
	cfg := e.srv.Config.Handler.(*Server).cfg
	cfg.RateLimit = -1
	reg := cfg.Registry
	actor := func(who string) registry.Actor {
		m, err := reg.Authenticate(ctx, e.tokens[who])
		if err != nil {
			b.Fatal(err)
		}
		return registry.Actor{Member: m}
	}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	keyID, _, err := reg.RegisterKey(ctx, actor("signer"), key.Public().(ed25519.PublicKey))
	if err != nil {
		b.Fatal(err)
	}
	ref, err := reg.CreateLetter(ctx, actor("drafter"), registry.NewLetter{Subject: "Benchmark", Class: "internal",
		Addressees: []string{"Registry"}, File: registry.Upload{Name: "l.bin", MediaType: "application/octet-stream", Data: []byte("a letter")}})
	if err != nil {
		b.Fatal(err)
	}
	if err := reg.Approve(ctx, actor("reviewer"), ref, "", ""); err != nil {
		b.Fatal(err)
	}
	st, err := reg.SigningStatement(ctx, actor("signer"), ref)
	if err != nil {
		b.Fatal(err)
	}
	if err := reg.Sign(ctx, actor("signer"), ref, keyID, st, ed25519.Sign(key, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
		b.Fatal(err)
	}
	rel, err := reg.Release(ctx, actor("release"), ref)
	if err != nil {
		b.Fatal(err)
	}
	return New(cfg), fmt.Sprintf(`{"digest":%q}`, seal.DigestOf(rel.File))
}

// benchVerify asks the public verify API about a released file, in parallel, through the
// whole handler (security headers, rate-limit check, request ID, metrics, access log when
// configured), without a network between.
func benchVerify(b *testing.B, s *Server, body string) {
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("POST", "/api/v1/verify", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"outcome":"valid"`) {
				b.Fatalf("%d %s", w.Code, w.Body.String())
			}
		}
	})
}

// BenchmarkVerifyAPI measures the public verify API's answer for a released file (the cached
// answer: what a flood of verifications costs).
//
//	go test ./internal/server -run '^$' -bench 'VerifyAPI' -benchtime 200000x -count 5
func BenchmarkVerifyAPI(b *testing.B) {
	s, body := verifyBench(b)
	benchVerify(b, s, body)
}

// BenchmarkHealthz measures the handler's own cost around a trivial endpoint: security
// headers, request ID, metrics (and the access log in the AccessLog variant).
//
//	go test ./internal/server -run '^$' -bench 'Healthz' -benchtime 500000x -count 5
func BenchmarkHealthz(b *testing.B) {
	s, _ := verifyBench(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req := httptest.NewRequest("GET", "/healthz", nil)
		for pb.Next() {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatal(w.Code)
			}
		}
	})
}
