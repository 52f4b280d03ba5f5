package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// TestSequencerBatchAfterWholeRollback: SQLite rolls a whole transaction back after some
// failed statements (an I/O error; a full disk, for a statement without a statement
// journal), and the statements after it then run outside any transaction, each committed at
// once. An append whose function met a full disk in the log's batch left the appends queued
// before it in the same batch lost (their changes rolled back, their entries logged) and
// those after it committed piecemeal, entries and head included, while every caller was told
// that nothing was.
func TestSequencerBatchAfterWholeRollback(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const origin = "rollback.example/log"
	skey, _, err := note.GenerateKey(nil, origin)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	l, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()

	// A disk with room for small writes but not for a file of 1 MiB.
	pages, err := db.WriterPragma(ctx, "page_count")
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(pages)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ExecForTest(ctx, "PRAGMA max_page_count = "+strconv.Itoa(n+40)); err != nil {
		t.Fatal(err)
	}
	// Hold the sequencer in a batch of its own while the appends below queue up, so that
	// they share the next batch.
	hold, held := make(chan struct{}), make(chan struct{})
	holder := make(chan error, 1)
	go func() {
		_, err := l.AppendTx(ctx, []byte("holder"), func(*store.Tx, int64) error {
			close(held)
			<-hold
			return nil
		})
		holder <- err
	}()
	<-held
	type outcome struct {
		index int64
		err   error
	}
	const appends = 4
	const large = 1 // the append whose file does not fit
	out := make([]outcome, appends)
	files := make([][]byte, appends)
	digests := make([]string, appends)
	var wg sync.WaitGroup
	for k := range appends {
		files[k] = []byte("file " + strconv.Itoa(k))
		if k == large {
			files[k] = append(make([]byte, 1<<20), files[k]...)
		}
		h := sha256.Sum256(files[k])
		digests[k] = "sha256:" + hex.EncodeToString(h[:])
		wg.Go(func() {
			idx, err := l.AppendTx(ctx, []byte("entry "+strconv.Itoa(k)), func(tx *store.Tx, _ int64) error {
				return tx.PutBlob(ctx, digests[k], files[k])
			})
			out[k] = outcome{idx, err}
		})
		time.Sleep(30 * time.Millisecond) // queued in this order
	}
	close(hold)
	wg.Wait()
	if err := <-holder; err != nil {
		t.Fatal(err)
	}
	if err := out[large].err; err == nil || !strings.Contains(err.Error(), "full") {
		t.Fatalf("the append of the large file answered %v, want a full disk", err)
	}

	var head store.LogHead
	if err := db.View(ctx, func(tx *store.Tx) error {
		head, err = tx.LogHead(ctx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	acked := int64(1) // the holder
	for k, o := range out {
		var stored bool
		if err := db.View(ctx, func(tx *store.Tx) error {
			_, err := tx.Blob(ctx, digests[k])
			stored = err == nil
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if (o.err == nil) != stored {
			t.Errorf("append %d answered index %d, error %v, but its file stored: %v", k, o.index, o.err, stored)
		}
		if o.err == nil {
			acked++
		}
	}
	if head.Size != acked || l.Head().Size != acked {
		t.Errorf("the log stores %d entries and publishes %d, but %d appends were acknowledged", head.Size, l.Head().Size, acked)
	}
	// The log goes on.
	if _, err := l.Append(ctx, []byte("after")); err != nil {
		t.Fatal(err)
	}
}

// TestNothingWrittenAfterWholeRollback: once a savepoint finds that the database rolled the
// whole transaction back, the statements that follow must not run, outside any transaction,
// committed one by one, even for a caller that goes on as if nothing happened.
func TestNothingWrittenAfterWholeRollback(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files := [][]byte{[]byte("before"), []byte("after")}
	digests := make([]string, len(files))
	for i, f := range files {
		h := sha256.Sum256(f)
		digests[i] = "sha256:" + hex.EncodeToString(h[:])
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutBlob(ctx, digests[0], files[0]); err != nil {
			return err
		}
		err := tx.Savepoint(ctx, func() error {
			// What SQLite does after an I/O error: the whole transaction is gone.
			if err := store.ExecTx(ctx, tx, "ROLLBACK"); err != nil {
				return err
			}
			return errors.New("disk I/O error")
		})
		if !errors.Is(err, store.ErrTxAborted) {
			t.Errorf("the savepoint answered %v, want ErrTxAborted", err)
		}
		if err := tx.PutBlob(ctx, digests[1], files[1]); !errors.Is(err, store.ErrTxAborted) {
			t.Errorf("a write after the rollback answered %v, want ErrTxAborted", err)
		}
		return nil // a caller that goes on regardless
	})
	if !errors.Is(err, store.ErrTxAborted) {
		t.Errorf("Update answered %v, want ErrTxAborted", err)
	}
	for i, d := range digests {
		if err := db.View(ctx, func(tx *store.Tx) error {
			_, err := tx.Blob(ctx, d)
			return err
		}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("file %q after the failed transaction: %v, want not found", files[i], err)
		}
	}
}
