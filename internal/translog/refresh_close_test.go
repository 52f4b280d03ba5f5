package translog

import (
	"database/sql"
	"errors"
	"testing"

	"github.com/chancery/chancery/internal/store/storetest"
)

// TestRefreshClosedDuringItsRead: a caller of Refresh whose read of the stored head is under
// way when the log closes is answered ErrClosed, as Refresh says, not the error of the read
// that the close cut short (the log's own context, canceled), which named no closed log to
// callers that check for ErrClosed (found by review of 3b04edd, sixtieth session).
func TestRefreshClosedDuringItsRead(t *testing.T) {
	url := storetest.PostgresURL(t)
	s, _ := newSigner(t)
	_, logs := openSharedAt(t, url, s, 1)
	l := logs[0]
	ctx := t.Context()
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	began := make(chan struct{}, 1)
	l.lead.readsMu.Lock()
	l.lead.onRead = func() { began <- struct{}{} }
	l.lead.readsMu.Unlock()
	// The head's table locked: the read that the caller waits for cannot end before the close.
	lock, err := admin.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	if _, err := lock.ExecContext(ctx, `LOCK TABLE log_head IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 1)
	go func() { errs <- l.Refresh(ctx) }()
	<-began
	l.Close()
	if err := <-errs; !errors.Is(err, ErrClosed) {
		t.Errorf("refresh whose read was under way when the log closed: %v, want %v", err, ErrClosed)
	}
}
