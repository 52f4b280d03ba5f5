package server

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/accesslog"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// TestErrorLogKeepsCapabilitiesOut: a request that failed (here, the database gone) was
// logged with the registry's error, which says what it was about: the digest a verifier sent
// ("verify sha256:…: answer sha256:…"), a capability that opens the letter to whoever presents
// it, and the reference asked about ("status of REF: release of REF").
func TestErrorLogKeepsCapabilitiesOut(t *testing.T) {
	var logs bytes.Buffer
	cfg := newRegistryConfig(t)
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	srv := httptest.NewServer(New(cfg))
	defer srv.Close()
	admin, err := cfg.Registry.Bootstrap(context.Background(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	cfg.DB.Close()
	digest, other := strings.Repeat("ab", 32), strings.Repeat("cd", 32)
	ref, code := "API-2026-000042", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	for _, req := range []struct{ method, path, token, body string }{
		{"POST", "/api/v1/verify", "", `{"digest":"sha256:` + digest + `"}`},
		{"POST", "/api/v1/verify", "", `{"digest":"sha256:` + other + `","latest":true}`},
		{"GET", "/api/v1/letters/" + ref + "/status?code=" + code, "", ""},
		{"GET", "/api/v1/letters/" + ref + "/status", admin, ""},
	} {
		r, _ := http.NewRequest(req.method, srv.URL+req.path, strings.NewReader(req.body))
		r.Header.Set("Content-Type", "application/json")
		if req.token != "" {
			r.Header.Set("Authorization", "Bearer "+req.token)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusInternalServerError {
			t.Errorf("%s %s: %d, want 500 (the database is closed)", req.method, req.path, resp.StatusCode)
		}
	}
	out := logs.String()
	if n := strings.Count(out, "request failed"); n != 4 {
		t.Errorf("%d errors logged for 4 failed requests:\n%s", n, out)
	}
	for _, secret := range []string{digest, other, ref, code} {
		if strings.Contains(out, secret) {
			t.Errorf("the server's log holds %q:\n%s", secret, out)
		}
	}
}

// TestLoggedTextRedactsWords: the request's own values are redacted where they stand as
// words, not inside other words; a member's name too.
func TestLoggedTextRedactsWords(t *testing.T) {
	s := &Server{redact: accesslog.NewTextRedactor("TFN")}
	r := httptest.NewRequest("GET", "/api/v1/members/al?digest=xyz", nil)
	r.Pattern = "GET /api/v1/members/{name}"
	r.SetPathValue("name", "al")
	r = r.WithContext(context.WithValue(r.Context(), actorKey{}, registry.Actor{Member: &store.Member{Name: "Zoë Ärm"}}))
	for in, want := range map[string]string{
		"roles of al: total failure": "roles of REDACTED: total failure",
		"al":                         "REDACTED",
		"xyz, not xyzzy":             "REDACTED, not xyzzy",
		"inbox of Zoë Ärm: busy":     "inbox of REDACTED: busy",
		"release TFN-2026-000007 and TFN-2026-0001":             "release REDACTED and REDACTED",
		"NOTTFN-2026-000007 SHA256:" + strings.Repeat("0F", 32): "NOTTFN-2026-000007 REDACTED",
	} {
		if got := s.loggedText(r, in); got != want {
			t.Errorf("loggedText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestErrorLogKeepsBodyNamesOut: the registry's errors name what a request's body named ("add
// recipient NAME: …", "add member NAME: …"), and a request that failed with a 500 (a full
// disk, a lost database; here a trigger that refuses the row) put a recipient's or a new
// member's name, an organisation, an address in the server's log, which outlives erasure
// (audit, forty-eighth session).
func TestErrorLogKeepsBodyNamesOut(t *testing.T) {
	var logs bytes.Buffer
	dir := t.TempDir()
	cfg := newRegistryConfigIn(t, dir)
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	srv := httptest.NewServer(New(cfg))
	defer srv.Close()
	admin, err := cfg.Registry.Bootstrap(context.Background(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	am, err := cfg.Registry.Authenticate(context.Background(), admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.Registry.AddMember(context.Background(), registry.Actor{Member: am}, "yves.other-agent", []string{"drafter"}); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.SQLiteFile)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, table := range []string{"recipients", "members", "member_passwords"} {
		if _, err := raw.Exec(`CREATE TRIGGER full_` + table + ` BEFORE INSERT ON ` + table + ` BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
			t.Fatal(err)
		}
	}
	secrets := []string{"mod-freedonia", "Ministry of Defence of Freedonia", "registry@mod.freedonia.example", "zoe.secret-agent", "yves.other-agent"}
	for _, req := range []struct{ path, body string }{
		{"/api/v1/recipients", `{"name":"mod-freedonia","organization":"Ministry of Defence of Freedonia","emails":["registry@mod.freedonia.example"]}`},
		{"/api/v1/members", `{"name":"zoe.secret-agent","roles":["drafter"]}`},
		// Served by package web, from the caller's bearer token.
		{"/api/v1/password", `{"member":"yves.other-agent","password":"a long enough password"}`},
	} {
		r, _ := http.NewRequest("POST", srv.URL+req.path, strings.NewReader(req.body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusInternalServerError {
			t.Errorf("POST %s: %d, want 500 (the row refused)", req.path, resp.StatusCode)
		}
	}
	out := logs.String()
	if n := strings.Count(out, "request failed"); n != 3 {
		t.Errorf("%d errors logged for 3 failed requests:\n%s", n, out)
	}
	for _, secret := range secrets {
		if strings.Contains(out, secret) {
			t.Errorf("the server's log holds %q:\n%s", secret, out)
		}
	}
}
