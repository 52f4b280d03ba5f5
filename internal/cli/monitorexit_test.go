package cli

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/monitor"
)

// TestMonitorHintWhenEvidenceIsFull: past the bound on a log's evidence (the monitor keeps
// the first conflicts' checkpoints and refuses the newest), the hint says so rather than
// that both checkpoints are kept.
func TestMonitorHintWhenEvidenceIsFull(t *testing.T) {
	for _, c := range []struct {
		err       error
		want, not string
	}{
		{fmt.Errorf("log: fork: two trees (evidence not kept: the evidence directory holds the evidence of 256 conflicts of this log already, as many as it keeps): %w", monitor.ErrConflict), "move them elsewhere", "both signed checkpoints are kept"},
		{fmt.Errorf("log: fork: two trees: %w", monitor.ErrConflict), "both signed checkpoints are kept", "move them"},
		{fmt.Errorf("log: bad-entry (evidence not kept: …): %w", monitor.ErrUnsound), "move it elsewhere", "what was fetched is kept"},
		// A later finding that needs no key keeps nothing until the log is checked again:
		// what was fetched is not kept, and moving evidence away would not help.
		{fmt.Errorf("log: bad-entry: entry bundle 3; its evidence is not kept: the first finding about bytes served since the monitor last held a checkpoint of this log keeps its evidence: %w", monitor.ErrUnsound), "keeps its evidence once", "what was fetched is kept"},
	} {
		var h *hinted
		if !errors.As(monitorExit(c.err, "/var/lib/monitor.evidence"), &h) {
			t.Fatalf("%v: no hint", c.err)
		}
		if got := h.hint; !strings.Contains(got, c.want) || strings.Contains(got, c.not) {
			t.Errorf("%v:\n%s\nwant %q, not %q", c.err, got, c.want, c.not)
		}
	}
}
