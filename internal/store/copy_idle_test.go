package store_test

import (
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// TestCopyTargetOutwaitsTheSource checks that the target's transaction of a copy to
// PostgreSQL is not ended for waiting on the source: the store's sessions end a transaction
// idle for 10 s (stuckTimeout), and comparing the files hashes all of the source's first, so
// store migrate of an office of 100,000 letters failed after 3.5 min, at the comparison,
// with "terminating connection due to idle-in-transaction timeout", every time.
func TestCopyTargetOutwaitsTheSource(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	if err := openSQLite(t, dir).Close(); err != nil {
		t.Fatal(err)
	}
	snap, err := store.OpenSQLiteSnapshot(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	dst, err := store.OpenPostgresTarget(ctx, storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	var timeout string
	defer store.OnCopyStarted(func(v string) { timeout = v })()
	if _, err := store.CopyTo(ctx, snap, dst); err != nil {
		t.Fatal(err)
	}
	if timeout != "0" {
		t.Errorf("the copy's target transaction ends when idle for %q; want no limit (0)", timeout)
	}
}
