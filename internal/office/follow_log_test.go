package office

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/syncbuf"
)

// TestFollowerLogsAnOutageOnce: a follower of a shared database (identification, witnesses)
// logged its failure at every tick, four times a second each: an hour's outage of the
// database wrote some 28,000 warnings apiece to the server's log. The first failure is
// logged at once, the next ones at most once a minute with their count, and the recovery.
func TestFollowerLogsAnOutageOnce(t *testing.T) {
	var log syncbuf.Buffer
	var mu sync.Mutex
	calls := 0
	stop := every(slog.New(slog.NewTextHandler(&log, nil)), time.Millisecond, "thing not refreshed", "thing refreshed again", func(context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		if calls++; calls <= 100 {
			return errors.New("connection refused")
		}
		return nil
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := calls
		mu.Unlock()
		if n >= 110 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	stop()
	got := log.String()
	if n := strings.Count(got, "thing not refreshed"); n != 1 {
		t.Errorf("100 failures in a row logged %d warnings, want 1:\n%.2000s", n, got)
	}
	if !strings.Contains(got, "thing refreshed again") || !strings.Contains(got, "failures=100") {
		t.Errorf("the recovery after 100 failures was not logged with their count:\n%.2000s", got)
	}
}
