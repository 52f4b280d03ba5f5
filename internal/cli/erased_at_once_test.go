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

// TestErasureRecordedBeforeItIsAnswered: the record of erased releases was written every 5 s
// and as the server stopped, so a server killed (a crash, kill -9, a power loss) within 5 s
// of an erasure it had answered never recorded it, and a database then put back from a
// backup taken before it served the letter again. The erasure is recorded before Erase
// returns.
func TestErasureRecordedBeforeItIsAnswered(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, "")
	rel, err := o.release()
	if err != nil {
		t.Fatal(err)
	}
	stop, err := cli.KeepErased(context.Background(), o.st.Dir, o.st.Registry, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := o.st.Registry.Erase(context.Background(), o.admin, rel.Reference, "personal data"); err != nil {
		t.Fatal(err)
	}
	rec, err := os.ReadFile(filepath.Join(dir, datadir.ErasedFile))
	if err != nil || !strings.HasPrefix(string(rec), strconv.FormatInt(rel.LogIndex, 10)+" ") {
		t.Fatalf("record of erased releases once the erasure is answered: %q, %v; want log entry %d", rec, err, rel.LogIndex)
	}
	letters, err := os.ReadFile(filepath.Join(dir, datadir.ErasedLettersFile))
	if err != nil || !strings.HasPrefix(string(letters), rel.Reference+" ") {
		t.Fatalf("record of erased letters once the erasure is answered: %q, %v", letters, err)
	}
}
