package cosigned

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
)

// openTestLog opens a log of its own on SQLite in a temporary directory, closed with the test.
func openTestLog(t *testing.T) (*store.DB, *translog.Log) {
	t.Helper()
	db, lg, _ := openTestLogKey(t)
	return db, lg
}

// openTestLogKey is openTestLog, with the log's verifier key.
func openTestLogKey(t *testing.T) (*store.DB, *translog.Log, string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	skey, vkey, _ := note.GenerateKey(rand.Reader, "test.example/log")
	signer, _ := note.NewSigner(skey)
	lg, err := translog.Open(ctx, db, translog.Config{Origin: signer.Name(), Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	return db, lg, vkey
}

// TestRecordConcurrently: the cosignatures of several witnesses, recorded at once, are all
// stored (in shared transactions), the head meets the quorum with every line, and a
// cosignature of another checkpoint of the same size (a fork) is refused.
func TestRecordConcurrently(t *testing.T) {
	ctx := context.Background()
	db, lg := openTestLog(t)
	if _, err := lg.Append(ctx, []byte("entry")); err != nil {
		t.Fatal(err)
	}
	const n = 8
	var keys []string
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range n {
			_, vkey, _ := note.GenerateKey(rand.Reader, fmt.Sprintf("w%d.example", i))
			keys = append(keys, vkey)
			if err := tx.AddWitness(ctx, store.Witness{Name: fmt.Sprintf("w%d", i), URL: "http://127.0.0.1:1", VKey: vkey, AddedAt: time.Now()}); err != nil {
				return err
			}
		}
		return SetQuorum(ctx, tx, n)
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(ctx, db, lg)
	if err != nil {
		t.Fatal(err)
	}
	if h.Head() != nil {
		t.Fatal("a head before any cosignature")
	}
	cp := lg.Head().Checkpoint
	fork := append([]byte(nil), cp...)
	fork[len("test.example/log\n1\n")] ^= 1 // another root, same size
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = h.Record(ctx, cp, 1, keys[i], fmt.Appendf(nil, "— w%d.example AAAA%d\n", i, i), time.Now())
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("cosignature %d: %v", i, errs[i])
		}
	}
	if err := h.Record(ctx, fork, 1, keys[0], []byte("— fork AAAA\n"), time.Now()); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("the fork's cosignature: %v", err)
	}
	hd := h.Head()
	if hd == nil || hd.Size != 1 || len(hd.Cosignatures) != n || strings.Count(string(hd.Checkpoint), "\n— w") != n {
		t.Fatalf("head %+v", hd)
	}
	if strings.Contains(string(hd.Checkpoint), "fork") {
		t.Fatal("the fork's line is in the head")
	}
}
