package cosigned

import (
	"context"
	"crypto/rand"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/chancery/chancery/internal/store"
)

// TestRefreshDuringReloadKeepsTheNewQuorum: refresh read the configuration before it took the
// lock that Reload holds while it replaces it, so a refresh that overlapped a Reload raising
// the quorum from 1 to 2 made a checkpoint that one witness cosigned the head, served below
// the quorum in force until a newer checkpoint met it. The interleaving is forced: refresh
// waits on the lock while the test reloads under it.
func TestRefreshDuringReloadKeepsTheNewQuorum(t *testing.T) {
	ctx := context.Background()
	db, lg := openTestLog(t)
	var keys []string
	err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range 2 {
			_, vkey, _ := note.GenerateKey(rand.Reader, fmt.Sprintf("w%d.example", i))
			keys = append(keys, vkey)
			if err := tx.AddWitness(ctx, store.Witness{Name: fmt.Sprintf("w%d", i), URL: "http://127.0.0.1:1", VKey: vkey, AddedAt: time.Now()}); err != nil {
				return err
			}
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
	if _, err := lg.Append(ctx, []byte("entry")); err != nil {
		t.Fatal(err)
	}
	// w0 cosigned size 1: stored, not yet refreshed into the head.
	err = db.Update(ctx, func(tx *store.Tx) error {
		return tx.AddCosignature(ctx, lg.Head().Checkpoint, store.Cosignature{Size: 1, VKey: keys[0], Line: []byte("— w0.example AAAA\n"), At: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Another server raises the quorum to 2.
	if err := db.Update(ctx, func(tx *store.Tx) error { return SetQuorum(ctx, tx, 2) }); err != nil {
		t.Fatal(err)
	}

	h.mu.Lock()
	done := make(chan error, 1)
	go func() { done <- h.refresh(ctx, -1) }()
	waitBlockedIn(t, "cosigned.(*Heads).refresh")
	err = h.reload(ctx)
	h.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if q := h.Quorum(); q != 2 {
		t.Fatalf("quorum %d after the reload, want 2", q)
	}
	if hd := h.Head(); hd != nil {
		t.Errorf("head of size %d with %d cosignatures, below the quorum of 2", hd.Size, len(hd.Cosignatures))
	}
}

// waitBlockedIn waits until a goroutine whose stack holds fn is blocked on a mutex.
func waitBlockedIn(t *testing.T, fn string) {
	t.Helper()
	buf := make([]byte, 1<<20)
	for range 10000 {
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			if strings.Contains(g, fn) && strings.Contains(g, "sync.(*Mutex).Lock") {
				return
			}
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("no goroutine blocked on a mutex in %s", fn)
}
