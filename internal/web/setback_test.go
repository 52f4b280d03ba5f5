package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/translog"
)

// A release from the letter page refused because the database was set back under the server
// (it appends nothing until an operator decides) is answered 503 with what to do, as the API
// answers it, not 500 "something went wrong", which says the fault is the software's and
// sends the release officer to try again.
func TestSetBackReleaseSaysTellTheOperator(t *testing.T) {
	code, msg := statusOf(fmt.Errorf("release TFN-2026-000001: append: %w", &translog.RollbackError{Published: 10, Stored: 5}))
	if code != http.StatusServiceUnavailable || !strings.Contains(msg, "operator") {
		t.Errorf("release on a set-back database: %d %q", code, msg)
	}
	if strings.Contains(msg, "TFN-2026-000001") {
		t.Errorf("the message names the letter: %q", msg)
	}
}
