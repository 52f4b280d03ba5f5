package registry

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

// TestReleaseCancelledAfterCommitIsIndexed: a release whose caller goes away (the HTTP client
// disconnects) after the log's batch ran its transaction function, but before the batch's
// commit returned, is committed: the letter is released and logged. Release must then do what
// follows a commit, among it publish(), which puts the released version into the public
// identification index; on SQLite nothing else ever adds it (only PostgreSQL servers follow
// one another's fingerprints), and the public would be told that the released letter's text
// is unknown until the server restarts. AppendTx answers the batch's outcome once the batch
// took the append, whatever the caller's context does.
func TestReleaseCancelledAfterCommitIsIndexed(t *testing.T) {
	o := newOffice(t)
	body := "Dear Minister,\n\nThe repositioning of forces announced on 3 March will begin on 14 April at 06:00 and last nine days.\n\nYours faithfully,\nThe Director\n"
	ref := o.letter(t, body)
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	// Count the clock's readings: Release reads it once in its snapshot and again in the log's
	// transaction function (prepareRelease).
	var nows atomic.Int64
	o.r.cfg.Now = func() time.Time { nows.Add(1); return time.Now() }
	db := o.r.cfg.DB

	// Hold the store's one writer, so that the log's batch and the call below queue into the
	// same next group transaction, the log's first.
	holding, letGo := make(chan struct{}), make(chan struct{})
	go db.Update(context.Background(), func(*store.Tx) error { close(holding); <-letGo; return nil })
	<-holding

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var relErr error
	released := make(chan struct{})
	go func() {
		defer close(released)
		_, relErr = o.r.Release(ctx, o.officer, ref)
	}()
	for nows.Load() < 1 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(2 * time.Second) // stamping, then the log's batch queues behind the writer

	var wg sync.WaitGroup
	var ranAfterFn bool
	wg.Add(1)
	go func() {
		defer wg.Done()
		db.Update(context.Background(), func(*store.Tx) error {
			// The log's batch ran its function before this call, in this transaction.
			ranAfterFn = nows.Load() >= 2
			cancel() // the client goes away before the commit
			// Long enough for a Release that answers the cancellation to return before the
			// commit; a Release that waits for the outcome waits this out.
			select {
			case <-released:
			case <-time.After(time.Second):
			}
			return nil
		})
	}()
	time.Sleep(100 * time.Millisecond)
	close(letGo)
	wg.Wait()
	<-released
	if !ranAfterFn {
		t.Skip("the log's batch did not run before the other call: the set-up's timing missed")
	}

	st, err := o.r.StatusOf(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if st.Outcome != Valid {
		t.Skipf("the letter is not released (%s): the cancellation came in time", st.Outcome)
	}
	id, err := o.r.Identify(context.Background(), Actor{}, body)
	if err != nil {
		t.Fatal(err)
	}
	if relErr != nil {
		t.Errorf("%s is released and logged, but Release said %v", ref, relErr)
	}
	if id.Reference != ref || id.Outcome != Valid {
		t.Errorf("%s is released and logged (Release said %v), but the public identification of its text answers %q (reference %q)",
			ref, relErr, id.Outcome, id.Reference)
	}
}
