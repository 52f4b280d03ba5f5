package client

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
)

// TestRekeySendsTheOverlapOnlyWhenNotTheDefault: the default overlap is left to the registry,
// so that a registry of a build before overlaps, which refuses unknown fields, still rekeys
// for `chancery webhook rekey` without --overlap; another overlap is sent.
func TestRekeySendsTheOverlapOnlyWhenNotTheDefault(t *testing.T) {
	var got map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = nil
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"secret":"whsec_x"}`))
	}))
	defer srv.Close()
	c, err := New(srv.URL, "chy_token")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		overlap time.Duration
		sent    any
	}{
		{registry.DefaultWebhookOverlap, nil},
		{0, float64(0)},
		{72 * time.Hour, float64(72 * 3600)},
	} {
		if _, _, err := c.RekeyWebhook(t.Context(), "records", tc.overlap); err != nil {
			t.Fatal(err)
		}
		if v, ok := got["overlap_seconds"]; tc.sent == nil && ok || tc.sent != nil && v != tc.sent {
			t.Errorf("overlap %s: sent %v", tc.overlap, got)
		}
	}
}
