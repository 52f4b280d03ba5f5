package translog

import (
	"errors"
	"testing"
)

// TestRefreshClosedDuringItsRead: a caller of Refresh whose read of the stored head is under
// way when the log closes is answered ErrClosed, as Refresh says, not the error of the read
// that the close cut short (the log's own context, canceled), which named no closed log to
// callers that check for ErrClosed (found by review of 3b04edd, sixtieth session).
func TestRefreshClosedDuringItsRead(t *testing.T) {
	l, url := oneSharedLog(t)
	ctx := t.Context()
	began := make(chan struct{}, 1)
	l.lead.readsMu.Lock()
	l.lead.onRead = func() { began <- struct{}{} }
	l.lead.readsMu.Unlock()
	// The head's table locked: the read that the caller waits for cannot end before the close.
	lockLogHead(t, url)
	errs := make(chan error, 1)
	go func() { errs <- l.Refresh(ctx) }()
	<-began
	l.Close()
	if err := <-errs; !errors.Is(err, ErrClosed) {
		t.Errorf("refresh whose read was under way when the log closed: %v, want %v", err, ErrClosed)
	}
}
