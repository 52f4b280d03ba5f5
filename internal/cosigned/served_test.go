package cosigned

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/translog"
)

// TestCosignedHeadIsServedByTheLog: servers on one PostgreSQL database share the
// cosignatures, and one server's witnesses cosign checkpoints that another server's log has
// not followed yet (it reads the stored head every 100 ms). That server must not make such a
// checkpoint its head: it would serve at /log/checkpoint a tree whose tiles it answers 404
// for (C2SP tlog-tiles: a log serves the tiles of every checkpoint it produced), and its
// seals and proofs against that head would fail as beyond its tree.
func TestCosignedHeadIsServedByTheLog(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresURL(t)
	dbs, logs := twoServers(t, url)
	_, vkey, _ := note.GenerateKey(rand.Reader, "w0.example")
	err := dbs[0].Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddWitness(ctx, store.Witness{Name: "w0", URL: "http://127.0.0.1:1", VKey: vkey, AddedAt: time.Now()}); err != nil {
			return err
		}
		return SetQuorum(ctx, tx, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	var heads []*Heads
	for i := range 2 {
		h, err := Open(ctx, dbs[i], logs[i])
		if err != nil {
			t.Fatal(err)
		}
		heads = append(heads, h)
	}
	for i := range 20 {
		if _, err := logs[0].Append(ctx, fmt.Appendf(nil, "entry %d", i)); err != nil {
			t.Fatal(err)
		}
		cp := logs[0].Head()
		if err := heads[0].Record(ctx, cp.Checkpoint, cp.Size, vkey, fmt.Appendf(nil, "— w0.example AAAA%d\n", i), time.Now()); err != nil {
			t.Fatal(err)
		}
		// The other server takes the cosigned checkpoint up, by a reload or by its periodic
		// look for the cosignatures the other servers stored.
		if i%2 == 0 {
			err = heads[1].Reload(ctx)
		} else {
			err = heads[1].refresh(ctx, -1)
		}
		if err != nil {
			t.Fatal(err)
		}
		hd := heads[1].Head()
		if hd == nil {
			continue
		}
		if size := logs[1].Head().Size; hd.Size > size {
			t.Fatalf("append %d: server 1 serves the cosigned checkpoint of size %d, its log only the tree of size %d", i, hd.Size, size)
		}
		if _, err := logs[1].InclusionProof(ctx, 0, hd.Size); err != nil {
			t.Fatalf("append %d: a proof against the cosigned head: %v", i, err)
		}
		if root, err := logs[1].TreeHash(ctx, hd.Size); err != nil || root != hd.Root {
			t.Fatalf("append %d: the log's tree of size %d has root %v (%v), the head %v", i, hd.Size, root, err, hd.Root)
		}
	}
}

// TestCosignedForkIsNotServed: a checkpoint the store holds cosigned whose root is not the
// log's tree at its size (a database shared with, or restored from, another history) is not
// made the head, whatever cosigned it.
func TestCosignedForkIsNotServed(t *testing.T) {
	ctx := context.Background()
	db, lg := openTestLog(t)
	for i := range 3 {
		if _, err := lg.Append(ctx, fmt.Appendf(nil, "entry %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	_, vkey, _ := note.GenerateKey(rand.Reader, "w0.example")
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddWitness(ctx, store.Witness{Name: "w0", URL: "http://127.0.0.1:1", VKey: vkey, AddedAt: time.Now()}); err != nil {
			return err
		}
		return SetQuorum(ctx, tx, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(ctx, db, lg)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int64{3, 2} {
		// A checkpoint of the log's size with another root, and one of a smaller size with
		// the log's root. The store holds the witnesses' word, not the log key's.
		c := checkpoint.Checkpoint{Origin: "test.example/log", Size: size, Root: lg.Head().Root}
		if size == lg.Head().Size {
			c.Root[0] ^= 1
		}
		cp := append(c.Marshal(), "\n— test.example/log AAAAAAAA\n"...)
		if err := h.Record(ctx, cp, size, vkey, []byte("— w0.example AAAA\n"), time.Now()); err != nil {
			t.Fatal(err)
		}
		if hd := h.Head(); hd != nil {
			t.Fatalf("cosigned checkpoint of size %d not the log's: head %d %v, the log's root %v", size, hd.Size, hd.Root, lg.Head().Root)
		}
		if err := h.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		if hd := h.Head(); hd != nil {
			t.Fatalf("after a reload, cosigned checkpoint of size %d not the log's: head %d", size, hd.Size)
		}
	}
}

// twoServers opens the log of one PostgreSQL database (url) twice, as two servers of an
// office do, with one signer.
func twoServers(t *testing.T, url string) ([]*store.DB, []*translog.Log) {
	t.Helper()
	ctx := context.Background()
	skey, _, _ := note.GenerateKey(rand.Reader, "test.example/log")
	signer, _ := note.NewSigner(skey)
	var dbs []*store.DB
	var logs []*translog.Log
	for range 2 {
		db, err := store.OpenPostgres(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		lg, err := translog.Open(ctx, db, translog.Config{Origin: signer.Name(), Signer: signer, Create: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { lg.Close() })
		dbs, logs = append(dbs, db), append(logs, lg)
	}
	return dbs, logs
}
