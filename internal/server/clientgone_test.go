package server

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRequestEndedByItsClientIsNotAnError: an API request whose client hung up while the
// registry worked on it (here, a letter search, its context cancelled) was answered 500 and
// logged at ERROR as "request failed", as a fault of the server would be; the web answered
// such requests 503 and logged nothing (review of 85cbdf2, fifty-ninth session).
func TestRequestEndedByItsClientIsNotAnError(t *testing.T) {
	var logs bytes.Buffer
	cfg := newRegistryConfig(t)
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	h := New(cfg)
	admin, err := cfg.Registry.Bootstrap(context.Background(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/api/v1/letters?q=withdrawal", nil).WithContext(ctx)
	r.Header.Set("Authorization", "Bearer "+admin)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503 for a request its client ended: %s", w.Code, w.Body)
	}
	if strings.Contains(logs.String(), "request failed") {
		t.Errorf("a request its client ended was logged as a failure:\n%s", logs.String())
	}
}
