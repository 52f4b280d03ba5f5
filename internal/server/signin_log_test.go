package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/web"
)

// TestSigninLogLinesAreBounded: the sign-in form's name may be 64 KB, and every attempt,
// refused or over its limits, has a log line naming it: the line keeps at most the first
// 64 bytes of the name, so a client cannot write 64 KB to the log for each request.
func TestSigninLogLinesAreBounded(t *testing.T) {
	cfg := newRegistryConfig(t)
	var logs bytes.Buffer
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	s := New(cfg)
	name := "rita" + strings.Repeat("x", 60<<10)
	for range web.SigninAccountBurst + 2 {
		form := url.Values{"name": {name}, "password": {"wrong"}}.Encode()
		r := httptest.NewRequest("POST", "/signin", strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Origin", "http://example.com")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		io.Copy(io.Discard, w.Body)
		if w.Code != http.StatusUnauthorized && w.Code != http.StatusTooManyRequests {
			t.Fatalf("sign-in: %d", w.Code)
		}
	}
	refused, limited := strings.Count(logs.String(), "sign-in refused"), strings.Count(logs.String(), "sign-in limited")
	if refused == 0 || limited == 0 {
		t.Fatalf("%d refused and %d limited lines logged; want both", refused, limited)
	}
	for line := range strings.Lines(logs.String()) {
		if len(line) > 1024 {
			t.Errorf("a log line of %d bytes: %.120s…", len(line), line)
		}
	}
}
