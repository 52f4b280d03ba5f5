package server

import (
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// A server of a PostgreSQL office whose database is set back under it (an older backup
// restored into it, a failover to a standby that lacked the last commits) appends nothing
// until an operator decides, so every release it is sent fails: /readyz says so with 503,
// for the load balancer and the operator, and says ready again once the database holds the
// published log again (a newer backup restored). Before, it answered "ready" throughout.
func TestReadyzSaysTheDatabaseWasSetBack(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx := t.Context()
	skey, vkey, err := note.GenerateKey(nil, "setback.example/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l, err := translog.Open(ctx, db, translog.Config{Origin: "setback.example/log", Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	tables := []string{"log_head", "log_tiles", "log_entry_chunks", "log_sequencer"}
	save := func(prefix string) {
		for _, tb := range tables {
			if _, err := admin.Exec(`CREATE TABLE ` + prefix + tb + ` AS SELECT * FROM ` + tb); err != nil {
				t.Fatal(err)
			}
		}
	}
	restore := func(prefix string) {
		tx, err := admin.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		for _, tb := range tables {
			if _, err := tx.Exec(`DELETE FROM ` + tb); err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(`INSERT INTO ` + tb + ` SELECT * FROM ` + prefix + tb); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 10 {
		if i == 5 {
			save("older_")
		}
		if _, err := l.Append(ctx, fmt.Appendf(nil, "entry %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	save("newer_")

	srv := httptest.NewServer(New(Config{Log: l, DB: db, VerifierKey: vkey, Origin: "setback.example/log"}))
	t.Cleanup(srv.Close)
	readyz := func() (int, string) {
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	// waitFor polls /readyz until ok says its answer is the one expected, for up to 5 s (the
	// server looks at the stored head every 100 ms).
	waitFor := func(what string, ok func(int, string) bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			code, body := readyz()
			if ok(code, body) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("/readyz %s: %d %q", what, code, body)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitFor("before the restore", func(code int, body string) bool { return code == http.StatusOK })

	restore("older_")
	waitFor("with the database set back to 5 of the 10 entries published", func(code int, body string) bool {
		return code == http.StatusServiceUnavailable && strings.Contains(body, "5 published entries are missing") &&
			strings.Contains(body, "appends nothing")
	})

	restore("newer_")
	waitFor("with the published log restored", func(code int, body string) bool { return code == http.StatusOK })
}

// A release refused because the database was set back under the server is answered 503 with
// the reason (how many published entries the database lacks), not a bare "internal error".
func TestReleaseOnASetBackDatabaseSaysWhy(t *testing.T) {
	s := New(Config{Logger: slog.New(slog.DiscardHandler)})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/v1/letters/TFN-2026-000001/release", nil)
	s.fail(rec, req, fmt.Errorf("release TFN-2026-000001: append: %w", &translog.RollbackError{Published: 10, Stored: 5}))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "5 published entries are missing") {
		t.Errorf("release on a set-back database: %d %s", rec.Code, rec.Body)
	}
}
