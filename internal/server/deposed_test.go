package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// A release whose batch was refused because another server took the sequencing over (this
// one was paused past its lease, or its lease's session was ended) committed nothing and can
// be sent again at once: it is answered 503 with Retry-After and the reason, not a bare
// "internal error" (seen live after a SIGSTOP and SIGCONT of the sequencing server).
func TestDeposedReleaseIsRetried(t *testing.T) {
	s := New(Config{Logger: slog.New(slog.DiscardHandler)})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/v1/letters/TFN-2026-000001/release", nil)
	s.fail(rec, req, fmt.Errorf("release TFN-2026-000001: append: %w: the sequencer lease was lost", store.ErrDeposed))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(rec.Body.String(), "another server took over sequencing the log") {
		t.Errorf("release refused by the fence: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
}
