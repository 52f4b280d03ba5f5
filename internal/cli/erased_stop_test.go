package cli_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/datadir"
)

// TestErasedRecordedWhenServeStops: serve's context is cancelled by the signal that stops
// it, and the record of erased releases is written once more as it stops, so that an erasure
// made in the seconds before a stop is recorded before an older backup can be put back. The
// last record read the database with that cancelled context, failed ("context canceled"),
// and recorded nothing.
func TestErasedRecordedWhenServeStops(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, "")
	rel, err := o.release()
	if err != nil {
		t.Fatal(err)
	}
	ctx, signalled := context.WithCancel(context.Background())
	defer signalled()
	stop, err := cli.KeepErased(ctx, o.st.Dir, o.st.Registry, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := o.st.Registry.Erase(context.Background(), o.admin, rel.Reference, "personal data"); err != nil {
		t.Fatal(err)
	}
	signalled() // SIGTERM, within the interval between two records
	stop()
	rec, err := os.ReadFile(filepath.Join(dir, datadir.ErasedFile))
	if err != nil || !strings.HasPrefix(string(rec), strconv.FormatInt(rel.LogIndex, 10)+" ") {
		t.Fatalf("record of erased releases after the stop: %q, %v; want log entry %d", rec, err, rel.LogIndex)
	}
}
