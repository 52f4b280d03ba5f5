package cosigned

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/syncbuf"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
)

// A witness that cosigned the log before the server started, and now holds less (its
// database lost while the server was down), is cosigning the log again at the start's
// check: that check alerts it, since the witness client, started after it, finds the
// witness up to date.
func TestCheckWitnessesAlertsAWitnessThatForgot(t *testing.T) {
	ctx := context.Background()
	db, lg, key, srv := logWithAWitness(t, "forgetful.example")
	head := lg.Head()
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddWitness(ctx, store.Witness{Name: "forgetful", URL: srv.URL, VKey: key.VerifierKey(), AddedAt: time.Now()}); err != nil {
			return err
		}
		// What it cosigned before: the log's checkpoint of size 2 (the line is not read here).
		return tx.AddCosignature(ctx, head.Checkpoint, store.Cosignature{Size: 2, VKey: key.VerifierKey(), Line: []byte("— forgetful.example AAAA\n"), At: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(ctx, db, lg)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncbuf.Buffer
	if err := h.CheckWitnesses(ctx, time.Second, slog.New(slog.NewTextHandler(&logs, nil))); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "witness alert") || !strings.Contains(logs.String(), witness.ErrForgot.Error()) {
		t.Errorf("a witness that held the empty tree after cosigning size 2 is not alerted:\n%s", logs.String())
	}
}

// logWithAWitness opens a log of three entries and serves a witness, named name, that
// follows it (and has cosigned nothing yet); the witness is not among the log's.
func logWithAWitness(t *testing.T, name string) (*store.DB, *translog.Log, *witness.Key, *httptest.Server) {
	t.Helper()
	ctx := context.Background()
	db, lg, vkey := openTestLogKey(t)
	for range 3 {
		if _, err := lg.Append(ctx, []byte("entry")); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	key, err := witness.LoadKey(dir, name)
	if err != nil {
		t.Fatal(err)
	}
	st, err := witness.OpenStore(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.AddLog(ctx, "test.example/log", vkey); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(witness.NewServer(st, key, nil))
	t.Cleanup(srv.Close)
	return db, lg, key, srv
}
