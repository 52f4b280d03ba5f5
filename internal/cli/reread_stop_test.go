package cli_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/store"
)

// TestRereadStopsWhenServeReturns: serve waits, before it returns, for the reading again of
// fingerprints it started beside the server; when serve returns for another reason than its
// stop signal (a policy's role map that does not match, the listener failing), the reading
// again stops too, and serve returns with its error rather than wait for every letter of the
// office to be read again, which on a large office takes hours.
func TestRereadStopsWhenServeReturns(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, "")
	ctx := context.Background()
	// An office whose fingerprints are far from all read again.
	if err := o.st.DB.Update(ctx, func(tx *store.Tx) error {
		return tx.SetSetting(ctx, "fingerprints_reread4_through", "1000000000")
	}); err != nil {
		t.Fatal(err)
	}
	// serve's context, which only its stop signal cancels: serve returns with an error.
	wait := cli.RereadFingerprints(ctx, o.st.Registry, slog.New(slog.NewTextHandler(io.Discard, nil)))
	time.Sleep(100 * time.Millisecond)
	returned := make(chan struct{})
	go func() { wait(); close(returned) }()
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("serve, returning with an error, still waits for the reading again of fingerprints after 10 s")
	}
}
