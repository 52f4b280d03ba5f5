package monitor_test

import (
	"testing"

	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/monitor/public"
)

// TestReplayedStatusNotesAreKeyless: the log key signs checkpoints and also status notes
// (checkpoint.Status), which the registry hands to anyone who verifies a letter online
// (latest.status). Whoever serves the log, without its key, can serve such a note at
// /log/checkpoint: it verifies with the log key but is no checkpoint, so the monitor took it
// as the log's own bad-signature ("its key signed text that is not a checkpoint", not
// keyless) and kept new evidence for each different note, as items 321, 372 and 426 meant
// to prevent (audit, forty-ninth session). It is a finding that needs no key now.
func TestReplayedStatusNotesAreKeyless(t *testing.T) {
	keys := newLogKeys(t, "status-replay.example/log")
	o := newOffice(t, keys)
	o.appendKeys(6)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	c.take()
	head := o.lg.Head()
	for i := range 4 {
		st, err := o.lg.SignStatus(head, int64(i), "valid", 0)
		if err != nil {
			t.Fatal(err)
		}
		o.setServe(serveCheckpoint(st))
		a := unsoundAlert(t, m, c, monitor.ProblemBadSignature)
		t.Logf("pass %d: %s; evidence %d files", i, a.Message, len(a.Evidence))
		o.setServe(nil)
		pass(t, m)
	}
	if got := alertRecords(t, m); got > 1 {
		t.Fatalf("4 status notes of the log (public, replayable by anyone serving the log) served as its checkpoint kept %d alert records, want at most 1, as for other findings that need no key", got)
	}
}
