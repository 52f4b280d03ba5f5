package cosigned

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/syncbuf"
	"github.com/chancery/chancery/internal/witness"
)

// A server that starts while another server of its PostgreSQL database sequences without
// pause is not halted: the witness, which the other server's client has cosign each head it
// stores, names at each question a size this server's log reads a moment later, and the
// stored log holds every size it names.
func TestCheckWitnessesWhileAnotherServerSequences(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresURL(t)
	dbs, logs := twoServers(t, url)
	sequencer, starting := logs[0], logs[1]
	if _, err := sequencer.Append(ctx, []byte("entry")); err != nil {
		t.Fatal(err)
	}
	if err := starting.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	// The witness as the busy office keeps it: before each answer, the sequencing server
	// stored one more entry and had the witness cosign it.
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := sequencer.Append(r.Context(), []byte("another entry"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/x.tlog.size")
		w.WriteHeader(http.StatusConflict)
		fmt.Fprintf(w, "%d\n", n+1)
	}))
	t.Cleanup(busy.Close)
	key, err := witness.LoadKey(t.TempDir(), "busy.example")
	if err != nil {
		t.Fatal(err)
	}
	err = dbs[0].Update(ctx, func(tx *store.Tx) error {
		return tx.AddWitness(ctx, store.Witness{Name: "busy", URL: busy.URL, VKey: key.VerifierKey(), AddedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Open(ctx, dbs[1], starting)
	if err != nil {
		t.Fatal(err)
	}
	var out syncbuf.Buffer
	defer func() {
		if t.Failed() {
			t.Log(out.String())
		}
	}()
	if err := h.CheckWitnesses(ctx, time.Second, slog.New(slog.NewTextHandler(&out, nil))); err != nil {
		t.Errorf("a witness a moment ahead of this server, never of the database: %v", err)
	}
	if hl := starting.Halted(); hl != nil {
		t.Fatalf("the starting server is halted in a healthy office: %v", hl)
	}
}
