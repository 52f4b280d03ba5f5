package monitor

import (
	"strings"
	"testing"
	"time"
)

// TestEvidenceRoomsAreNotSharedAcrossLogs: each log has its own evidence rooms
// (MaxEvidenceConflicts...), counted from the files whose names begin with a part of its
// own. That part was safeName(origin)+".": two logs followed by one monitor whose origins map
// to the same safeName ("a.example/log" and "a.example_log"), or one whose safe name began
// with the other's and a dot, shared a room, and the conflicts of one (its own key can sign
// any number of forks) filled the room of the other, whose genuine fork was then alerted
// without evidence (audit, forty-ninth session). The part now holds a digest of the exact
// origin and key (roomName).
func TestEvidenceRoomsAreNotSharedAcrossLogs(t *testing.T) {
	dir := t.TempDir()
	old := evidenceBounds
	evidenceBounds.conflicts = 2
	t.Cleanup(func() { evidenceBounds = old })
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	conflict := func(origin string, size int) *Report {
		r := &Report{Type: TypeAlert, Log: origin, Size: int64(size), Observed: now,
			Alert: &Alert{Problem: ProblemFork, Message: "fork"}}
		cp := []byte(origin + "\n" + strings.Repeat("1", size) + "\nAAAA\n\n— " + origin + " AAAAAAA=\n")
		if err := keep(dir, r, evidence{checkpoints: [][]byte{cp}}); err != nil {
			t.Fatal(err)
		}
		return r
	}
	// The hostile log (its own key) signs two forks of its own.
	conflict("a.example_log", 1)
	conflict("a.example_log", 2)
	// The victim's first genuine fork.
	r := conflict("a.example/log", 3)
	if len(r.Evidence) == 0 {
		t.Fatalf("the fork of log a.example/log kept no evidence, because another log's conflicts filled its room: %s", r.Message)
	}
}
