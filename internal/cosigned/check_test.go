package cosigned

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/syncbuf"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
)

// A witness that does not answer holds the start for the wait only, and is logged: the
// witness client halts the appends if it finds it ahead once it answers.
func TestCheckWitnessesDoesNotWaitForAnUnansweringWitness(t *testing.T) {
	ctx := context.Background()
	db, lg := openTestLog(t)
	if _, err := lg.Append(ctx, []byte("entry")); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(silent.Close)
	t.Cleanup(func() { close(release) })
	key, err := witness.LoadKey(t.TempDir(), "silent.example")
	if err != nil {
		t.Fatal(err)
	}
	vkey := key.VerifierKey()
	err = db.Update(ctx, func(tx *store.Tx) error {
		return tx.AddWitness(ctx, store.Witness{Name: "silent", URL: silent.URL, VKey: vkey, AddedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(ctx, db, lg)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncbuf.Buffer
	start := time.Now()
	if err := h.CheckWitnesses(ctx, 300*time.Millisecond, slog.New(slog.NewTextHandler(&logs, nil))); err != nil {
		t.Fatalf("an unanswering witness refused the start: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the start waited %s for a witness that does not answer", d)
	}
	if !strings.Contains(logs.String(), "witness not reached before sequencing") || !strings.Contains(logs.String(), "witness=silent") {
		t.Errorf("the unanswering witness is not logged:\n%s", logs.String())
	}
}

// A witness that names a larger size than the log's halts the log's appends before the
// first, and says so in Behind; removing it from the configuration resumes them.
func TestCheckWitnessesHaltsALogTheWitnessOutgrew(t *testing.T) {
	ctx := context.Background()
	db, lg := openTestLog(t)
	if _, err := lg.Append(ctx, []byte("entry")); err != nil {
		t.Fatal(err)
	}
	ahead := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/x.tlog.size")
		w.WriteHeader(http.StatusConflict)
		w.Write([]byte("7\n"))
	}))
	t.Cleanup(ahead.Close)
	key, err := witness.LoadKey(t.TempDir(), "ahead.example")
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		return tx.AddWitness(ctx, store.Witness{Name: "ahead", URL: ahead.URL, VKey: key.VerifierKey(), AddedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(ctx, db, lg)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.CheckWitnesses(ctx, time.Second, nil); !errors.Is(err, witness.ErrAhead) {
		t.Fatalf("witness at 7, log at 1: %v, want ErrAhead", err)
	}
	if !strings.Contains(h.Behind(), "witness ahead: witness holds a larger tree than the log: it cosigned size 7, the log has 1") {
		t.Errorf("Behind: %q", h.Behind())
	}
	var halted *translog.HaltedError
	if _, err := lg.Append(ctx, []byte("a fork's entry")); !errors.As(err, &halted) {
		t.Fatalf("append: %v, want it halted", err)
	}
	if got := lg.Head().Size; got != 1 {
		t.Fatalf("the log grew to %d", got)
	}
	err = db.Update(ctx, func(tx *store.Tx) error { return tx.RemoveWitness(ctx, "ahead") })
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	h.keepBehind(h.Config())
	if _, err := lg.Append(ctx, []byte("entry")); err != nil {
		t.Fatalf("append once the witness is removed: %v", err)
	}
}
