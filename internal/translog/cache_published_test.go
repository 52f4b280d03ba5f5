package translog

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/store/storetest"
	"golang.org/x/mod/sumdb/tlog"
)

// TestCacheHoldsOnlyThePublishedTree: a server reads a tile while the stored log is longer
// than the tree it published (another server appended, and it has not followed yet). The
// database is then set back to a size between the two and another server appends a different
// history; the first server, which published none of the lost entries, follows the new log.
// It must serve the new log's entries, tiles and proofs under the new checkpoint: the tile it
// cached earlier held, beyond its published tree, entries of the history that was lost, and
// served them under a checkpoint of the other history.
func TestCacheHoldsOnlyThePublishedTree(t *testing.T) {
	url := storetest.PostgresURL(t)
	s, _ := newSigner(t)
	_, logs := openSharedAt(t, url, s, 2)
	x, y := logs[0], logs[1]
	ctx := t.Context()
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	for i := range 5 {
		if _, err := y.Append(ctx, fmt.Appendf(nil, "entry %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.refresh(ctx); err != nil || x.Head().Size != 5 {
		t.Fatalf("x follows to size %d, %v; want 5", x.Head().Size, err)
	}
	// x stops following, so that it publishes nothing more until the test asks.
	x.lead.cancel()
	<-x.lead.done
	saveLog(t, admin)
	for i := 5; i < 10; i++ {
		if _, err := y.Append(ctx, fmt.Appendf(nil, "lost entry %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	// x reads under its checkpoint of 5 while 10 entries are stored.
	if _, err := x.Entry(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := x.InclusionProof(ctx, 2, 5); err != nil {
		t.Fatal(err)
	}
	if h, err := x.TreeHashAt(ctx, 7); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("leaf hash of entry 7, beyond the published tree of 5: %s, %v; want ErrOutOfRange", h, err)
	}
	restoreLog(t, admin)
	_, late := openSharedAt(t, url, s, 1)
	for i := 5; i < 10; i++ {
		if _, err := late[0].Append(ctx, fmt.Appendf(nil, "kept entry %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.refresh(ctx); err != nil {
		t.Fatal(err)
	}
	h := x.Head()
	if h.Size != 10 || h.Root != late[0].Head().Root {
		t.Fatalf("x serves size %d, root %s; want the stored log's 10, %s", h.Size, h.Root, late[0].Head().Root)
	}
	want := fmt.Appendf(nil, "kept entry %d", 7)
	if e, err := x.Entry(ctx, 7); err != nil || !bytes.Equal(e, want) {
		t.Errorf("entry 7 under the checkpoint of 10: %q, %v; want %q", e, err, want)
	}
	tile, err := x.ReadTile(ctx, tlog.Tile{H: TileHeight, L: EntriesLevel, N: 0, W: 10})
	if err != nil {
		t.Fatal(err)
	}
	if entries, err := SplitBundle(tile); err != nil || !bytes.Equal(entries[7], want) {
		t.Errorf("entry bundle 0 under the checkpoint of 10: %q, %v; want entry 7 %q", entries, err, want)
	}
	p, err := x.InclusionProof(ctx, 7, 10)
	if err == nil {
		err = tlog.CheckRecord(p, 10, h.Root, 7, tlog.RecordHash(want))
	}
	if err != nil {
		t.Errorf("proof of entry 7 under the checkpoint of 10: %v", err)
	}
}
