package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestEraseAnswersPastTheWriteTimeout: an erasure zeros the free space of the whole SQLite
// file, longer on a large office than the server's write timeout, after which the client got
// a reset connection instead of the outcome, though the erasure had committed. Its answer is
// written under a deadline of its own. Here the server's write timeout has passed before any
// handler runs: other answers are cut, the erasure's arrives.
func TestEraseAnswersPastTheWriteTimeout(t *testing.T) {
	cfg := newRegistryConfig(t)
	admin, err := cfg.Registry.Bootstrap(context.Background(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(New(cfg))
	srv.Config.WriteTimeout = time.Nanosecond
	srv.Start()
	defer srv.Close()
	send := func(method, path string, body io.Reader) (*http.Response, error) {
		r, _ := http.NewRequest(method, srv.URL+path, body)
		r.Header.Set("Authorization", "Bearer "+admin)
		r.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(r)
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		return resp, err
	}
	if _, err := send("GET", "/api/v1/members", nil); err == nil {
		t.Fatal("an answer arrived after the write timeout: the test shows nothing")
	}
	resp, err := send("POST", "/api/v1/letters/API-2026-000001/erase", strings.NewReader(`{"reason":"erasure request"}`))
	if err != nil {
		t.Fatalf("the erasure's answer did not arrive: %v", err)
	}
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("erasure of an unknown letter: %d, want 404", resp.StatusCode)
	}
}
