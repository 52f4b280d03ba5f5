package monitor_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/monitor"
	"github.com/chancery/chancery/internal/monitor/public"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// TestHugeTreeIsAFinding: a checkpoint that the log key signs for a tree of 2^62 entries or
// more is an alert, not a pass that never ends (x/mod/sumdb/tlog's proofs do not return for
// such sizes, and the monitor checked a consistency proof to it).
func TestHugeTreeIsAFinding(t *testing.T) {
	keys := newLogKeys(t, "huge.example/log")
	o := newOffice(t, keys)
	o.release(1)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	c.take()
	for _, n := range []int64{1 << 62, 1<<62 + 12345, 1<<63 - 1} {
		o.setServe(serveCheckpoint(forged(t, keys, n, tlog.Hash(sha256.Sum256([]byte("huge"))))))
		done := make(chan error, 1)
		go func() { done <- m.Pass(context.Background()) }()
		select {
		case err := <-done:
			if !errors.Is(err, monitor.ErrUnsound) {
				t.Fatalf("pass over a tree of size %d: %v", n, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("pass over a tree of size %d has not ended in 20 s", n)
		}
		if alerts := ofType(c.take(), monitor.TypeAlert); len(alerts) != 1 || alerts[0].Problem != monitor.ProblemBadSignature {
			t.Fatalf("alerts for a tree of size %d: %+v", n, alerts)
		}
	}
}

// TestSecondBadSignatureIsAFinding: a checkpoint with a second signature line of the log key
// that does not verify is refused, as C2SP signed-note asks, where x/mod's note.Open skips it.
func TestSecondBadSignatureIsAFinding(t *testing.T) {
	keys := newLogKeys(t, "twice.example/log")
	o := newOffice(t, keys)
	o.release(1)
	m, c := newMonitor(t, o.url, keys, t.TempDir(), public.Filter{})
	pass(t, m)
	c.take()
	o.release(1)
	other, err := note.Sign(&note.Note{Text: "another text\n"}, keys.signer)
	if err != nil {
		t.Fatal(err)
	}
	line := string(other[strings.LastIndex(string(other), "\n— ")+1:])
	if !strings.HasPrefix(line, "— "+keys.origin+" ") {
		t.Fatalf("signature line %q", line)
	}
	if _, err := base64.StdEncoding.DecodeString(strings.TrimSpace(strings.Fields(line)[2])); err != nil {
		t.Fatal(err)
	}
	served := append(heldCheckpoint(t, o), line...)
	o.setServe(serveCheckpoint(served))
	if err := m.Pass(context.Background()); !errors.Is(err, monitor.ErrUnsound) {
		t.Fatalf("pass over a checkpoint with a bad second signature: %v", err)
	}
	alerts := ofType(c.take(), monitor.TypeAlert)
	if len(alerts) != 1 || alerts[0].Problem != monitor.ProblemBadSignature {
		t.Fatalf("alerts: %+v", alerts)
	}
	checkEvidence(t, alerts[0], served)
}
