package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/translog"
)

// A release on a server whose appends a witness halted (it holds a larger tree of the log, or
// refuses it as a fork) says that the operator must decide, not "something went wrong".
func TestHaltedReleaseSaysTellTheOperator(t *testing.T) {
	err := fmt.Errorf("release TFN-2026-000001: %w", &translog.HaltedError{Why: "witness lw: witness holds a larger tree than the log"})
	code, msg := statusOf(err)
	if code != http.StatusServiceUnavailable || !strings.Contains(msg, "A witness of the office's log") || !strings.Contains(msg, "Tell the office's operator") {
		t.Errorf("%v: %d %q", err, code, msg)
	}
}
