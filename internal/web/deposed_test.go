package web

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// A release from the letter page whose batch the sequencer's fence refused (another server
// took the sequencing over) committed nothing: the page says the server is busy and to try
// again, with 503, not that something went wrong.
func TestDeposedReleaseSaysTryAgain(t *testing.T) {
	code, msg := statusOf(fmt.Errorf("release TFN-2026-000001: append: %w: the sequencer lease was lost", store.ErrDeposed))
	if code != http.StatusServiceUnavailable || msg != "The server is busy; try again in a moment." {
		t.Errorf("release refused by the fence: %d %q", code, msg)
	}
}
